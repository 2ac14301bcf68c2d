import { type DomainEvent, emptyFacts, type TrialFacts } from '@app/domain';
import type { RecordedChange } from '../recorded-change.js';

/** Builds the events of a trial's stream for the view and chart specs, numbered in order. */
export const recorded = (
  entries: readonly { at: string; event: DomainEvent; sha?: string }[],
  recordedAt = '2026-01-15T10:00:00.000Z',
): RecordedChange[] =>
  entries.map(({ at, event, sha }, index) => ({
    eventId: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
    streamVersion: index + 1,
    event,
    occurredAt: at,
    recordedAt,
    contentSha256: sha ?? null,
    materiality: null,
  }));

export const SHA_2016 = 'a'.repeat(64);
export const SHA_2017 = 'b'.repeat(64);

export const LEGACY_FACTS: TrialFacts = {
  ...emptyFacts('NCT00513591'),
  briefTitle: 'Duke Autoimmunity in Pregnancy Registry',
  officialTitle: 'Duke Autoimmunity in Pregnancy Registry',
  acronym: 'DAP Registry',
  overallStatus: 'RECRUITING',
  statusVerifiedDate: '2016-06',
  startDate: { date: '2007-08', type: null },
  primaryCompletionDate: { date: '2017-12', type: 'ESTIMATED' },
  lastUpdateSubmitDate: '2016-06-14',
  enrollment: { count: 500, type: 'ESTIMATED' },
  studyType: 'OBSERVATIONAL',
  phases: ['NA'],
  conditions: ['Pregnancy', 'Systemic Lupus Erythematosus'],
  leadSponsor: { name: 'Duke University', class: 'OTHER' },
};

/** The legacy XML pair of NCT00513591 as trialwatch records it: registered in 2016, five changes in the 2017 record. */
export const LEGACY_PAIR: RecordedChange[] = recorded([
  {
    at: '2016-06-14T00:00:00.000Z',
    sha: SHA_2016,
    event: { type: 'trial.registered', schemaVersion: 2, data: { facts: LEGACY_FACTS } },
  },
  {
    at: '2017-06-16T00:00:00.000Z',
    sha: SHA_2017,
    event: {
      type: 'trial.enrollment-updated',
      schemaVersion: 1,
      data: { from: { count: 500, type: 'ESTIMATED' }, to: { count: 1000, type: 'ESTIMATED' } },
    },
  },
  {
    at: '2017-06-16T00:00:00.000Z',
    sha: SHA_2017,
    event: {
      type: 'trial.primary-completion-date-changed',
      schemaVersion: 1,
      data: { from: { date: '2017-12', type: 'ESTIMATED' }, to: { date: '2018-06', type: 'ESTIMATED' } },
    },
  },
  {
    at: '2017-06-16T00:00:00.000Z',
    sha: SHA_2017,
    event: {
      type: 'trial.completion-date-changed',
      schemaVersion: 1,
      data: { from: null, to: { date: '2018-06', type: 'ESTIMATED' } },
    },
  },
  {
    at: '2017-06-16T00:00:00.000Z',
    sha: SHA_2017,
    event: { type: 'trial.status-verified-date-moved', schemaVersion: 1, data: { from: '2016-06', to: '2017-06' } },
  },
  {
    at: '2017-06-16T00:00:00.000Z',
    sha: SHA_2017,
    event: {
      type: 'trial.last-update-posted-date-moved',
      schemaVersion: 1,
      data: {
        from: null,
        to: { date: '2017-06-16', type: 'ACTUAL' },
        submitDate: { from: '2016-06-14', to: '2017-06-15' },
      },
    },
  },
]);
