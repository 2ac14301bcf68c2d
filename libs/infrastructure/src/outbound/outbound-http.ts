import { Agent, request } from 'undici';
import { hostOf, type OutboundPolicy, RefusedAddressError } from './outbound-policy.js';

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, body included. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** `error` (default): a longer body fails the request; `truncate`: the rest is dropped unread. */
  oversize?: 'error' | 'truncate';
}

export interface OutboundResponse {
  url: URL;
  status: number;
  headers: Headers;
  body: Buffer;
}

export type OutboundFailure = 'refused' | 'timeout' | 'too-large' | 'network';

/** A request that got no usable answer; the message never holds the response body. */
export class OutboundRequestError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundRequestError';
  }

  /** Worth another attempt later: the network or the receiver may recover, the policy and a size will not. */
  get retryable(): boolean {
    return this.reason === 'timeout' || this.reason === 'network';
  }
}

const causes = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 8; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
};

/**
 * HTTP for URLs users give trialwatch, under the outbound policy: undici agents whose connections
 * resolve hosts through the policy's `lookup` (only allowed addresses are ever dialled), a time cap on
 * the whole exchange, a byte cap on the answer, and redirects returned, never followed.
 */
export class OutboundHttp {
  private readonly agents: Record<'http:' | 'https:', Agent>;

  constructor(
    private readonly policy: OutboundPolicy,
    private readonly userAgent = 'trialwatch',
  ) {
    this.agents = {
      'http:': new Agent({ connect: { lookup: policy.lookupFor('http:') } }),
      'https:': new Agent({ connect: { lookup: policy.lookupFor('https:') } }),
    };
  }

  async request(url: URL, options: OutboundRequest): Promise<OutboundResponse> {
    const protocol = url.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new OutboundRequestError('refused', `only http and https URLs are fetched, not ${protocol}`);
    }
    try {
      this.policy.assertLiteralAllowed(url);
      const response = await request(url, {
        dispatcher: this.agents[protocol],
        method: options.method ?? 'GET',
        headers: { 'user-agent': this.userAgent, ...options.headers },
        body: options.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
          headers.append(name, item);
      }
      const declared = Number(headers.get('content-length') ?? Number.NaN);
      const truncate = options.oversize === 'truncate';
      if (declared > options.maxResponseBytes && !truncate) {
        response.body.destroy();
        throw this.tooLarge(url, options.maxResponseBytes);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          response.body.destroy();
          if (!truncate) throw this.tooLarge(url, options.maxResponseBytes);
          chunks.push(chunk.subarray(0, chunk.length - (size - options.maxResponseBytes)));
          break;
        }
        chunks.push(chunk);
      }
      return { url, status: response.statusCode, headers, body: Buffer.concat(chunks) };
    } catch (error) {
      const failure = this.describe(error, url, options.timeoutMs);
      if (failure.retryable) this.policy.forgetAnswer(hostOf(url));
      throw failure;
    }
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.agents).map((agent) => agent.close()));
  }

  private tooLarge(url: URL, limit: number): OutboundRequestError {
    return new OutboundRequestError('too-large', `${hostOf(url)} answered with more than ${limit} bytes`);
  }

  private describe(error: unknown, url: URL, timeoutMs: number): OutboundRequestError {
    const chain = causes(error);
    const found = <T>(test: (item: unknown) => item is T): T | undefined => chain.find(test);
    const outbound = found((item): item is OutboundRequestError => item instanceof OutboundRequestError);
    if (outbound) return outbound;
    const refused = found(
      (item): item is RefusedAddressError =>
        item instanceof RefusedAddressError || (item as { code?: unknown })?.code === 'EOUTBOUNDREFUSED',
    );
    if (refused) return new OutboundRequestError('refused', refused.message);
    if (chain.some((item) => ['TimeoutError', 'AbortError'].includes((item as { name?: string })?.name ?? ''))) {
      return new OutboundRequestError('timeout', `${hostOf(url)} gave no complete answer within ${timeoutMs} ms`);
    }
    const coded = found(
      (item): item is NodeJS.ErrnoException => typeof (item as { code?: unknown })?.code === 'string',
    );
    const last = chain[chain.length - 1] as Error | undefined;
    return new OutboundRequestError(
      'network',
      coded ? `${coded.code}: ${coded.message}` : (last?.message ?? String(error)),
    );
  }
}
