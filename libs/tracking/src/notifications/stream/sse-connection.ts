import type { ServerResponse } from 'node:http';

/**
 * One Server-Sent Events response, written with back-pressure: when the client does not read and its
 * buffers are full, writing pauses until it reads (`drain`), instead of buffering without bound. A
 * client that reads nothing for `stallTimeoutMs` is dropped: it reconnects with Last-Event-ID, the
 * id of the last event it read whole, and misses nothing. A shutdown stops the wait too.
 */
export class SseConnection {
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly stallTimeoutMs: number,
    private readonly shutdown: AbortSignal,
  ) {
    response.once('close', () => (this.closed = true));
  }

  get open(): boolean {
    return !this.closed && !this.response.destroyed && !this.response.writableEnded;
  }

  /** Writes one block; returns whether the connection is still open for more. */
  async write(block: string): Promise<boolean> {
    if (!this.open) return false;
    if (this.response.write(block)) return true;
    if (await this.drained()) return this.open;
    this.response.destroy();
    return false;
  }

  /** Ends the response with a last block, dropping it if the client does not take it within the stall timeout. */
  end(block: string): void {
    if (!this.open) return;
    const timer = setTimeout(() => this.response.destroy(), Math.min(this.stallTimeoutMs, 2000));
    timer.unref();
    this.response.once('close', () => clearTimeout(timer));
    this.response.end(block);
  }

  /** Waits for the client to read; false when it did not within the stall timeout, left, or the server is stopping. */
  private drained(): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (drained: boolean) => {
        clearTimeout(timer);
        this.response.off('drain', onDrain);
        this.response.off('close', onClose);
        this.shutdown.removeEventListener('abort', onShutdown);
        resolve(drained);
      };
      const onDrain = () => finish(true);
      const onClose = () => finish(false);
      const onShutdown = () => finish(false);
      const timer = setTimeout(() => finish(false), this.stallTimeoutMs);
      this.response.on('drain', onDrain);
      this.response.on('close', onClose);
      if (this.shutdown.aborted) finish(false);
      else this.shutdown.addEventListener('abort', onShutdown, { once: true });
    });
  }
}
