import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { DomainError } from '@app/domain';
import type { OutboundAllowList } from './allow-list.js';
import type { HostResolver } from './host-resolver.js';
import { addressRange, isPublicUnicast } from './public-address.js';

/** What a URL is for, so that a refusal names it and carries the right error code. */
export interface OutboundPurpose {
  /** e.g. "Webhook URLs", "Page URLs". */
  label: string;
  /** e.g. `subscription.unsafe-url`. */
  errorCode: string;
}

export class UnsafeUrlError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** Raised inside a connection attempt when the host resolves to addresses the policy refuses. */
export class RefusedAddressError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  /** Retrying cannot help: the answer is the policy's. */
  readonly retryable = false;
  constructor(
    readonly hostname: string,
    readonly addresses: string[],
  ) {
    super(`${hostname} resolves only to addresses trialwatch may not reach (${addresses.join(', ')})`);
    this.name = 'RefusedAddressError';
  }
}

const ALLOW_SETTING = 'OUTBOUND_ALLOWED_HOSTS';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The one rule for every URL trialwatch fetches on a user's behalf (webhooks, watchlist pages): https,
 * no credentials, and public unicast addresses only, unless the operator's allow-list admits the host
 * or its addresses (then plain http too). `check` applies it when a URL is saved and before each request;
 * `lookup` applies it again inside every connection, to the addresses the connection will really use,
 * so that a DNS answer that changes after the check (rebinding) cannot point a request inward.
 */
export class OutboundPolicy {
  constructor(
    private readonly allowList: OutboundAllowList,
    private readonly resolver: HostResolver,
  ) {}

  /** The parsed URL if it may be fetched now, else an UnsafeUrlError naming the problem. */
  async check(rawUrl: string, purpose: OutboundPurpose): Promise<URL> {
    const refuse = (message: string, details: Record<string, unknown> = {}) =>
      new UnsafeUrlError(purpose.errorCode, message, { url: redactUrl(rawUrl), ...details });
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw refuse(`"${redactUrl(rawUrl)}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw refuse(`${purpose.label} must be https, not ${url.protocol}`);
    }
    if (url.username || url.password) {
      throw refuse(`${purpose.label} may not carry credentials`);
    }
    const host = hostOf(url);
    let addresses: string[];
    try {
      addresses = (await this.resolver.resolve(host)).map((entry) => entry.address);
    } catch (error) {
      throw refuse(`Cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        host,
      });
    }
    if (url.protocol === 'http:' && !this.admitsAll(host, addresses)) {
      throw refuse(`${purpose.label} must use https (${host} is not in ${ALLOW_SETTING})`, { host });
    }
    const refused = addresses.find((address) => !this.mayConnect(url.protocol, host, address));
    if (refused !== undefined) {
      const what = refused === host ? host : `${host} resolves to ${refused}, which`;
      throw refuse(
        `${what} is not a public address (${addressRange(refused)}); add it to ${ALLOW_SETTING} to allow it`,
        { host, address: refused },
      );
    }
    return url;
  }

  /** After a request to `host` failed on the network: its next look-up asks the resolver again. */
  forgetAnswer(host: string): void {
    this.resolver.forget?.(host);
  }

  /** Whether a connection for `protocol` to `address`, resolved from `host`, is allowed. */
  mayConnect(protocol: string, host: string, address: string): boolean {
    if (this.allowList.admitsHost(host) || this.allowList.admitsAddress(address)) return true;
    return protocol === 'https:' && isPublicUnicast(address);
  }

  /**
   * A `lookup` for sockets (net.connect, undici's connector): resolves with the policy's resolver and
   * passes on only the addresses `protocol` may reach; none left is a RefusedAddressError.
   */
  lookupFor(protocol: 'http:' | 'https:') {
    return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
      this.resolver.resolve(hostname).then(
        (resolved) => {
          const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
          const candidates = resolved.filter((entry) => wanted === 0 || entry.family === wanted);
          const allowed = candidates.filter((entry) => this.mayConnect(protocol, hostname, entry.address));
          if (allowed.length === 0) {
            callback(
              new RefusedAddressError(
                hostname,
                candidates.map((entry) => entry.address),
              ) as unknown as NodeJS.ErrnoException,
              [],
            );
            return;
          }
          if (options.all) callback(null, allowed);
          else callback(null, allowed[0]!.address, allowed[0]!.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, []),
      );
    };
  }

  /** A request to an IP literal opens no lookup: the same rule, applied before connecting. */
  assertLiteralAllowed(url: URL): void {
    const host = hostOf(url);
    if (isIP(host) && !this.mayConnect(url.protocol, host, host)) throw new RefusedAddressError(host, [host]);
  }

  private admitsAll(host: string, addresses: string[]): boolean {
    return (
      this.allowList.admitsHost(host) ||
      (addresses.length > 0 && addresses.every((address) => this.allowList.admitsAddress(address)))
    );
  }
}

/** The host of a URL without IPv6 brackets, lower-cased. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** What stands in for everything after a shown URL's host and port. */
const HIDDEN = '/…';

/**
 * A URL as it may be shown to anyone but its owner and written to logs: its scheme, host and port only.
 * Receivers carry their token in the query string or, as Slack, Discord, Teams and Zapier do, in the path
 * (some in its first segment), so everything after the port (credentials are before it) shows as `/…`.
 * With `keepPath` (a registry page, whose path its watchlist shows anyway and which tells one page of a
 * host from another) the path stays and only credentials and the query string go.
 */
export const redactUrl = (rawUrl: string, { keepPath = false }: { keepPath?: boolean } = {}): string => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    if (keepPath) return rawUrl.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '?[redacted]');
    // Not a URL: what looks like its host, without credentials, and nothing after it.
    const [, scheme = '', authority = ''] = /^((?:[a-z][a-z\d+.-]*:)?\/\/)?([^/?#]*)/i.exec(rawUrl)!;
    const rest = rawUrl.slice(scheme.length + authority.length);
    return `${scheme}${authority.replace(/^.*@/, '')}${rest === '' || rest === '/' ? rest : HIDDEN}`;
  }
  if (keepPath) {
    url.username = '';
    url.password = '';
    if (url.search) url.search = '?[redacted]';
    url.hash = '';
    return url.href;
  }
  const origin = url.host ? `${url.protocol}//${url.host}` : url.protocol;
  const hidesSomething = (url.pathname !== '' && url.pathname !== '/') || url.search !== '';
  return hidesSomething ? `${origin}${HIDDEN}` : url.host ? `${origin}/` : origin;
};

/** A registry page's URL as run errors and logs show it: its path kept, credentials and query string gone. */
export const redactPageUrl = (rawUrl: string): string => redactUrl(rawUrl, { keepPath: true });
