import type { SnapshotFormat } from '@app/domain';

/**
 * `appended`: the snapshot changed at least one trial (registry change events); `learned`: it only taught
 * facts (`trial.facts-learned`); `unchanged`, `stale`: nothing appended.
 */
export const FINAL_STATUSES = ['appended', 'learned', 'unchanged', 'stale', 'rejected', 'failed'] as const;
export type IngestionStatus = 'queued' | (typeof FINAL_STATUSES)[number];
export const INGESTION_STATUSES = ['queued', ...FINAL_STATUSES] as const;

/** What happened to one trial's snapshot within an ingestion. */
export interface TrialOutcome {
  nctId: string;
  outcome: 'appended' | 'learned' | 'unchanged' | 'stale';
  /** The stream version after this ingestion. */
  streamVersion: number;
  events: { eventId: string; type: string; streamVersion: number; globalPosition: string; occurredAt: string }[];
}

export interface IngestionError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The ingestion log entry of one snapshot received, and its outcome. */
export interface Ingestion {
  id: string;
  contentSha256: string;
  source: string;
  requestedFormat: SnapshotFormat | null;
  format: string | null;
  observedAt: string | null;
  /** Overrides the snapshot's own effective date for the events it yields. */
  effectiveAt: string | null;
  receivedAt: string;
  status: IngestionStatus;
  nctIds: string[];
  results: TrialOutcome[];
  /**
   * Why it was rejected or failed; while a `queued` ingestion is being retried, the last attempt's error.
   * A failed ingestion's error details hold `attempts` and `failedAt`.
   */
  error: IngestionError | null;
  /** Processing attempts so far (INGEST_MAX_ATTEMPTS of them end it `failed`). */
  attempts: number;
  completedAt: string | null;
  correlationId: string | null;
  /** The `Content-Type` it was posted with (its charset is the one it is read in); null when it named none. */
  contentType: string | null;
}

export const isFinal = (status: IngestionStatus): boolean => (FINAL_STATUSES as readonly string[]).includes(status);
