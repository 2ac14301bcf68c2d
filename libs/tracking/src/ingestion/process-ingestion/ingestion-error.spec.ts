import { DatabaseUnavailableError } from '@app/infrastructure';
import { ingestionErrorOf } from './process-ingestion.handler.js';

describe('the error an ingestion attempt records', () => {
  it("is a domain error's code, message and details, with the lost connection's own words as the cause", () => {
    const error = new DatabaseUnavailableError(new Error('terminating connection due to administrator command'));
    expect(ingestionErrorOf(error)).toEqual({
      code: 'database.unavailable',
      message: 'The database (PostgreSQL) is unavailable; try again shortly',
      details: { retryAfterSeconds: 1, cause: 'terminating connection due to administrator command' },
    });
  });

  it('is ingestion.processing-failed with the message for any other error', () => {
    expect(ingestionErrorOf(new TypeError('x is undefined'))).toEqual({
      code: 'ingestion.processing-failed',
      message: 'x is undefined',
      details: {},
    });
  });
});
