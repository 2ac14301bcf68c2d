import { partialDateStart, trialSignalsOf, type TrialFacts } from '@app/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BATCH = 1000;

/**
 * What each trial's record implies for deadlines, hygiene flags and identifiers, as columns of the
 * current-state read model (see `trialSignalsOf`), filled in for the trials already there.
 */
export class TrialSignals1764850000000 implements MigrationInterface {
  name = 'TrialSignals1764850000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE trial_current_state
        ADD COLUMN identifier_keys text[] NOT NULL DEFAULT '{}',
        ADD COLUMN results_due_date date,
        ADD COLUMN results_reported_on date,
        ADD COLUMN has_results boolean,
        ADD COLUMN verification_stale_from date,
        ADD COLUMN completion_overdue_from date`);
    await runner.query(
      `CREATE INDEX trial_current_state_identifiers ON trial_current_state USING gin (identifier_keys)`,
    );
    await runner.query(
      `CREATE INDEX trial_current_state_results_due ON trial_current_state (results_due_date) WHERE results_due_date IS NOT NULL`,
    );
    let after = '';
    for (;;) {
      const rows: { nct_id: string; facts: TrialFacts }[] = await runner.query(
        `SELECT nct_id, facts FROM trial_current_state WHERE nct_id > $1 ORDER BY nct_id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      for (const { nct_id, facts } of rows) {
        const signals = trialSignalsOf(facts);
        await runner.query(
          `UPDATE trial_current_state SET identifier_keys = $2, results_due_date = $3, results_reported_on = $4,
             has_results = $5, verification_stale_from = $6, completion_overdue_from = $7 WHERE nct_id = $1`,
          [
            nct_id,
            signals.identifierKeys,
            signals.resultsDueDate,
            signals.resultsReportedOn ? partialDateStart(signals.resultsReportedOn).slice(0, 10) : null,
            signals.hasResults,
            signals.hygieneFrom['status-verification-stale'] ?? null,
            signals.hygieneFrom['completion-past-while-recruiting'] ?? null,
          ],
        );
      }
      after = rows[rows.length - 1]!.nct_id;
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE trial_current_state
        DROP COLUMN identifier_keys, DROP COLUMN results_due_date, DROP COLUMN results_reported_on,
        DROP COLUMN has_results, DROP COLUMN verification_stale_from, DROP COLUMN completion_overdue_from`);
  }
}
