import { Test, type TestingModule } from '@nestjs/testing';
import { Database, InfrastructureModule, type Sql } from '@app/infrastructure';
import { inRolledBackTransaction, type PlanNode, planOf, scansOf } from '../../../../../test/support/query-plans.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { STATUS_PERIODS_TABLE, type StatusPeriod, StatusPeriodsRepository } from './status-periods.repository.js';

const nctId = (n: number) => `NCT${String(n).padStart(8, '0')}`;
let eventIds = 0;
const period = (trial: number, index: number, status: string): StatusPeriod => ({
  nctId: nctId(trial),
  index,
  status,
  startedAt: new Date(Date.UTC(2020, 0, index)),
  endedAt: null,
  eventId: `00000000-0000-4000-8000-${String((eventIds += 1)).padStart(12, '0')}`,
});

describe('StatusPeriodsRepository (PostgreSQL)', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let database: Database;
  let repository: StatusPeriodsRepository;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await Test.createTestingModule({ imports: [InfrastructureModule.forRoot(environment.config)] }).compile();
    await module.init();
    database = module.get(Database);
    repository = new StatusPeriodsRepository(database);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it("replaces the named trials' periods and leaves every other trial's as they were", async () => {
    await database.transaction((sql) =>
      repository.replace(
        sql,
        STATUS_PERIODS_TABLE,
        [nctId(1), nctId(2), nctId(3)],
        [period(1, 1, 'RECRUITING'), period(1, 2, 'COMPLETED'), period(2, 1, 'RECRUITING'), period(3, 1, 'WITHDRAWN')],
      ),
    );
    await database.transaction((sql) =>
      repository.replace(sql, STATUS_PERIODS_TABLE, [nctId(1), nctId(2)], [period(1, 1, 'NOT_YET_RECRUITING')]),
    );
    expect((await repository.ofTrial(nctId(1))).map((row) => row.status)).toEqual(['NOT_YET_RECRUITING']);
    expect(await repository.ofTrial(nctId(2))).toEqual([]);
    expect((await repository.ofTrial(nctId(3))).map((row) => row.status)).toEqual(['WITHDRAWN']);
  });

  /** Runs the DELETE a replacement sends as EXPLAIN instead, keeping its plan; the INSERT runs. */
  const explainingDeletes = (sql: Sql, plans: PlanNode[]): Sql => ({
    query: <Row>(text: string, parameters?: unknown[]) => sql.query<Row>(text, parameters),
    copyRows: (target, rows) => sql.copyRows(target, rows),
    execute: async (text, parameters) => {
      if (!text.trimStart().startsWith('DELETE')) return sql.execute(text, parameters);
      plans.push(await planOf(sql, text, parameters));
      return 0;
    },
  });

  // A first load fills the table faster than statistics are taken (or with autovacuum off, never).
  // Then `nct_id = ANY(...)` of a batch's thousand trials looked like most of the table to the planner,
  // which read all of it for every batch.
  const CONDITIONS: Record<string, string[]> = {
    'with no statistics, the table filled in this transaction': [],
    'with statistics that take each trial for thousands of periods': [
      `ALTER TABLE ${STATUS_PERIODS_TABLE} ALTER COLUMN nct_id SET (n_distinct = 5)`,
      `ANALYZE ${STATUS_PERIODS_TABLE}`,
    ],
  };
  it.each(Object.keys(CONDITIONS))(
    "finds a batch's old periods through the primary key, never by reading the whole table, %s",
    async (condition) => {
      const plans: PlanNode[] = [];
      await inRolledBackTransaction(database, async (sql) => {
        // 20,000 trials with three periods each.
        await sql.execute(
          `INSERT INTO ${STATUS_PERIODS_TABLE} (nct_id, period_index, status, started_at, ended_at, started_by_event_id)
           SELECT 'NCT' || lpad(trial::text, 8, '0'), index, 'RECRUITING', now(), NULL, gen_random_uuid()
           FROM generate_series(100, 20099) AS trial, generate_series(1, 3) AS index`,
        );
        for (const statement of CONDITIONS[condition]!) await sql.execute(statement);
        const batch = Array.from({ length: 1_000 }, (_, i) => nctId(100 + i * 20));
        await repository.replace(explainingDeletes(sql, plans), STATUS_PERIODS_TABLE, batch, []);
      });
      expect(plans).toHaveLength(1);
      const scans = scansOf(plans[0]!, STATUS_PERIODS_TABLE);
      expect(scans.map((scan) => scan['Node Type'])).not.toContain('Seq Scan');
      expect(scans.some((scan) => scan['Index Name'] === `${STATUS_PERIODS_TABLE}_pkey`)).toBe(true);
    },
  );
});
