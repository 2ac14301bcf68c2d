import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '@app/domain';
import { APP_CONFIG, type AppConfig, apiKeyOf } from '@app/infrastructure';

export class TooManyStreamsError extends DomainError {
  readonly code = 'stream.too-many';
  readonly kind = 'rate-limited' as const;
}

/** Who a stream counts against: its API key, or, when the api runs without keys, the client's address. */
export const streamClientOf = (request: Request): { id: string; label: string } => {
  const key = apiKeyOf(request);
  if (key) return { id: `key:${key.name}`, label: `API key "${key.name}"` };
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return { id: `ip:${address}`, label: `client address ${address}` };
};

/** The live streams open in this api process, per API key (or client address): at most STREAM_MAX_PER_KEY each. */
@Injectable()
export class OpenStreams {
  private readonly open = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Counts a stream as open for `client`, or refuses it (429) past the cap; returns the release. */
  acquire(client: { id: string; label: string }): () => void {
    const count = this.open.get(client.id) ?? 0;
    const max = this.config.streams.maxPerKey;
    if (count >= max) {
      throw new TooManyStreamsError(
        `The ${client.label} already holds ${count} open change streams, the most allowed (STREAM_MAX_PER_KEY=${max}); ` +
          'close one before opening another',
        { open: count, max, retryAfterSeconds: 5 },
      );
    }
    this.open.set(client.id, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(client.id) ?? 1) - 1;
      if (left > 0) this.open.set(client.id, left);
      else this.open.delete(client.id);
    };
  }
}
