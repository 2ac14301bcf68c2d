import { Injectable, Logger } from '@nestjs/common';
import { Database, type Sql } from '@app/infrastructure';
import type { Projection, TableNames } from './projection.js';
import { type CatchUpTarget, ProjectionRunner } from './projection-runner.js';

const REBUILD_SUFFIX = '__rebuild';
const RETIRED_SUFFIX = '__retired';

export interface RebuildReport {
  projection: string;
  eventsApplied: number;
  durationMs: number;
}

/** An index of a live read-model table, as the rebuild recreates it on the shadow table. */
interface TableIndex {
  name: string;
  /** `CREATE [UNIQUE] INDEX ...` as PostgreSQL prints it. */
  definition: string;
  /** For an index that backs a constraint (primary key, unique, exclusion): the constraint's definition. */
  constraint: string | null;
  unique: boolean;
}

/**
 * Rebuilds a read model without downtime: a shadow copy of its tables is filled from the start of the
 * event store while the live one keeps serving and updating; once the shadow has caught up, one short
 * transaction (holding the live projection's lock) applies the last events and swaps the tables. A
 * projection that `rebuildsStreamByStream` is first filled with the events readable when the rebuild
 * starts, stream by stream, then caught up in commit order from there.
 *
 * The shadow is filled with only its unique indexes (keys and constraints, which the projections'
 * writes look rows up by); its other indexes are built once it has caught up, in one pass over its
 * rows rather than row by row, before the swap. After the swap every index and constraint has its
 * live name again (`projections.int-spec.ts`).
 */
@Injectable()
export class ProjectionRebuilder {
  private readonly logger = new Logger(ProjectionRebuilder.name);

  constructor(
    private readonly database: Database,
    private readonly runner: ProjectionRunner,
  ) {}

  async rebuild(projection: Projection, clock: () => number = Date.now): Promise<RebuildReport> {
    const started = clock();
    const shadow: CatchUpTarget = {
      checkpointName: `${projection.name}${REBUILD_SUFFIX}`,
      tables: Object.fromEntries(
        Object.entries(projection.tables).map(([logical, table]) => [logical, `${table}${REBUILD_SUFFIX}`]),
      ) as TableNames,
    };
    const indexes = new Map<string, TableIndex[]>();
    await this.database.transaction(async (sql) => {
      for (const [logical, table] of Object.entries(projection.tables)) {
        const shadowTable = shadow.tables[logical]!;
        indexes.set(logical, await indexesOf(sql, table));
        await sql.execute(`DROP TABLE IF EXISTS ${shadowTable}`);
        await sql.execute(`CREATE TABLE ${shadowTable} (LIKE ${table} INCLUDING ALL EXCLUDING INDEXES)`);
        for (const [position, index] of indexes.get(logical)!.entries()) {
          if (index.unique) await sql.execute(createOn(shadowTable, position, index));
        }
      }
      await this.runner.resetCheckpoint(sql, shadow.checkpointName);
    });

    let eventsApplied = projection.rebuildsStreamByStream
      ? await this.runner.fillStreamByStream(projection, shadow)
      : 0;
    for (;;) {
      const applied = await this.runner.catchUp(projection, shadow);
      if (applied === null) throw new Error(`Another rebuild of ${projection.name} is running`);
      eventsApplied += applied;
      if (applied === 0) break;
    }
    await this.database.transaction(async (sql) => {
      for (const [logical, tableIndexes] of indexes) {
        for (const [position, index] of tableIndexes.entries()) {
          if (!index.unique) await sql.execute(createOn(shadow.tables[logical]!, position, index));
        }
      }
    });

    eventsApplied += await this.database.transaction(async (sql) => {
      let tail = 0;
      // Holding the live projection's lock keeps its runner out until the tables are swapped.
      await this.runner.lock(sql, projection.name, { wait: true });
      for (;;) {
        const applied = await this.runner.applyBatch(sql, projection, shadow, { wait: true });
        tail += applied ?? 0;
        if (!applied) break;
      }
      await this.swap(sql, projection, shadow, indexes);
      return tail;
    });
    const report = { projection: projection.name, eventsApplied, durationMs: clock() - started };
    this.logger.log(`Rebuilt ${projection.name}: ${eventsApplied} events in ${report.durationMs} ms`);
    return report;
  }

  private async swap(
    sql: Sql,
    projection: Projection,
    shadow: CatchUpTarget,
    indexes: ReadonlyMap<string, TableIndex[]>,
  ): Promise<void> {
    for (const [logical, table] of Object.entries(projection.tables)) {
      const shadowTable = shadow.tables[logical]!;
      await sql.execute(`ALTER TABLE ${table} RENAME TO ${table}${RETIRED_SUFFIX}`);
      await sql.execute(`ALTER TABLE ${shadowTable} RENAME TO ${table}`);
      await sql.execute(`DROP TABLE ${table}${RETIRED_SUFFIX}`);
      for (const [position, index] of indexes.get(logical)!.entries()) {
        const built = indexName(shadowTable, position);
        await sql.execute(
          index.constraint
            ? `ALTER TABLE ${table} RENAME CONSTRAINT ${built} TO ${index.name}`
            : `ALTER INDEX ${built} RENAME TO ${index.name}`,
        );
      }
    }
    // The live projection may never have run (a load, then a rebuild, before any worker): no row yet.
    await sql.execute(
      `INSERT INTO projection_checkpoints (name, transaction_id, global_position, updated_at)
       SELECT $1, shadow.transaction_id, shadow.global_position, now() FROM projection_checkpoints shadow WHERE shadow.name = $2
       ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
         global_position = EXCLUDED.global_position, updated_at = now()`,
      [projection.name, shadow.checkpointName],
    );
    await sql.execute(`DELETE FROM projection_checkpoints WHERE name = $1`, [shadow.checkpointName]);
  }
}

/** A live table's indexes, with the constraints they back. */
const indexesOf = (sql: Sql, table: string): Promise<TableIndex[]> =>
  sql.query<TableIndex>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition,
            pg_get_constraintdef(c.oid) AS "constraint", x.indisunique AS "unique"
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
     WHERE x.indrelid = $1::regclass
     ORDER BY i.relname`,
    [table],
  );

/** The name an index is built under on the shadow table, until the swap gives it its live name. */
const indexName = (shadowTable: string, position: number): string => `${shadowTable}_index_${position}`;

/** The statement that builds `index` on the shadow table, under its shadow name. */
const createOn = (shadowTable: string, position: number, index: TableIndex): string => {
  const name = indexName(shadowTable, position);
  if (index.constraint) return `ALTER TABLE ${shadowTable} ADD CONSTRAINT ${name} ${index.constraint}`;
  const parts = /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ (.*)$/s.exec(index.definition);
  if (!parts) throw new Error(`Cannot rebuild index ${index.name}: ${index.definition}`);
  return `CREATE ${parts[1] ?? ''}INDEX ${name} ON ${shadowTable} ${parts[3]}`;
};
