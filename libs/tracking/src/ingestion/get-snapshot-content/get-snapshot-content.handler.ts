import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@app/domain';
import { GetSnapshotContentQuery, type SnapshotContent } from './get-snapshot-content.query.js';
import { SnapshotStore } from '../snapshot-store.js';

export class InvalidContentAddressError extends DomainError {
  readonly code = 'request.invalid-content-address';
  readonly kind = 'invalid' as const;
  constructor(value: string) {
    super(`"${value}" is not a SHA-256 content address (64 lower-case hex digits)`, { value });
  }
}

export class SnapshotContentNotFoundError extends DomainError {
  readonly code = 'snapshot.content-not-found';
  readonly kind = 'not-found' as const;
  constructor(sha256: string) {
    super(`No snapshot content with SHA-256 ${sha256}`, { sha256 });
  }
}

@QueryHandler(GetSnapshotContentQuery)
export class GetSnapshotContentHandler implements IQueryHandler<GetSnapshotContentQuery> {
  constructor(private readonly store: SnapshotStore) {}

  async execute({ sha256 }: GetSnapshotContentQuery): Promise<SnapshotContent> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new InvalidContentAddressError(sha256);
    const stored = await this.store.content(sha256);
    if (!stored) throw new SnapshotContentNotFoundError(sha256);
    return { sha256, ...stored };
  }
}
