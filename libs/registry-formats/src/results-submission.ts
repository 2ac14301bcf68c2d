import type { PartialDate } from '@app/domain';

/**
 * What befell a results submission awaiting the registry's quality-control review, as both formats
 * show it: the sponsor submitted it (API v2 `RELEASE`, legacy XML `<submitted>`), the review returned
 * it with comments (`RESET`, `<returned>`) or the sponsor took it back (`UNRELEASE`,
 * `<submission_canceled>`). `kind` is null for an event of another kind, `date` for one whose date
 * cannot be read.
 */
export interface SubmissionEvent {
  kind: 'submitted' | 'returned' | 'canceled' | null;
  date: PartialDate | null;
}

/**
 * The day the submission awaiting review was made: the first submission since the last cancellation,
 * the events taken in date order (those of one day as the record lists them); none when the latest is
 * a cancellation or there is no submission. A return with comments leaves it submitted. An event that
 * cannot be placed (no date) or is of another kind is left out.
 */
export const firstSubmissionAwaitingReview = (events: readonly SubmissionEvent[]): PartialDate | null => {
  const dated = events
    .filter(
      (event): event is { kind: NonNullable<SubmissionEvent['kind']>; date: PartialDate } =>
        event.kind !== null && event.date !== null,
    )
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let first: PartialDate | null = null;
  for (const { kind, date } of dated) {
    if (kind === 'canceled') first = null;
    else if (kind === 'submitted') first ??= date;
  }
  return first;
};
