/**
 * How an error should be treated by whoever reports it (an HTTP filter, the CLI).
 * `invalid`: the caller sent something unusable; `not-found`: it names nothing we know;
 * `conflict`: it raced with another writer; `unavailable`: a dependency failed, retry later;
 * `unauthenticated` / `forbidden`: no valid credentials / not enough rights; `rate-limited`: slow down.
 */
export type DomainErrorKind =
  'invalid' | 'not-found' | 'conflict' | 'unavailable' | 'unauthenticated' | 'forbidden' | 'rate-limited';

/** The one base of every error the domain and its adapters raise on purpose. */
export abstract class DomainError extends Error {
  /** Stable, dotted machine-readable code, e.g. `snapshot.missing-nct-id`. */
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/**
 * For the person at the terminal, without a stack trace: a domain error's code and message (a list of
 * problems keeps its lines), and what caused it (a lost connection's own words, say) when it has a
 * cause; any other error its message. The CLI tells its failures so, and the api and worker a failed start.
 */
export const describeError = (error: unknown): string => {
  if (!isDomainError(error)) return error instanceof Error ? error.message : String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.code}: ${error.message}${cause}`;
};
