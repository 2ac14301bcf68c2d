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

export const describeError = (error: unknown): string =>
  isDomainError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
