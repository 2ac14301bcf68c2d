import { Command } from '@nestjs/cqrs';

export interface StoredContentsCompression {
  /** Contents compressed so far. */
  contents: number;
  /** Their bytes as they were stored, and compressed. */
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Compresses the raw contents stored before contents were compressed (`encoding = 'identity'`), a
 * batch per transaction, as new ones are: each content of one trial against its keyframe.
 */
export class CompressStoredContentsCommand extends Command<StoredContentsCompression> {
  constructor(
    readonly batchSize = 200,
    readonly onBatch?: (sofar: StoredContentsCompression) => void,
  ) {
    super();
  }
}
