import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { GetIngestionQuery } from './get-ingestion.query.js';
import { SnapshotStore } from '../snapshot-store.js';

@QueryHandler(GetIngestionQuery)
export class GetIngestionHandler implements IQueryHandler<GetIngestionQuery> {
  constructor(private readonly store: SnapshotStore) {}

  execute({ ingestionId }: GetIngestionQuery) {
    return this.store.get(ingestionId);
  }
}
