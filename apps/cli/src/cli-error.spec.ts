import { DomainError } from '@app/domain';
import { DatabaseUnavailableError } from '@app/infrastructure';
import { describeError } from './cli-error.js';

class NoSuchTrial extends DomainError {
  readonly code = 'trial.not-found';
  readonly kind = 'not-found' as const;
}

describe('describeError', () => {
  it("names a domain error's code and message", () => {
    expect(describeError(new NoSuchTrial('No trial NCT00000001'))).toBe('trial.not-found: No trial NCT00000001');
  });

  it('adds the cause, for whoever runs the command', () => {
    const error = new DatabaseUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(describeError(error)).toBe(
      'database.unavailable: The database (PostgreSQL) is unavailable; try again shortly (connect ECONNREFUSED 127.0.0.1:5432)',
    );
  });

  it('gives any other error its message', () => {
    expect(describeError(new Error('no such file'))).toBe('no such file');
  });
});
