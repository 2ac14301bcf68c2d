import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable.js';

/** A PostgreSQL error as the driver gives it: a message and the server's SQLSTATE. */
const serverError = (code: string, message: string) => Object.assign(new Error(message), { code });
/** The same error as TypeORM rethrows it from a query. */
const queryFailed = (driverError: Error) =>
  Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'the server shutting down (a restart, pg_terminate_backend)',
      serverError('57P01', 'terminating connection due to administrator command'),
    ],
    ['the server starting up', serverError('57P03', 'the database system is starting up')],
    ['too many connections', serverError('53300', 'sorry, too many clients already')],
    ['a connection exception', serverError('08006', 'connection failure')],
    [
      'the same, rethrown by TypeORM',
      queryFailed(serverError('57P01', 'terminating connection due to administrator command')),
    ],
    [
      'the server not listening',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      "a name server's try again for the server's name",
      Object.assign(new Error('getaddrinfo EAI_AGAIN postgres'), { code: 'EAI_AGAIN' }),
    ],
    ['a connection that ended under a query', new Error('Connection terminated unexpectedly')],
    ['a connection that did not open in time', new Error('timeout exceeded when trying to connect')],
    [
      'a query on a connection an error took away',
      queryFailed(new Error('Client has encountered a connection error and is not queryable')),
    ],
    [
      'a query after TypeORM released the connection for its error',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', queryFailed(serverError('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', serverError('42601', 'syntax error at or near "SELEC"')],
    ['a lock not available', serverError('55P03', 'could not obtain lock on relation')],
    ['a serialization failure', serverError('40001', 'could not serialize access')],
    [
      'a host name no name server knows (a mistyped DATABASE_URL)',
      Object.assign(new Error('getaddrinfo ENOTFOUND postgress'), { code: 'ENOTFOUND' }),
    ],
    ['an unknown role', serverError('28000', 'role "trialwatch" does not exist')],
    ['an error of the application', new Error('Trial NCT00000001 not found')],
    ['something that is not an error', 'Connection terminated'],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("becomes a domain error the api answers 503 with a retry delay, the driver's message kept as its cause", () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.5:5432');
    const error = new DatabaseUnavailableError(cause);
    expect(error.toJSON()).toEqual({
      code: 'database.unavailable',
      message: 'The database (PostgreSQL) is unavailable; try again shortly',
      details: { retryAfterSeconds: 1 },
    });
    expect(error.kind).toBe('unavailable');
    expect(error.cause).toBe(cause);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
