import { escapeHtml, html, joinHtml, SafeHtml } from './html.js';

// The same tag under another name, so the formatter leaves these templates byte for byte as written.
const markup = html;

describe('html', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('escapes interpolated text, in content and in quoted attributes', () => {
    const hostile = '"><script>alert(1)</script>';
    const rendered = markup`<input value="${hostile}"><p>${hostile}</p>`.value;
    expect(rendered).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><p>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
    expect(rendered).not.toContain('<script>');
  });

  it('keeps nested templates as markup and escapes them only once', () => {
    const inner = markup`<b>${'a & b'}</b>`;
    expect(markup`<p>${inner}</p>`.value).toBe('<p><b>a &amp; b</b></p>');
  });

  it('renders lists, numbers, and nothing for false, null and undefined', () => {
    expect(markup`<ul>${['<1>', markup`<li>2</li>`, [3, [false, null, undefined]]]}</ul>`.value).toBe(
      '<ul>&lt;1&gt;<li>2</li>3</ul>',
    );
    expect(markup`${0}|${12.5}|${Number.NaN}|${Number.POSITIVE_INFINITY}`.value).toBe('0|12.5||');
  });

  it('does not trust a string that merely looks like markup, nor an object posing as SafeHtml', () => {
    const impostor = { value: '<script></script>', toString: () => '<script></script>' } as unknown as string;
    expect(markup`${'<b>'}`.value).toBe('&lt;b&gt;');
    expect(markup`${impostor}`.value).toBe('&lt;script&gt;&lt;/script&gt;');
  });

  it('joins pieces with an escaped separator, skipping empty ones', () => {
    expect(joinHtml(['a', null, markup`<i>b</i>`, ''], ' & ').value).toBe('a &amp; <i>b</i>');
    expect(joinHtml(['a', 'b'], markup`<br>`)).toEqual(new SafeHtml('a<br>b'));
  });
});
