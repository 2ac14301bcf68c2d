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

/**
 * Rebuilds a read model without downtime: a shadow copy of its tables is filled from the start of the
 * event store while the live one keeps serving and updating; once the shadow has caught up, one short
 * transaction (holding the live projection's lock) applies the last events and swaps the tables.
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
    await this.database.transaction(async (sql) => {
      for (const [logical, table] of Object.entries(projection.tables)) {
        await sql.execute(`DROP TABLE IF EXISTS ${shadow.tables[logical]}`);
        await sql.execute(`CREATE TABLE ${shadow.tables[logical]} (LIKE ${table} INCLUDING ALL)`);
      }
      await this.runner.resetCheckpoint(sql, shadow.checkpointName);
    });

    let eventsApplied = 0;
    for (;;) {
      const applied = await this.runner.catchUp(projection, shadow);
      if (applied === null) throw new Error(`Another rebuild of ${projection.name} is running`);
      eventsApplied += applied;
      if (applied === 0) break;
    }

    eventsApplied += await this.database.transaction(async (sql) => {
      let tail = 0;
      // Holding the live projection's lock keeps its runner out until the tables are swapped.
      await this.runner.lock(sql, projection.name, { wait: true });
      for (;;) {
        const applied = await this.runner.applyBatch(sql, projection, shadow, { wait: true });
        tail += applied ?? 0;
        if (!applied) break;
      }
      await this.swap(sql, projection, shadow);
      return tail;
    });
    const report = { projection: projection.name, eventsApplied, durationMs: clock() - started };
    this.logger.log(`Rebuilt ${projection.name}: ${eventsApplied} events in ${report.durationMs} ms`);
    return report;
  }

  private async swap(sql: Sql, projection: Projection, shadow: CatchUpTarget): Promise<void> {
    for (const [logical, table] of Object.entries(projection.tables)) {
      await sql.execute(`ALTER TABLE ${table} RENAME TO ${table}${RETIRED_SUFFIX}`);
      await sql.execute(`ALTER TABLE ${shadow.tables[logical]} RENAME TO ${table}`);
      await sql.execute(`DROP TABLE ${table}${RETIRED_SUFFIX}`);
    }
    await sql.execute(
      `UPDATE projection_checkpoints live SET transaction_id = shadow.transaction_id, global_position = shadow.global_position, updated_at = now()
       FROM projection_checkpoints shadow WHERE live.name = $1 AND shadow.name = $2`,
      [projection.name, shadow.checkpointName],
    );
    await sql.execute(`DELETE FROM projection_checkpoints WHERE name = $1`, [shadow.checkpointName]);
  }
}
