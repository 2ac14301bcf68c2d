import { Feed } from 'feed';
import { describeEvent, type DomainEvent, isDomainEventType } from '@app/domain';

export interface FeedEntry {
  eventId: string;
  nctId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  occurredAt: Date;
  recordedAt: Date;
  briefTitle: string | null;
}

/** An entry about the feed rather than a change (a subscription that matches nothing new for now). */
export interface FeedNotice {
  /** Changes whenever the notice is new, so readers show it again. */
  id: string;
  title: string;
  summary: string;
  at: Date;
  link: string;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The characters XML 1.0 does not allow (controls other than tab, line feed and carriage return, U+FFFE,
 * U+FFFF and lone surrogates), which registry text now and then holds: one would make a feed reader
 * refuse the whole feed. Vertical tab and form feed become spaces; the others go.
 */
const xmlCharacters = (xml: string): string =>
  xml
    .replace(/[\u000B\u000C]/g, ' ')
    .replace(/[\u0000-\u0008\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** An Atom 1.0 document of changes, newest first, each linking to its trial's history. */
export const atomFeed = (options: {
  id: string;
  title: string;
  selfUrl: string;
  alternateUrl: string;
  baseUrl: string;
  entries: FeedEntry[];
  /** Said first, above the changes: something the reader must know about the feed itself. */
  notice?: FeedNotice;
  /** The next, older page (RFC 5005 paged feeds), when there are older entries. */
  nextUrl?: string;
}): string => {
  const feed = new Feed({
    id: options.id,
    title: options.title,
    link: options.alternateUrl,
    feedLinks: { atom: options.selfUrl },
    // Entries stand in commit order, and a transaction that started earlier can commit later: the
    // newest entry is not always the latest recorded, and the feed's time must not go back.
    updated: [options.notice?.at, ...options.entries.map((entry) => entry.recordedAt)].reduce<Date>(
      (latest, at) => (at && at > latest ? at : latest),
      new Date(0),
    ),
    generator: 'trialwatch',
    // RFC 4287: a feed names an author unless every entry does.
    author: { name: 'trialwatch', link: options.baseUrl },
    copyright: 'Registry data: ClinicalTrials.gov and the registries it was read from',
  });
  if (options.notice) {
    feed.addItem({
      id: options.notice.id,
      title: escape(options.notice.title),
      link: options.notice.link,
      date: options.notice.at,
      description: escape(options.notice.summary),
    });
  }
  for (const entry of options.entries) {
    const lines = isDomainEventType(entry.type)
      ? describeEvent({ type: entry.type, schemaVersion: entry.schemaVersion, data: entry.data } as DomainEvent)
      : [entry.type];
    feed.addItem({
      id: `urn:uuid:${entry.eventId}`,
      // Titles, summaries and content are HTML text constructs: registry text goes in escaped, so a reader
      // shows it as it is (a '<' in a title is not a tag, and no ']]>' can end the section holding it).
      title: escape(`${entry.nctId}: ${lines[0] ?? entry.type}`),
      link: `${options.baseUrl}/trials/${entry.nctId}/history`,
      date: entry.recordedAt,
      published: entry.occurredAt,
      description: escape(
        `${entry.briefTitle ?? entry.nctId} (${entry.type}), effective ${entry.occurredAt.toISOString().slice(0, 10)}`,
      ),
      content: `<ul>${lines.map((line) => `<li>${escape(line)}</li>`).join('')}</ul>`,
      category: [{ name: entry.type }],
    });
  }
  const xml = feed.atom1();
  const paged = options.nextUrl
    ? xml.replace(
        /(<link rel="self" href="[^"]*"\/>)/,
        `$1\n    <link rel="next" href="${escape(options.nextUrl).replace(/"/g, '&quot;')}"/>`,
      )
    : xml;
  return xmlCharacters(paged);
};
