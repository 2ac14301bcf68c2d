import { pageTextToHtml } from '../../../../test/support/page-html.js';
import { REGISTRY_PAGES, registryPageHtml, registryPageText } from '../../../../test/support/registry-page-fixtures.js';
import { detectPageLayout } from './detect-page-layout.js';
import { htmlToText } from './html-to-text.js';
import { parsePage } from './index.js';

describe('htmlToText', () => {
  it('drops what a reader does not see as page content', () => {
    const html = `<html><head><title>Page title</title><style>p::after { content: "Recruiting"; }</style></head>
      <body><header><nav><a>Trials</a></nav><span>Registry</span></header>
      <script>const status = "Recruiting"; // NCT99999999</script><noscript>Enable scripts</noscript>
      <template><p>NOT_YET_RECRUITING</p></template><iframe src="/ad"></iframe><svg><text>Recruiting</text></svg>
      <main><p>Status <span aria-hidden="true">★</span>Completed</p><div hidden>NCT99999999</div></main>
      <footer>© Registry NCT99999999</footer></body></html>`;
    expect(htmlToText(html)).toBe('Registry\nStatus Completed');
  });

  it('puts each block on its own line and joins inline runs with single spaces', () => {
    const html = `<h1>Title</h1><p>First <b>bold</b>\n   words</p><div>a<br>b</div><section><h2>Heading</h2>
      <article>Text</article></section><dl><dt>Sex</dt><dd>All</dd></dl><blockquote>Quote</blockquote>`;
    expect(htmlToText(html)).toBe('Title\nFirst bold words\na\nb\nHeading\nText\nSex\nAll\nQuote');
  });

  it('adds no space at the edges of words styled or linked inside running text, as a reader sees them', () => {
    expect(
      htmlToText('<p>Stem cells (<em>UC-MSCs</em>), infused</p><p>BMI ≥ 30 kg/m<sup>2</sup>; H<sub>2</sub>O</p>'),
    ).toBe('Stem cells (UC-MSCs), infused\nBMI ≥ 30 kg/m2; H2O');
    expect(htmlToText('<p>See <a href="#x">the <b>protocol</b></a>. Then <i>dose</i> <i>escalation</i></p>')).toBe(
      'See the protocol. Then dose escalation',
    );
    // A label and its value laid out side by side stay apart.
    expect(htmlToText('<div><span>Overall Status</span><span>Recruiting</span></div>')).toBe(
      'Overall Status Recruiting',
    );
  });

  it('reads a word with a break opportunity (<wbr>, &shy;) in it as the one word a reader sees', () => {
    expect(htmlToText('<p>Mesen<wbr>chymal stem cells, NCT0123<wbr/>4567; Mesen&shy;chymal</p>')).toBe(
      'Mesenchymal stem cells, NCT01234567; Mesenchymal',
    );
  });

  it('decodes entities and non-breaking spaces', () => {
    expect(htmlToText('<p>Hemoglobin &gt; 115g&nbsp;/&nbsp;L &amp; platelets &lt; 100 &#8805; &eacute;</p>')).toBe(
      'Hemoglobin > 115g / L & platelets < 100 ≥ é',
    );
  });

  it('marks list items as a reader sees them', () => {
    const html = '<ul><li>One</li><li>Two <i>words</i></li></ul><ol><li>First</li><li>Second</li></ol>';
    expect(htmlToText(html)).toBe('- One\n- Two words\n1. First\n2. Second');
  });

  it('numbers an ordered list from its start attribute, and an item from its value, as a reader sees them', () => {
    // CommonMark renders "3. Pregnancy\n4. Cancer" (a list that does not start at 1) as <ol start="3">.
    const html = '<p>Exclusion Criteria:</p><ol start="3"><li>Pregnancy</li><li>Cancer</li></ol>';
    expect(htmlToText(html)).toBe('Exclusion Criteria:\n3. Pregnancy\n4. Cancer');
    expect(htmlToText('<ol><li>One</li><li value="5">Five</li><li>Six</li></ol>')).toBe('1. One\n5. Five\n6. Six');
  });

  it('numbers a long ordered list at once', () => {
    const html = `<ol start="0">${'<li>Criterion</li>'.repeat(5000)}</ol>`;
    const started = performance.now();
    const lines = htmlToText(html).split('\n');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(lines).toHaveLength(5000);
    expect(lines.at(-1)).toBe('4999. Criterion');
  });

  it('renders a table row as its cells, each closed by " |"', () => {
    const html = `<table><tr><th>Study Type :</th><td>Interventional</td></tr>
      <tr><td>Experimental: Arm<br>description</td><td>Drug: A</td></tr><tr><td>China</td><td></td></tr></table>`;
    expect(htmlToText(html)).toBe(
      'Study Type : | Interventional |\nExperimental: Arm\ndescription | Drug: A |\nChina | |',
    );
  });

  it('keeps the line breaks of preformatted text', () => {
    expect(htmlToText('<pre>line one\n  line two</pre>')).toBe('line one\nline two');
  });

  it('returns an empty text for a page without content', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<html><head><script>var a = 1;</script></head><body></body></html>')).toBe('');
  });
});

