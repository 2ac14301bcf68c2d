import { describeError, isDomainError } from '@app/domain';

/** A failure the CLI reports in one line and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The exit code of a failure: a CliError's own, 2 for input the application refused as invalid, else 1. */
export const exitCodeOf = (error: unknown): number =>
  error instanceof CliError ? error.exitCode : isDomainError(error) && error.kind === 'invalid' ? 2 : 1;

/**
 * The application could not start (PostgreSQL not reached within DATABASE_STARTUP_WAIT, a bad setting).
 * What it had opened by then cannot be closed, so the command exits once it has said why.
 */
export class StartFailedError extends CliError {
  constructor(failure: unknown) {
    super(describeError(failure), exitCodeOf(failure));
  }
}
