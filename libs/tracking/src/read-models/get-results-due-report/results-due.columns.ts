import type { CsvColumn } from '../../shared/csv-export.js';
import type { ResultsDueEntry } from './get-results-due-report.query.js';

/** The results-due report's CSV columns. */
export const RESULTS_DUE_COLUMNS: CsvColumn<ResultsDueEntry>[] = [
  { header: 'nct_id', value: (row) => row.nctId },
  { header: 'brief_title', value: (row) => row.briefTitle },
  { header: 'lead_sponsor', value: (row) => row.leadSponsor },
  { header: 'overall_status', value: (row) => row.overallStatus },
  { header: 'primary_completion_date', value: (row) => row.primaryCompletionDate?.date },
  { header: 'due_date', value: (row) => row.dueDate },
  { header: 'state', value: (row) => row.state },
  { header: 'submitted_on', value: (row) => row.submittedOn },
  { header: 'reported_on', value: (row) => row.reportedOn },
  { header: 'days_overdue', value: (row) => row.daysOverdue },
];
