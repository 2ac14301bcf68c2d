import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SnapshotContents } from '../snapshot-contents.js';
import { CompressStoredContentsCommand, type StoredContentsCompression } from './compress-stored-contents.command.js';

@CommandHandler(CompressStoredContentsCommand)
export class CompressStoredContentsHandler implements ICommandHandler<CompressStoredContentsCommand> {
  constructor(private readonly contents: SnapshotContents) {}

  async execute({ batchSize, onBatch }: CompressStoredContentsCommand): Promise<StoredContentsCompression> {
    const sofar: StoredContentsCompression = { contents: 0, bytesBefore: 0, bytesAfter: 0 };
    for (let after = ''; ;) {
      const batch = await this.contents.compressStored(after, batchSize);
      if (!batch) return sofar;
      sofar.contents += batch.count;
      sofar.bytesBefore += batch.bytesBefore;
      sofar.bytesAfter += batch.bytesAfter;
      onBatch?.({ ...sofar });
      after = batch.last;
    }
  }
}
