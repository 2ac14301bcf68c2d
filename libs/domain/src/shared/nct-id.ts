import { DomainError } from './domain-error.js';

const NCT_ID = /^NCT\d{8}$/;

export const isNctId = (value: string): boolean => NCT_ID.test(value);

export class InvalidNctIdError extends DomainError {
  readonly code = 'trial.invalid-nct-id';
  readonly kind = 'invalid' as const;
  constructor(value: string) {
    super(`"${value}" is not an NCT ID: expected NCT followed by 8 digits, e.g. NCT04811651`, { value });
  }
}

/** Accepts any letter case and surrounding space, returns the canonical upper-case form. */
export const parseNctId = (value: string): string => {
  const canonical = value.trim().toUpperCase();
  if (!isNctId(canonical)) throw new InvalidNctIdError(value);
  return canonical;
};

export const streamIdOf = (nctId: string): string => `trial-${nctId}`;

export const nctIdOfStream = (streamId: string): string => streamId.replace(/^trial-/, '');
