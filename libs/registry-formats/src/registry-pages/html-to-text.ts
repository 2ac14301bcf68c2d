import { load, type CheerioAPI } from 'cheerio';
import { SnapshotParseError } from '../errors.js';

/*
 * Renders a registry page's HTML as the text a reader sees, in the shape the saved text pages have:
 * one block a line, list items as `- item`, table rows as `cell | cell |`.
 */

// cheerio's node types, without depending on its own dependency `domhandler`.
type DomNode = ReturnType<ReturnType<CheerioAPI['root']>['contents']> extends Iterable<infer N> ? N : never;
type DomElement = Extract<DomNode, { tagName: string }>;

const NOT_SHOWN = 'head, script, style, noscript, template, nav, footer, iframe, svg, [aria-hidden="true"], [hidden]';

const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'ul',
]);

/**
 * Phrasing elements that style or link words inside running text: a reader sees no space at their
 * edges (`(<em>UC-MSCs</em>),` reads `(UC-MSCs),`, `kg/m<sup>2</sup>` reads `kg/m2`). Other inline
 * elements, `span` and `label` among them, often lay out a label and its value side by side, so
 * their runs stay apart.
 */
const IN_TEXT = new Set(
  'a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small strong sub sup time tt u var'.split(
    ' ',
  ),
);

/**
 * Collects inline text runs into lines; a run is joined to the line's others with a single space,
 * except at the edges of an element of running text, where it is joined as it stands.
 */
class LineWriter {
  readonly lines: string[] = [];
  private runs: string[] = [];
  private joined = false;

  text(run: string): void {
    if (this.joined && this.runs.length > 0) this.runs[this.runs.length - 1] += run;
    else this.runs.push(run);
    this.joined = false;
  }

  /** The next run continues the last one as it stands. */
  join(): void {
    this.joined = true;
  }

  break(): void {
    const line = this.runs.join(' ').replace(/\s+/g, ' ').trim();
    if (line !== '') this.lines.push(line);
    this.runs = [];
    this.joined = false;
  }
}

const isElement = (node: DomNode): node is DomElement => 'tagName' in node;

const render = (node: DomNode, out: LineWriter): void => {
  if (node.nodeType === 3) {
    // A soft hyphen (`&shy;`) shows only where the word wraps; the word reads without it.
    out.text(node.data.replace(/\u00AD/g, ''));
    return;
  }
  if (!isElement(node)) return;
  const tag = node.tagName.toLowerCase();
  if (tag === 'br') return out.break();
  // A place a long word may wrap: the word reads as one.
  if (tag === 'wbr') return out.join();
  if (tag === 'pre') return renderPreformatted(node, out);
  if (tag === 'tr') return renderRow(node, out);
  if (tag === 'li') return renderListItem(node, out);
  const block = BLOCKS.has(tag) || tag === 'td' || tag === 'th';
  const inText = IN_TEXT.has(tag);
  if (block) out.break();
  if (inText) out.join();
  for (const child of node.children) render(child, out);
  if (block) out.break();
  if (inText) out.join();
};

const renderChildren = (node: DomElement): string[] => {
  const out = new LineWriter();
  for (const child of node.children) render(child, out);
  out.break();
  return out.lines;
};

const textOf = (node: DomNode): string =>
  node.nodeType === 3 ? node.data : isElement(node) ? node.children.map(textOf).join('') : '';

/** Preformatted text keeps its own line breaks. */
const renderPreformatted = (node: DomElement, out: LineWriter): void => {
  out.break();
  for (const line of textOf(node).split(/\r?\n/)) {
    out.text(line);
    out.break();
  }
};

/** An integer attribute as browsers read it (`3`, ` 3 `), or undefined when it holds none. */
const integerAttribute = (node: DomElement, name: string): number | undefined => {
  const value = Number.parseInt(node.attribs[name] ?? '', 10);
  return Number.isNaN(value) ? undefined : value;
};

/**
 * The number a reader sees on an item of an ordered list: the list counts from its `start` (1 without
 * one), an item's `value` sets its own number, and the items after it count on from there.
 */
const itemNumber = (list: DomElement, item: DomElement): number => {
  let numbers = itemNumbers.get(list);
  if (numbers === undefined) {
    // Numbered once per list, not once per item: a long list is read in time linear in its items.
    numbers = new Map();
    let next = integerAttribute(list, 'start') ?? 1;
    for (const child of list.children) {
      if (!isElement(child) || child.tagName.toLowerCase() !== 'li') continue;
      const number = integerAttribute(child, 'value') ?? next;
      numbers.set(child, number);
      next = number + 1;
    }
    itemNumbers.set(list, numbers);
  }
  return numbers.get(item) ?? 1;
};

const itemNumbers = new WeakMap<DomElement, Map<DomElement, number>>();

/** `- item`, or `3. item` in an ordered list, as a reader sees the marker. */
const renderListItem = (node: DomElement, out: LineWriter): void => {
  out.break();
  const parent = node.parent && 'tagName' in node.parent ? node.parent : null;
  const list = parent?.tagName.toLowerCase() === 'ol' ? parent : null;
  const [first = '', ...rest] = renderChildren(node);
  out.text(`${list ? `${itemNumber(list, node)}.` : '-'} ${first}`);
  out.break();
  for (const line of rest) {
    out.text(line);
    out.break();
  }
};

/**
 * Each cell is followed by ` |`, so that a cell holding several lines still shows where it ends:
 * `<tr><td>a</td><td>b<br>c</td></tr>` -> `a | b` / `c |`.
 */
const renderRow = (node: DomElement, out: LineWriter): void => {
  out.break();
  const cells = node.children.filter(
    (child): child is DomElement => isElement(child) && /^t[dh]$/i.test(child.tagName),
  );
  for (const cell of cells) {
    const lines = renderChildren(cell);
    lines.forEach((line, index) => {
      out.text(line);
      if (index < lines.length - 1) out.break();
    });
    out.text('|');
  }
  out.break();
};

/** Registry pages nest elements a few dozen deep; HTML parsers take time quadratic in the depth. */
export const MAX_HTML_DEPTH = 1000;

// Elements without content, and those a sibling closes implicitly, do not deepen the nesting.
const NOT_NESTING = new Set(
  'area base br col embed hr img input link meta source track wbr p li dt dd tr td th option optgroup thead tbody tfoot colgroup rt rp'.split(
    ' ',
  ),
);

/** Refuses hostile nesting by a scan of the tags, before a parser spends minutes on it. */
const refuseDeepNesting = (html: string): void => {
  let depth = 0;
  for (const [, closing, name, selfClosing] of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^<>]*?(\/?)>/g)) {
    if (selfClosing || NOT_NESTING.has(name!.toLowerCase())) continue;
    depth = closing ? Math.max(0, depth - 1) : depth + 1;
    if (depth > MAX_HTML_DEPTH) {
      throw new SnapshotParseError(
        'snapshot.malformed',
        `The HTML nests elements more than ${MAX_HTML_DEPTH} deep; registry pages nest a few dozen`,
        { maxDepth: MAX_HTML_DEPTH },
      );
    }
  }
};

export const htmlToText = (html: string): string => {
  refuseDeepNesting(html);
  const $ = load(html);
  $(NOT_SHOWN).remove();
  const out = new LineWriter();
  for (const node of $.root().contents()) render(node, out);
  out.break();
  return out.lines.join('\n');
};
