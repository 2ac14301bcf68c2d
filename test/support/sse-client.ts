/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  id: string;
  type: string;
  data: string;
}

/**
 * A Server-Sent Events client over fetch, parsing as the HTML standard says (and as EventSource does):
 * an `id:` line sets the last event id when its block ends, even a block without data.
 */
export class SseStream {
  readonly events: SseEvent[] = [];
  lastEventId: string | null;
  status = 0;
  /** The response's headers, once it has answered. */
  headers: Headers | null = null;
  /** Resolves when the server ends the stream (true) or the connection fails (false). */
  readonly ended: Promise<boolean>;
  private readonly controller = new AbortController();
  private buffer = '';
  private block: { id: string | null; type: string; data: string[] } = { id: null, type: 'message', data: [] };
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(url: string, lastEventId: string | null = null, headers: Record<string, string> = {}) {
    this.lastEventId = lastEventId;
    this.ended = this.run(url, { ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
  }

  /** Resolves once `count` events have arrived (or the stream ended). */
  async waitFor(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.events.length >= count) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
      this.ended,
      new Promise<void>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${this.events.length} of ${count} events after ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  close(): void {
    this.controller.abort();
  }

  private async run(url: string, headers: Record<string, string>): Promise<boolean> {
    try {
      const response = await fetch(url, { headers, signal: this.controller.signal });
      this.status = response.status;
      this.headers = response.headers;
      if (response.status !== 200 || !response.body) {
        this.buffer = await response.text();
        return false;
      }
      const decoder = new TextDecoder();
      for await (const chunk of response.body) this.feed(decoder.decode(chunk, { stream: true }));
      return true;
    } catch {
      return false;
    } finally {
      for (const waiter of this.waiters) waiter.resolve();
    }
  }

  /** The body of a refused stream. */
  get refusal(): string {
    return this.buffer;
  }

  private feed(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line === '') this.dispatch();
      else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') this.block.id = value;
        else if (field === 'event') this.block.type = value;
        else if (field === 'data') this.block.data.push(value);
      }
    }
  }

  private dispatch(): void {
    const { id, type, data } = this.block;
    this.block = { id: null, type: 'message', data: [] };
    if (id !== null) this.lastEventId = id;
    if (data.length === 0) return;
    this.events.push({ id: this.lastEventId ?? '', type, data: data.join('\n') });
    this.waiters = this.waiters.filter((waiter) => {
      if (this.events.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }
}

/**
 * A client that stays subscribed the way EventSource does: whenever its stream ends or fails, it
 * reconnects (to wherever `baseUrl()` says the api is now) with the last event id it holds.
 */
export class ReconnectingSseClient {
  readonly events: SseEvent[] = [];
  connections = 0;
  private current: SseStream | null = null;
  private stopped = false;
  readonly done: Promise<void>;

  constructor(
    private readonly baseUrl: () => string,
    private readonly path: string,
    startAfter: string | null,
    private readonly retryMs = 250,
  ) {
    this.done = this.loop(startAfter);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.current?.close();
    return this.done;
  }

  /** Every event received so far, over every connection. */
  get received(): SseEvent[] {
    return [...this.events, ...(this.current?.events ?? [])];
  }

  private async loop(startAfter: string | null): Promise<void> {
    let lastEventId = startAfter;
    while (!this.stopped) {
      const stream = new SseStream(`${this.baseUrl()}${this.path}`, lastEventId);
      this.current = stream;
      this.connections += 1;
      await stream.ended;
      this.current = null;
      this.events.push(...stream.events);
      // A refused or failed connection (the api is down) keeps the id it had, and waits longer.
      if (stream.status === 200) lastEventId = stream.lastEventId;
      await new Promise((resolve) => setTimeout(resolve, stream.status === 200 ? this.retryMs : this.retryMs * 4));
    }
  }
}
