import type { CsvColumn } from '../../shared/csv-export.js';
import type { StatusPeriodEntry } from './list-status-periods.query.js';

/** The status-history export's CSV columns. */
export const STATUS_PERIOD_COLUMNS: CsvColumn<StatusPeriodEntry>[] = [
  { header: 'nct_id', value: (row) => row.nctId },
  { header: 'status', value: (row) => row.status },
  { header: 'from', value: (row) => row.from },
  { header: 'to', value: (row) => row.to },
  { header: 'days', value: (row) => row.days },
  { header: 'current', value: (row) => row.current },
];
