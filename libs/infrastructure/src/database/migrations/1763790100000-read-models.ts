import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The projections' read models. Each is derived from the event store and can be rebuilt from it. */
export class ReadModels1763790100000 implements MigrationInterface {
  name = 'ReadModels1763790100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE trial_current_state (
        nct_id               text PRIMARY KEY,
        stream_version       integer NOT NULL,
        facts                jsonb NOT NULL,
        brief_title          text,
        overall_status       text,
        phases               text[] NOT NULL DEFAULT '{}',
        study_type           text,
        lead_sponsor         text,
        conditions           text[] NOT NULL DEFAULT '{}',
        registered_at        timestamptz NOT NULL,
        last_changed_at      timestamptz NOT NULL,
        last_recorded_at     timestamptz NOT NULL,
        last_event_type      text NOT NULL,
        last_global_position bigint NOT NULL
      )`);
    await runner.query(`CREATE INDEX trial_current_state_status ON trial_current_state (overall_status)`);
    await runner.query(`CREATE INDEX trial_current_state_phases ON trial_current_state USING gin (phases)`);
    await runner.query(`CREATE INDEX trial_current_state_sponsor ON trial_current_state (lower(lead_sponsor))`);
    await runner.query(`CREATE INDEX trial_current_state_conditions ON trial_current_state USING gin (conditions)`);
    await runner.query(`CREATE INDEX trial_current_state_changed ON trial_current_state (last_changed_at, nct_id)`);

    await runner.query(`
      CREATE TABLE trial_field_history (
        event_id        uuid NOT NULL,
        field           text NOT NULL,
        nct_id          text NOT NULL,
        event_type      text NOT NULL,
        from_value      jsonb,
        to_value        jsonb,
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL,
        stream_version  integer NOT NULL,
        global_position bigint NOT NULL,
        PRIMARY KEY (event_id, field)
      )`);
    await runner.query(
      `CREATE INDEX trial_field_history_by_trial ON trial_field_history (nct_id, occurred_at, stream_version, field)`,
    );

    await runner.query(`
      CREATE TABLE trial_status_periods (
        nct_id              text NOT NULL,
        period_index        integer NOT NULL,
        status              text NOT NULL,
        started_at          timestamptz NOT NULL,
        ended_at            timestamptz,
        started_by_event_id uuid NOT NULL UNIQUE,
        PRIMARY KEY (nct_id, period_index)
      )`);

    await runner.query(`
      CREATE TABLE change_feed (
        transaction_id  xid8 NOT NULL,
        global_position bigint NOT NULL,
        event_id        uuid NOT NULL UNIQUE,
        nct_id          text NOT NULL,
        type            text NOT NULL,
        schema_version  integer NOT NULL,
        stream_version  integer NOT NULL,
        data            jsonb NOT NULL,
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL,
        PRIMARY KEY (transaction_id, global_position)
      )`);
    await runner.query(`CREATE INDEX change_feed_by_trial ON change_feed (nct_id, transaction_id, global_position)`);
    await runner.query(`CREATE INDEX change_feed_by_type ON change_feed (type, transaction_id, global_position)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE change_feed, trial_status_periods, trial_field_history, trial_current_state`);
  }
}
