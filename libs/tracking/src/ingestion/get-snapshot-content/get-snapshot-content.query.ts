import { Query } from '@nestjs/cqrs';

export interface SnapshotContent {
  sha256: string;
  content: Buffer;
  /** The media type its first post declared, if any (kept once, as the content is): a hint, never what it is served as. */
  mediaType: string | null;
}

/** The raw content of a snapshot by its SHA-256 (64 lower-case hex digits). */
export class GetSnapshotContentQuery extends Query<SnapshotContent> {
  constructor(readonly sha256: string) {
    super();
  }
}
