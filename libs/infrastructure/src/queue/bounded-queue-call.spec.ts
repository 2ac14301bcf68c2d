import { boundedQueueCall, QueueUnavailableError } from './bounded-queue-call.js';

describe('boundedQueueCall', () => {
  it('passes on the answer of a call that answers in time', async () => {
    await expect(boundedQueueCall(Promise.resolve('job-1'), 1_000)).resolves.toBe('job-1');
  });

  it('passes on the error of a call that fails in time', async () => {
    await expect(boundedQueueCall(Promise.reject(new Error('NOSCRIPT')), 1_000)).rejects.toThrow('NOSCRIPT');
  });

  it('gives up on a call Redis does not answer, with an unavailable error', async () => {
    const never = new Promise<string>(() => undefined);
    const error = await boundedQueueCall(never, 20).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect(error).toMatchObject({ code: 'queue.unavailable', kind: 'unavailable' });
  });

  it('leaves no unhandled rejection when the call fails after the timeout', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let fail!: (error: Error) => void;
    const late = new Promise<string>((_, reject) => (fail = reject));
    await expect(boundedQueueCall(late, 10)).rejects.toBeInstanceOf(QueueUnavailableError);
    fail(new Error('connection closed'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
