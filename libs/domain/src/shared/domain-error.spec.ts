import { describeError, DomainError } from './domain-error.js';

class NoSuchTrial extends DomainError {
  readonly code = 'trial.not-found';
  readonly kind = 'not-found' as const;
}

class Unreachable extends DomainError {
  readonly code = 'database.unavailable';
  readonly kind = 'unavailable' as const;
}

describe('describeError', () => {
  it("names a domain error's code and message", () => {
    expect(describeError(new NoSuchTrial('No trial NCT00000001'))).toBe('trial.not-found: No trial NCT00000001');
  });

  it('adds the cause, for whoever runs the command', () => {
    const error = new Unreachable(
      'The database (PostgreSQL) is unavailable; try again shortly',
      {},
      {
        cause: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
      },
    );
    expect(describeError(error)).toBe(
      'database.unavailable: The database (PostgreSQL) is unavailable; try again shortly (connect ECONNREFUSED 127.0.0.1:5432)',
    );
  });

  it('gives any other error its message', () => {
    expect(describeError(new Error('no such file'))).toBe('no such file');
  });
});
