import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import unzipper from 'unzipper';
import { CliError } from './cli-error.js';
import { isSnapshotFileName } from './input-files.js';

/** One study document of an archive, read whole, or only measured when it is larger than the limit. */
export type ArchiveEntry = { name: string; content: Buffer } | { name: string; tooLargeBytes: number };

export const isArchivePath = (path: string): boolean => /\.zip$/i.test(path);

/** The archive ended before its last entry or its central directory: a download cut short. */
export class TruncatedArchiveError extends CliError {
  constructor(
    readonly archive: string,
    readonly afterEntry: string | null,
  ) {
    super(
      `archive.truncated: ${archive} ends too early ` +
        (afterEntry ? `(after the entry ${afterEntry})` : '(before its first entry)') +
        '; the file is incomplete, download it again',
    );
  }
}

/**
 * The snapshot entries of a ZIP archive (the registry's all-studies download holds one study document
 * per file), read in order from the local headers as the file streams by: nothing is unpacked to disk
 * and only the current entry is held in memory. An entry larger than `maxBytes` is measured, not kept.
 * A truncated file throws TruncatedArchiveError once the entries before the cut have been yielded.
 */
export async function* readArchiveEntries(
  path: string,
  { maxBytes, onBytesRead }: { maxBytes: number; onBytesRead?: (bytes: number) => void },
): AsyncGenerator<ArchiveEntry> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new CliError(`${path}: no such archive`, 2);
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytesRead?.(chunk.byteLength);
      done(null, chunk);
    },
  });
  const parse = createReadStream(path)
    .pipe(counted)
    .pipe(unzipper.Parse({ forceStream: true }));
  let lastEntry: string | null = null;
  // The parser reports a cut-short file on itself, not on the entry being read: every read races it.
  const failure = new Promise<never>((_, reject) => parse.once('error', reject));
  failure.catch(() => undefined);
  try {
    for await (const entry of parse as AsyncIterable<unzipper.Entry>) {
      if (entry.type !== 'File' || !isSnapshotFileName(entry.path)) {
        entry.autodrain();
        continue;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      await Promise.race([
        (async () => {
          for await (const chunk of entry as AsyncIterable<Buffer>) {
            bytes += chunk.byteLength;
            if (bytes <= maxBytes) chunks.push(chunk);
          }
        })(),
        failure,
      ]);
      lastEntry = entry.path;
      yield bytes > maxBytes
        ? { name: entry.path, tooLargeBytes: bytes }
        : { name: entry.path, content: Buffer.concat(chunks, bytes) };
    }
  } catch (error) {
    if (error instanceof Error && error.message === 'FILE_ENDED') throw new TruncatedArchiveError(path, lastEntry);
    if (error instanceof CliError) throw error;
    throw new CliError(
      `archive.unreadable: ${path} is not a ZIP archive trialwatch can read (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    parse.destroy();
  }
}
