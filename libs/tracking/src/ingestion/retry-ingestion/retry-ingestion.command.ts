import { Command } from '@nestjs/cqrs';
import type { Ingestion } from '../ingestion.js';

/** Queues a `failed` ingestion again with its attempts reset; any other status is a conflict (409 `ingestion.not-failed`). */
export class RetryIngestionCommand extends Command<Ingestion> {
  constructor(readonly ingestionId: string) {
    super();
  }
}
