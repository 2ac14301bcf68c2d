import { TimeLimitError, withinTime } from './within-time.js';

describe('withinTime', () => {
  it("gives the work's result when it finishes in time", async () => {
    await expect(withinTime(Promise.resolve(42), 1000, 'answering')).resolves.toBe(42);
  });

  it("passes the work's own failure through", async () => {
    await expect(withinTime(Promise.reject(new Error('refused')), 1000, 'answering')).rejects.toThrow('refused');
  });

  it('fails with the name of the work and stops it when it hangs', async () => {
    let stopped = false;
    const hanging = new Promise<never>(() => undefined);
    const outcome = withinTime(hanging, 50, 'PostgreSQL start', () => (stopped = true));
    await expect(outcome).rejects.toThrow(new TimeLimitError('PostgreSQL start', 50));
    await expect(outcome).rejects.toThrow('PostgreSQL start took longer than 50 ms');
    expect(stopped).toBe(true);
  });
});
