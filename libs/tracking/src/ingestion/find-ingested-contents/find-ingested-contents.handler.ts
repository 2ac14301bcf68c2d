import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SnapshotStore } from '../snapshot-store.js';
import { FindIngestedContentsQuery } from './find-ingested-contents.query.js';

@QueryHandler(FindIngestedContentsQuery)
export class FindIngestedContentsHandler implements IQueryHandler<FindIngestedContentsQuery> {
  constructor(private readonly store: SnapshotStore) {}

  execute({ sha256s }: FindIngestedContentsQuery): Promise<Set<string>> {
    return this.store.ingestedContents(sha256s);
  }
}
