import type { Outcome } from '@app/domain';
import type { CsvColumn } from '../../shared/csv-export.js';
import type { SwitchedTrial } from './get-outcome-switching-report.query.js';

/** One CSV row per switch, with its trial. */
export type SwitchRow = SwitchedTrial['switches'][number] & { trial: SwitchedTrial };

const outcome = (item: Outcome): string => (item.timeFrame ? `${item.measure} [${item.timeFrame}]` : item.measure);

const list = (items: Outcome[]): string => items.map(outcome).join(' | ');

/** The outcome-switching report's CSV columns. */
export const OUTCOME_SWITCHING_COLUMNS: CsvColumn<SwitchRow>[] = [
  { header: 'nct_id', value: (row) => row.trial.nctId },
  { header: 'brief_title', value: (row) => row.trial.briefTitle },
  { header: 'lead_sponsor', value: (row) => row.trial.leadSponsor },
  { header: 'start_date', value: (row) => row.trial.startDate?.date },
  { header: 'primary_completion_date', value: (row) => row.trial.primaryCompletionDate?.date },
  { header: 'occurred_at', value: (row) => row.occurredAt },
  { header: 'timing', value: (row) => row.timing },
  // The dates the timing was judged by, as they stood when the change occurred (start_date is today's).
  { header: 'start_date_then', value: (row) => row.datesThen?.startDate?.date },
  { header: 'primary_completion_date_then', value: (row) => row.datesThen?.primaryCompletionDate?.date },
  {
    header: 'before',
    value: (row) =>
      list([...row.removed, ...row.timeFrameChanged.map((pair) => pair.before), ...row.reworded.map((p) => p.before)]),
  },
  {
    header: 'after',
    value: (row) =>
      list([...row.added, ...row.timeFrameChanged.map((pair) => pair.after), ...row.reworded.map((p) => p.after)]),
  },
  { header: 'event_id', value: (row) => row.eventId },
];

/** A report page as CSV rows: one per switch. */
export const switchRowsOf = (trials: readonly SwitchedTrial[]): SwitchRow[] =>
  trials.flatMap((trial) => trial.switches.map((entry) => ({ ...entry, trial })));
