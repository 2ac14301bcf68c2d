import { XMLParser, XMLValidator } from 'fast-xml-parser';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** RFC 3339 date-time, as RFC 4287 requires for atom:updated and atom:published. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Node[];
const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof (value as Node | undefined)?.['#text'] === 'string'
      ? ((value as Node)['#text'] as string)
      : undefined;

/**
 * Checks a document against the constraints of RFC 4287 (the Atom Syndication Format) that feed readers
 * depend on: well-formed XML in the Atom namespace; a feed with exactly one id, title and updated, and an
 * author unless every entry has one; entries each with exactly one id, title and updated, a link or
 * content; dates in RFC 3339; ids unique.
 */
export const expectValidAtom = (xml: string): void => {
  const problems: string[] = [];
  if (XMLValidator.validate(xml) !== true) throw new Error('the feed is not well-formed XML');
  // XML 1.0 allows no control character but tab, line feed and carriage return:
  // a reader refuses the whole document for one (the validator above does not look).
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (forbidden) throw new Error(`the feed holds ${JSON.stringify(forbidden[0])}, which XML 1.0 does not allow`);
  const document = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as Node;
  const feed = document['feed'] as Node | undefined;
  if (!feed) throw new Error('the root element is not <feed>');
  if (feed['@xmlns'] !== ATOM_NS) problems.push(`feed namespace is ${String(feed['@xmlns'])}, not ${ATOM_NS}`);
  for (const element of ['id', 'title', 'updated']) {
    if (list(feed[element]).length !== 1) problems.push(`feed needs exactly one <${element}>`);
  }
  if (!RFC3339.test(text(feed['updated']) ?? ''))
    problems.push(`feed <updated> "${text(feed['updated'])}" is not RFC 3339`);
  const entries = list(feed['entry']);
  if (list(feed['author']).length === 0 && !entries.every((entry) => list(entry['author']).length > 0)) {
    problems.push('feed needs an <author> unless every entry has one');
  }
  const ids = new Set<string>();
  entries.forEach((entry, index) => {
    for (const element of ['id', 'title', 'updated']) {
      if (list(entry[element]).length !== 1) problems.push(`entry ${index} needs exactly one <${element}>`);
    }
    const id = text(entry['id']) ?? '';
    if (ids.has(id)) problems.push(`entry id ${id} is not unique`);
    ids.add(id);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(id)) problems.push(`entry id ${id} is not an IRI`);
    for (const element of ['updated', 'published']) {
      const value = text(entry[element]);
      if (value !== undefined && !RFC3339.test(value))
        problems.push(`entry ${index} <${element}> "${value}" is not RFC 3339`);
    }
    if (list(entry['link']).length === 0 && entry['content'] === undefined)
      problems.push(`entry ${index} needs a <link> or <content>`);
  });
  if (problems.length > 0) throw new Error(`Invalid Atom feed:\n${problems.join('\n')}`);
};
