import type { QueryRunner } from 'typeorm';
import { TRIAL_STATE_SCHEMA_VERSION } from '@app/domain';
import { type StartedInfrastructure, startInfrastructure } from '../../../../../test/support/infrastructure-module.js';
import { EventStore } from '../../event-store/event-store.js';
import { Database } from '../database.js';
import { MergedNctIds1764930000000 } from './1764930000000-merged-nct-ids.js';

describe('merged NCT IDs apart from other identifiers (migration)', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;
  const migration = new MergedNctIds1764930000000();
  const runner = () =>
    ({ query: (sql: string, parameters?: unknown[]) => database.query(sql, parameters) }) as unknown as QueryRunner;

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  it("fills them from each trial's kept state, else from the NCT IDs among its identifiers", async () => {
    await migration.down(runner());
    const trial = (nctId: string, identifierKeys: string[]) =>
      database.execute(
        `INSERT INTO trial_current_state (nct_id, stream_version, registered_at, last_changed_at, last_recorded_at,
           last_event_type, last_global_position, identifier_keys)
         VALUES ($1, 1, now(), now(), now(), 'trial.registered', 1, $2)`,
        [nctId, identifierKeys],
      );
    // Kept state: NCT09800002 is a secondary ID only, NCT09800003 a merged alias (written with a space).
    await trial('NCT09800001', ['NCT09800002', 'NCT09800003', 'EUDRACT-2020-1']);
    await database.execute(`INSERT INTO streams (stream_id, version) VALUES ('trial-NCT09800001', 1)`);
    await database.execute(
      `INSERT INTO stream_states (stream_id, stream_version, schema_version, state)
       VALUES ('trial-NCT09800001', 1, 2, $1)`,
      [JSON.stringify({ state: { nctId: 'NCT09800001', nctIdAliases: ['nct 09800003'] }, effectiveDate: null })],
    );
    // No kept state: the NCT IDs among the identifiers, as they were read before.
    await trial('NCT09800004', ['NCT09800005', 'R01-CA-1']);
    await trial('NCT09800006', ['R01-CA-2']);

    await migration.up(runner());

    const rows = await database.query<{ nct_id: string; merged_nct_ids: string[] }>(
      `SELECT nct_id, merged_nct_ids FROM trial_current_state WHERE nct_id LIKE 'NCT098%' ORDER BY nct_id`,
    );
    expect(rows).toEqual([
      { nct_id: 'NCT09800001', merged_nct_ids: ['NCT09800003'] },
      { nct_id: 'NCT09800004', merged_nct_ids: ['NCT09800005'] },
      { nct_id: 'NCT09800006', merged_nct_ids: [] },
    ]);
  });

  it("takes a trial's kept state on to the version its row is at, through the alias changes appended after it", async () => {
    await migration.down(runner());
    const streamId = 'trial-NCT09800010';
    const aliasesChanged = (added: string[], removed: string[]) => ({
      type: 'trial.nct-id-aliases-changed',
      schemaVersion: 1,
      data: { added, removed },
      occurredAt: '2024-01-01T00:00:00.000Z',
    });
    // The state is kept at version 1 (merged: NCT09800011); versions 2 and 3 merge NCT09800012 and unmerge
    // NCT09800011, and the row is at version 3.
    const store = infrastructure.module.get(EventStore);
    await store.appendMany([
      {
        streamId,
        expectedVersion: 'no-stream',
        events: [aliasesChanged(['NCT09800011'], [])],
        state: {
          schemaVersion: TRIAL_STATE_SCHEMA_VERSION,
          data: { state: { nctId: 'NCT09800010', nctIdAliases: ['NCT09800011'] }, effectiveDate: null, shownAt: {} },
        },
      },
    ]);
    await store.append(streamId, [aliasesChanged(['NCT09800012'], [])], 1);
    await store.append(streamId, [aliasesChanged([], ['NCT09800011'])], 2);
    await database.execute(
      `INSERT INTO trial_current_state (nct_id, stream_version, registered_at, last_changed_at, last_recorded_at,
         last_event_type, last_global_position, identifier_keys)
       VALUES ('NCT09800010', 3, now(), now(), now(), 'trial.nct-id-aliases-changed', 1, $1)`,
      [['NCT09800012']],
    );

    await migration.up(runner());

    const [row] = await database.query<{ merged_nct_ids: string[] }>(
      `SELECT merged_nct_ids FROM trial_current_state WHERE nct_id = 'NCT09800010'`,
    );
    expect(row!.merged_nct_ids).toEqual(['NCT09800012']);
  });
});
