import { DomainError } from '@app/domain';

/**
 * SQLSTATEs that say the server cannot serve the connection now, whatever the statement: connection
 * exceptions (class 08), the server shutting down or starting up (57P01-57P03), too many connections.
 */
const UNAVAILABLE_STATE = /^(08|57P0[123]$|53300$)/;
/** Socket errors on the way to the server, and a name server's "try again" for the server's name. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** What the driver says of a connection that was lost or could not be opened (it gives these no code). */
const LOST_CONNECTION = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/**
 * Whether an error means PostgreSQL could not be reached or dropped the connection, rather than that
 * the statement failed: the request may succeed if sent again.
 */
export const isDatabaseUnavailable = (error: unknown): boolean => {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const { code, name, message } = current;
    if (typeof code === 'string' && (UNAVAILABLE_STATE.test(code) || NETWORK_CODES.has(code))) return true;
    // TypeORM's answer to a query on a connection that an error has already taken away.
    if (name === 'QueryRunnerAlreadyReleasedError') return true;
    if (typeof message === 'string' && LOST_CONNECTION.some((start) => message.startsWith(start))) return true;
    current = (current.driverError ?? current.cause) as ErrorLike | undefined;
  }
  return false;
};

/**
 * PostgreSQL could not serve a request (unreachable, restarting, or the connection was cut). The
 * driver's own message (which may name the server's address) is kept as the `cause`, for the logs,
 * not in the message a client is shown.
 */
export class DatabaseUnavailableError extends DomainError {
  readonly code = 'database.unavailable';
  readonly kind = 'unavailable' as const;

  constructor(cause: unknown, message = 'The database (PostgreSQL) is unavailable; try again shortly') {
    super(message, { retryAfterSeconds: 1 }, { cause });
  }
}

/**
 * PostgreSQL answered and refused what DATABASE_URL asks for (an unknown role, a wrong password, a
 * database the role may not create), or the URL's host has no address: waiting will not mend it, the
 * setting must change. The driver's words are the `cause`; the URL, which may hold a password, is not
 * repeated.
 */
export class DatabaseCannotConnectError extends DomainError {
  readonly code = 'database.cannot-connect';
  readonly kind = 'invalid' as const;

  constructor(cause: unknown) {
    super('Cannot connect to PostgreSQL with DATABASE_URL', {}, { cause });
  }
}
