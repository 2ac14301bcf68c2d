import { randomBytes } from 'node:crypto';
import { studyVersion } from '../../../../test/support/study-versions.js';
import { compressTrialContents, decompressContent } from './content-compression.js';
import { ContentCompressor } from './content-compressor.js';

describe('the content compressor', () => {
  const compressor = new ContentCompressor();
  afterAll(() => compressor.onModuleDestroy());

  it('compresses a batch on its threads to the same bytes as on the caller thread, each trial against its keyframe', async () => {
    const trials = [
      { keyframe: null, contents: Array.from({ length: 6 }, (_, i) => Buffer.from(studyVersion(i, 'NCT00000401'))) },
      {
        keyframe: Buffer.from(studyVersion(0, 'NCT00000402')),
        contents: [Buffer.from(studyVersion(1, 'NCT00000402')), randomBytes(4096)],
      },
      { keyframe: null, contents: [Buffer.from('not a trial record')] },
    ];
    const onThreads = await compressor.compress(trials);
    expect(compressor.tasksOnThreads).toBeGreaterThan(0);
    expect(onThreads).toHaveLength(3);
    onThreads.forEach((compressed, index) => {
      const here = compressTrialContents(trials[index]!);
      expect(compressed.map((content) => Buffer.from(content.bytes))).toEqual(
        here.map((content) => Buffer.from(content.bytes)),
      );
      expect(compressed.map((content) => content.againstKeyframe)).toEqual(
        here.map((content) => content.againstKeyframe),
      );
    });
    // The first version alone, the rest against it; random bytes share nothing with a keyframe.
    expect(onThreads[0]!.map((content) => content.againstKeyframe)).toEqual([false, true, true, true, true, true]);
    expect(onThreads[1]!.map((content) => content.againstKeyframe)).toEqual([true, false]);
    const fifth = onThreads[0]![4]!;
    expect(decompressContent(fifth.bytes, trials[0]!.contents[0]!, trials[0]!.contents[4]!.byteLength)).toEqual(
      trials[0]!.contents[4],
    );
  });

  it('compresses a few small contents on the caller thread, and one large content on a thread', async () => {
    const small = [{ keyframe: null, contents: [Buffer.from(studyVersion(0, 'NCT00000403'))] }];
    const before = compressor.tasksOnThreads;
    expect(await compressor.compress(small)).toEqual(small.map(compressTrialContents));
    expect(compressor.tasksOnThreads).toBe(before);

    const large = [{ keyframe: null, contents: [Buffer.from(studyVersion(0, 'NCT00000404').repeat(50))] }];
    expect(large[0]!.contents[0]!.byteLength).toBeGreaterThan(256 * 1024);
    const [[compressed]] = await compressor.compress(large);
    expect(compressor.tasksOnThreads).toBe(before + 1);
    expect(decompressContent(compressed!.bytes, null, large[0]!.contents[0]!.byteLength)).toEqual(
      large[0]!.contents[0],
    );
  });
});
