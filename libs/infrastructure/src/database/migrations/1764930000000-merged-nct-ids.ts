import { FACTS_LEARNED, identifierKey, NCT_ID_ALIASES_CHANGED, stateAfterKept, TRIAL_REGISTERED } from '@app/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const NCT_ID = /^NCT\d{8}$/;

/** The events that can change a trial's aliases. */
const ALIAS_EVENT_TYPES = [TRIAL_REGISTERED, FACTS_LEARNED, NCT_ID_ALIASES_CHANGED];

/**
 * The NCT IDs the registry merged into each trial (its aliases), apart from its other identifiers: a
 * trial whose NCT ID another record lists only as a secondary ID was not merged into it. Filled from
 * each trial's kept state where there is one, taken on through the alias changes appended after it up
 * to the trial's row; without one, from the NCT IDs among its identifiers, as the merge was read before
 * (`trialwatch projections rebuild current-state` makes those exact).
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
    // A state is kept every so many events: the row may be at a later version, with the aliases changed since.
    const after: {
      stream_id: string;
      type: string;
      schema_version: number;
      data: unknown;
      stream_version: number;
      occurred_at: Date;
    }[] = await runner.query(
      `SELECT e.stream_id, e.type, e.schema_version, e.data, e.stream_version, e.occurred_at
         FROM trial_current_state t
         JOIN stream_states s ON s.stream_id = 'trial-' || t.nct_id
         CROSS JOIN LATERAL (
           SELECT * FROM events WHERE events.stream_id = s.stream_id
             AND events.stream_version > s.stream_version AND events.stream_version <= t.stream_version OFFSET 0
         ) AS e
         WHERE cardinality(t.identifier_keys) > 0 AND e.type = ANY($1::text[])
         ORDER BY e.stream_id, e.stream_version`,
      [ALIAS_EVENT_TYPES],
    );
    const changes = new Map<string, typeof after>();
    for (const event of after) changes.set(event.stream_id, [...(changes.get(event.stream_id) ?? []), event]);
    // A kept state in a format without aliases is not taken on: its trial is read as before.
    const kept: { stream_id: string; state: unknown }[] =
      changes.size > 0
        ? await runner.query(
            `SELECT stream_id, state FROM stream_states
             WHERE stream_id = ANY($1::text[]) AND jsonb_typeof(state->'state'->'nctIdAliases') = 'array'`,
            [[...changes.keys()]],
          )
        : [];
    const changedAliases = new Map(
      kept.map(({ stream_id: streamId, state }) => {
        const events = changes.get(streamId)!.map((event) => ({
          type: event.type,
          schemaVersion: event.schema_version,
          data: event.data,
          streamVersion: event.stream_version,
          occurredAt: event.occurred_at,
        }));
        return [streamId, stateAfterKept({ data: state }, events)?.nctIdAliases] as const;
      }),
    );
    for (const row of rows) {
      const aliases = changedAliases.has(`trial-${row.nct_id}`)
        ? changedAliases.get(`trial-${row.nct_id}`)
        : row.aliases;
      const merged = Array.isArray(aliases)
        ? aliases.filter((alias): alias is string => typeof alias === 'string').map(identifierKey)
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