describe('registry pages as HTML', () => {
  it.each(REGISTRY_PAGES)('%s: the committed HTML copy is what pageTextToHtml generates', (page) => {
    expect(registryPageHtml(page)).toBe(pageTextToHtml(registryPageText(page)));
  });

  it.each(REGISTRY_PAGES)('%s: reads the same facts from the HTML as from the saved text', (page) => {
    const text = registryPageText(page);
    const layout = detectPageLayout(text)!;
    const fromHtml = htmlToText(registryPageHtml(page));
    expect(detectPageLayout(fromHtml)).toBe(layout);
    expect(fromHtml).not.toContain('NCT99999999');
    expect(parsePage(fromHtml, layout)).toEqual(parsePage(text, layout));
  });

  it('reads the same facts from a page whose running text styles words, as from its saved text', () => {
    const text = registryPageText('003_3bc531e48d6f61f9');
    const html = registryPageHtml('003_3bc531e48d6f61f9').replace('(UC-MSCs)', '(<em>UC-MSCs</em>)');
    expect(html).toContain('(<em>UC-MSCs</em>)');
    const layout = detectPageLayout(text)!;
    expect(parsePage(htmlToText(html), layout)).toEqual(parsePage(text, layout));
  });

  it('surrounds the page with what real pages carry: scripts and styles naming other trials, navigation, a footer', () => {
    const html = pageTextToHtml('Status | Recruiting |\n- First item\nNCT ID: NCT04811651');
    expect(html).toMatch(/<script>[^<]*NCT99999999[^<]*Recruiting[^<]*<\/script>/);
    expect(html).toMatch(/<style>[^<]*Recruiting[^<]*<\/style>/);
    expect(html).toMatch(/<header[^>]*>[\s\S]*<nav>[\s\S]*<\/nav>[\s\S]*<\/header>/);
    expect(html).toMatch(/<footer>[\s\S]*NCT99999999[\s\S]*<\/footer>/);
    expect(html).toContain('<tr><td>Status</td><td>Recruiting</td></tr>');
    expect(html).toContain('<ul>\n      <li>First item</li>\n    </ul>');
    expect(html).toContain('<strong>NCT ID:</strong> NCT04811651');
    expect(htmlToText(html)).toBe('Trial Registry Browser\nStatus | Recruiting |\n- First item\nNCT ID: NCT04811651');
  });

  it('uses the given document title without showing it as content', () => {
    const html = pageTextToHtml('Line one\nLine & two', { title: 'Custom <title>' });
    expect(html).toContain('<title>Custom &lt;title&gt;</title>');
    expect(html).toContain('Line &amp; two');
    expect(htmlToText(html)).toBe('Trial Registry Browser\nLine one\nLine & two');
  });
});
