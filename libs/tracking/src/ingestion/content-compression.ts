import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';

// Also the entry of the compression threads (see `ContentCompressor`): it imports nothing but Node's own
// modules, so a thread loads it as it is, from the build or, in the tests, from source.

/** zstd's default level: a registry document to about a fifth of its size, and a delta to tens of bytes. */
const LEVEL = 3;
/** A delta this much smaller than its content is kept without asking what compressing it alone would give. */
const SMALL_DELTA_RATIO = 20;

const compressOptions = (dictionary?: Uint8Array) => ({
  ...(dictionary ? { dictionary } : {}),
  params: { [constants.ZSTD_c_compressionLevel]: LEVEL, [constants.ZSTD_c_checksumFlag]: 1 },
});

export interface CompressedContent {
  bytes: Uint8Array;
  /** True when compressed with the keyframe as dictionary; false when alone (it can be a keyframe itself). */
  againstKeyframe: boolean;
}

/**
 * Compresses a content, against its trial's keyframe (an earlier content of the trial, compressed alone)
 * when there is one and that saves at least half of what compressing it alone does: a trial's versions
 * mostly repeat each other, so a new version costs about what changed in it.
 */
export const compressContent = (content: Uint8Array, keyframe: Uint8Array | null): CompressedContent => {
  if (keyframe) {
    const delta = zstdCompressSync(content, compressOptions(keyframe));
    if (delta.byteLength * SMALL_DELTA_RATIO <= content.byteLength) return { bytes: delta, againstKeyframe: true };
    const alone = zstdCompressSync(content, compressOptions());
    return delta.byteLength * 2 <= alone.byteLength
      ? { bytes: delta, againstKeyframe: true }
      : { bytes: alone, againstKeyframe: false };
  }
  return { bytes: zstdCompressSync(content, compressOptions()), againstKeyframe: false };
};

/** One trial's contents in order, and the keyframe they start from (null: none yet). */
export interface TrialContents {
  keyframe: Uint8Array | null;
  contents: Uint8Array[];
}

/** Each content against the keyframe before it: the last one compressed alone, or the one given. */
export const compressTrialContents = ({ keyframe, contents }: TrialContents): CompressedContent[] => {
  let current = keyframe;
  return contents.map((content) => {
    const compressed = compressContent(content, current);
    if (!compressed.againstKeyframe) current = content;
    return compressed;
  });
};

/** The content as received; `byteSize` bounds the output, so damaged bytes cannot expand without limit. */
export const decompressContent = (bytes: Uint8Array, dictionary: Uint8Array | null, byteSize: number): Buffer =>
  zstdDecompressSync(bytes, { ...(dictionary ? { dictionary } : {}), maxOutputLength: Math.max(1, byteSize) });

/** The threads' task: several trials' contents. */
export const compressTrials = (trials: TrialContents[]): CompressedContent[][] => trials.map(compressTrialContents);
