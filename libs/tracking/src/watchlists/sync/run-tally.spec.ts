import type { Ingestion } from '../../ingestion/index.js';
import { RunTally } from './run-tally.js';

const ingestion = (overrides: Partial<Ingestion>): Ingestion => ({
  id: '7d1f2c3e-0000-4000-8000-000000000001',
  contentSha256: 'a'.repeat(64),
  source: 'watchlist',
  requestedFormat: null,
  format: 'ctgov-api-v2',
  observedAt: null,
  effectiveAt: null,
  receivedAt: '2026-01-15T10:00:00.000Z',
  status: 'appended',
  nctIds: ['NCT00000001'],
  results: [],
  error: null,
  attempts: 1,
  completedAt: '2026-01-15T10:00:01.000Z',
  correlationId: null,
  ...overrides,
});

describe('a watchlist run tally', () => {
  it('is succeeded when every snapshot went in', () => {
    const tally = new RunTally();
    tally.ingested(ingestion({}));
    expect(tally.status()).toBe('succeeded');
    expect(tally.counts.appended).toBe(1);
  });

  it('is partial, naming the ingestion and how to retry it, when one snapshot could not be decided', () => {
    const tally = new RunTally();
    tally.ingested(ingestion({ nctIds: ['NCT00000002'] }));
    tally.ingested(
      ingestion({
        id: '7d1f2c3e-0000-4000-8000-000000000002',
        status: 'failed',
        error: {
          code: 'event-store.unreadable-event',
          message: 'NCT00000003 holds an event this version cannot read',
          details: { attempts: 1 },
        },
      }),
    );
    expect(tally.status()).toBe('partial');
    expect(tally.errors).toEqual([
      {
        scope: 'ingestion 7d1f2c3e-0000-4000-8000-000000000002',
        code: 'event-store.unreadable-event',
        message:
          'NCT00000003 holds an event this version cannot read ' +
          '(retry it with POST /ingestions/7d1f2c3e-0000-4000-8000-000000000002/retry)',
      },
    ]);
  });
});
