import type { Ingestion } from '../../ingestion/index.js';
import { NO_COUNTS, RunTally } from './run-tally.js';

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
  contentType: 'application/json',
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
    // Written with its batch's counts, in the transaction that logged it: not written again.
    expect(tally.unsaved().errors).toEqual([]);
  });

  it('taken up again, keeps the earlier errors and notes, records each once, and hands over only the new ones to write', () => {
    const earlier = { scope: 'history of NCT00000004', code: 'internal', message: 'history request failed' };
    const tally = new RunTally({
      ...NO_COUNTS,
      appended: 1,
      errors: [earlier],
      notes: ['NCT00000005: imported 2 past versions'],
    });
    tally.trialFailed('history of NCT00000004', new Error('history request failed'));
    tally.note('NCT00000005: imported 2 past versions');
    tally.note('Taken up again');
    tally.fail('clinicaltrials.gov', new Error('socket hang up'));

    expect(tally.errors).toEqual([
      earlier,
      { scope: 'clinicaltrials.gov', code: 'internal', message: 'socket hang up' },
    ]);
    expect(tally.notes).toEqual(['NCT00000005: imported 2 past versions', 'Taken up again']);
    expect(tally.unsaved()).toEqual({
      errors: [{ scope: 'clinicaltrials.gov', code: 'internal', message: 'socket hang up' }],
      notes: ['Taken up again'],
    });
    expect(tally.unsaved()).toEqual({ errors: [], notes: [] });
    expect(tally.status()).toBe('partial');
  });
});
