import type { CsvColumn } from '../../shared/csv-export.js';
import type { HygieneEntry } from './get-hygiene-report.query.js';

/** The hygiene report's CSV columns. */
export const HYGIENE_COLUMNS: CsvColumn<HygieneEntry>[] = [
  { header: 'nct_id', value: (row) => row.nctId },
  { header: 'brief_title', value: (row) => row.briefTitle },
  { header: 'lead_sponsor', value: (row) => row.leadSponsor },
  { header: 'overall_status', value: (row) => row.overallStatus },
  { header: 'flags', value: (row) => row.flags.map((flag) => flag.flag).join(' ') },
  {
    header: 'since',
    value: (row) => row.flags.map((flag) => `${flag.flag}=${flag.since ?? flag.mergedInto ?? ''}`).join(' '),
  },
];
