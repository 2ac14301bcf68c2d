import { Command } from '@nestjs/cqrs';
import type { Ingestion } from '../ingestion.js';

/** Parses a stored snapshot, diffs it against each trial's stream and appends the events. Idempotent. */
export class ProcessIngestionCommand extends Command<Ingestion> {
  constructor(readonly ingestionId: string) {
    super();
  }
}
