import { expectValidAtom } from '../../../../../test/support/atom.js';
import { atomFeed } from './atom-feed.js';

/**
 * What a feed reader shows of the entry's HTML text construct `element` (RFC 4287 §3.1.1.2): the element's
 * character data (CDATA sections unwrapped, entities read) is HTML, whose tags are markup, not text.
 */
const shown = (xml: string, element: string): string => {
  const body = new RegExp(`<${element} type="html">([\\s\\S]*?)</${element}>`).exec(xml)![1]!;
  const html = body.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
};

/** Where a trial's feed lives; each test gives the entries. */
const trialFeed = {
  id: 'http://127.0.0.1/trials/NCT04811651/changes.atom',
  title: 'NCT04811651 — changes',
  selfUrl: 'http://127.0.0.1/trials/NCT04811651/changes.atom',
  alternateUrl: 'http://127.0.0.1/trials/NCT04811651/history',
  baseUrl: 'http://127.0.0.1',
};

describe('Atom feeds of changes', () => {
  it('show registry text in titles and summaries as it is, whatever markup-like characters it holds', () => {
    const briefTitle = 'Children <Five Years & adults <b>only</b> ]]> first ]]> second';
    const xml = atomFeed({
      ...trialFeed,
      entries: [
        {
          eventId: '5c2d3f0e-8f7b-4b9e-9a55-1f7c5e2d8a10',
          nctId: 'NCT04811651',
          type: 'trial.registered',
          schemaVersion: 1,
          data: { facts: { nctId: 'NCT04811651', briefTitle, overallStatus: 'RECRUITING' } },
          occurredAt: new Date('2022-05-25T00:00:00Z'),
          recordedAt: new Date('2026-01-15T10:00:00Z'),
          briefTitle,
        },
      ],
    });
    expectValidAtom(xml);
    expect(shown(xml, 'title')).toBe(`NCT04811651: Registered: ${briefTitle} (Recruiting)`);
    expect(shown(xml, 'summary')).toBe(`${briefTitle} (trial.registered), effective 2022-05-25`);
    expect(shown(xml, 'content')).toBe(`Registered: ${briefTitle} (Recruiting)`);
  });

  it('stays well-formed XML when registry text holds control characters, showing the rest of the text', () => {
    const briefTitle = 'Vertical\u000btab, bell\u0007 and escape\u001b in a title';
    const xml = atomFeed({
      ...trialFeed,
      title: `NCT04811651: ${briefTitle}`,
      entries: [
        {
          eventId: '5c2d3f0e-8f7b-4b9e-9a55-1f7c5e2d8a11',
          nctId: 'NCT04811651',
          type: 'trial.registered',
          schemaVersion: 1,
          data: { facts: { nctId: 'NCT04811651', briefTitle, overallStatus: 'RECRUITING' } },
          occurredAt: new Date('2022-05-25T00:00:00Z'),
          recordedAt: new Date('2026-01-15T10:00:00Z'),
          briefTitle,
        },
      ],
    });
    expectValidAtom(xml);
    expect(shown(xml, 'summary')).toBe(
      'Vertical tab, bell and escape in a title (trial.registered), effective 2022-05-25',
    );
  });

  it('is updated as of its latest recorded entry, also when a change committed later was recorded earlier', () => {
    const entry = (eventId: string, recordedAt: string) => ({
      eventId,
      nctId: 'NCT04811651',
      type: 'trial.overall-status-changed',
      schemaVersion: 1,
      data: { from: 'RECRUITING', to: 'COMPLETED' },
      occurredAt: new Date('2022-05-25T00:00:00Z'),
      recordedAt: new Date(recordedAt),
      briefTitle: 'A trial',
    });
    const xml = atomFeed({
      ...trialFeed,
      entries: [
        entry('5c2d3f0e-8f7b-4b9e-9a55-1f7c5e2d8a12', '2026-01-15T10:00:00.000Z'),
        entry('5c2d3f0e-8f7b-4b9e-9a55-1f7c5e2d8a13', '2026-01-15T10:00:02.000Z'),
      ],
    });
    expectValidAtom(xml);
    expect(/<feed[^]*?<updated>([^<]+)<\/updated>/.exec(xml)![1]).toBe('2026-01-15T10:00:02.000Z');
  });
});
