import { isDomainError } from '@app/domain';

/** A failure the CLI reports in one line and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * One line for the person at the terminal: a domain error's code and message, and what caused it
 * (a lost connection's own words, say) when it has a cause.
 */
export const describeError = (error: unknown): string => {
  if (!isDomainError(error)) return error instanceof Error ? error.message : String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.code}: ${error.message}${cause}`;
};
