import { identifierKey } from '@app/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const NCT_ID = /^NCT\d{8}$/;

/**
 * The NCT IDs the registry merged into each trial (its aliases), apart from its other identifiers: a
 * trial whose NCT ID another record lists only as a secondary ID was not merged into it. Filled from
 * each trial's kept state where there is one; without one, from the NCT IDs among its identifiers, as
 * the merge was read before (`trialwatch projections rebuild current-state` makes those exact).
 */
export class MergedNctIds1764930000000 implements MigrationInterface {
  name = 'MergedNctIds1764930000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_current_state ADD COLUMN merged_nct_ids text[] NOT NULL DEFAULT '{}'`);
    await runner.query(
      `CREATE INDEX trial_current_state_merged_nct_ids ON trial_current_state USING gin (merged_nct_ids)`,
    );
    const rows: { nct_id: string; identifier_keys: string[]; aliases: unknown }[] = await runner.query(
      `SELECT t.nct_id, t.identifier_keys, s.state->'state'->'nctIdAliases' AS aliases
       FROM trial_current_state t LEFT JOIN stream_states s ON s.stream_id = 'trial-' || t.nct_id
       WHERE cardinality(t.identifier_keys) > 0`,
    );
    for (const row of rows) {
      const merged = Array.isArray(row.aliases)
        ? row.aliases.filter((alias): alias is string => typeof alias === 'string').map(identifierKey)
        : row.identifier_keys.filter((key) => NCT_ID.test(key));
      if (merged.length === 0) continue;
      await runner.query(`UPDATE trial_current_state SET merged_nct_ids = $2 WHERE nct_id = $1`, [
        row.nct_id,
        [...new Set(merged)],
      ]);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_current_state DROP COLUMN merged_nct_ids`);
  }
}
