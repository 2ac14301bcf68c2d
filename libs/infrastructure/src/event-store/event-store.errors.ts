import { DomainError } from '@app/domain';

export class ConcurrencyError extends DomainError {
  readonly code = 'event-store.concurrency-conflict';
  readonly kind = 'conflict' as const;
  constructor(readonly conflicts: { streamId: string; expected: ExpectedVersionDescription }[]) {
    super(
      `Another writer appended first: ${conflicts
        .map(({ streamId, expected }) => `${streamId} (expected ${expected})`)
        .join(', ')}`,
      { conflicts },
    );
  }
}

export type ExpectedVersionDescription = string;

/**
 * One call named a stream in two appends. Their expected versions cannot both be checked against the
 * stream's one row (a conflict of one would go unseen), so the call is refused before anything is written.
 */
export class StreamNamedTwiceError extends DomainError {
  readonly code = 'event-store.stream-named-twice';
  readonly kind = 'invalid' as const;
  constructor(readonly streamIds: string[]) {
    super(`Each stream is appended to once per call, with all its events: ${streamIds.join(', ')} named twice`, {
      streamIds,
    });
  }
}

/** An expected version that no stream can be at: a number that is not a whole number from 0 up. */
export class InvalidExpectedVersionError extends DomainError {
  readonly code = 'event-store.invalid-expected-version';
  readonly kind = 'invalid' as const;
  constructor(readonly streamIds: string[]) {
    super(`An expected version is 'any', 'no-stream' or a whole number from 0 up: not so for ${streamIds.join(', ')}`, {
      streamIds,
    });
  }
}
