import { describeError, isDomainError, observationTimeOf } from '@app/domain';
import { CliError } from './cli-error.js';

/**
 * Reads `--observed-at` as ingestion reads `observedAt`: canonical, and refused (exit 2) when it is not
 * a time or lies ahead. The refusal names the option the user typed, not the API's field.
 */
export const observedAtOption = (value: string | undefined, now: Date): string | undefined => {
  try {
    return observationTimeOf(value, now) ?? undefined;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw new CliError(describeError(error).replace(/: observedAt /, ': --observed-at '), 2);
  }
};
