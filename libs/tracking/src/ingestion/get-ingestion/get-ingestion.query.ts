import { Query } from '@nestjs/cqrs';
import type { Ingestion } from '../ingestion.js';

export class GetIngestionQuery extends Query<Ingestion> {
  constructor(readonly ingestionId: string) {
    super();
  }
}
