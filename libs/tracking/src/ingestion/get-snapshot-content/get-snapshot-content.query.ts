import { Query } from '@nestjs/cqrs';

export interface SnapshotContent {
  sha256: string;
  content: Buffer;
  /** The media type its poster declared, if any: a hint, never what it is served as. */
  mediaType: string | null;
}

/** The raw content of a snapshot by its SHA-256 (64 lower-case hex digits). */
export class GetSnapshotContentQuery extends Query<SnapshotContent> {
  constructor(readonly sha256: string) {
    super();
  }
}
