import { pipeline } from 'node:stream/promises';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { type CopyStatement, type CopyValue, copyStatement, copyText } from './copy-rows.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable.js';

/** What a statement needs: run SQL with positional parameters, get rows back. */
export interface Sql {
  query<Row = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<Row[]>;
  /** Rows changed by an UPDATE or DELETE (or returned by any statement). */
  execute(sql: string, parameters?: unknown[]): Promise<number>;
  /**
   * Writes rows with `COPY ... FROM STDIN` (text format): no parameters to bind, parse, plan and cast,
   * which makes it the fastest way in for many rows. Returns the number of rows written.
   */
  copyRows(statement: CopyStatement, rows: Iterable<readonly CopyValue[]>): Promise<number>;
}

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

class QueryRunnerSql implements Sql {
  constructor(private readonly runner: QueryRunner) {}

  async query<Row>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    const result = await this.runner.query(sql, parameters, true);
    return result.records as Row[];
  }

  async execute(sql: string, parameters: unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, parameters, true);
    return result.affected ?? result.records.length;
  }

  async copyRows(statement: CopyStatement, rows: Iterable<readonly CopyValue[]>): Promise<number> {
    // The runner's own connection (in its transaction, if one is open): TypeORM has no COPY of its own.
    const client = (await this.runner.connect()) as pg.PoolClient;
    const copy = client.query(copyFrom(copyStatement(statement)));
    await pipeline(copyText(rows), copy);
    return copy.rowCount;
  }
}

/**
 * The PostgreSQL connection pool, through TypeORM's DataSource. Hot paths (event store, projections)
 * write SQL directly: set-based statements over `unnest` arrays do in one round trip what an ORM
 * would do row by row.
 */
@Injectable()
export class Database implements Sql, OnApplicationShutdown {
  constructor(readonly dataSource: DataSource) {}

  query<Row = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    return this.withRunner((sql_) => sql_.query<Row>(sql, parameters));
  }

  execute(sql: string, parameters: unknown[] = []): Promise<number> {
    return this.withRunner((sql_) => sql_.execute(sql, parameters));
  }

  copyRows(statement: CopyStatement, rows: Iterable<readonly CopyValue[]>): Promise<number> {
    return this.withRunner((sql_) => sql_.copyRows(statement, rows));
  }

  /** One round trip to PostgreSQL, for health checks. */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. A connection
   * that could not be had or was lost (here or in `work`) throws DatabaseUnavailableError; when that
   * happens at the commit, the transaction may or may not have been committed.
   */
  async transaction<T>(work: (sql: Sql) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      // READ COMMITTED is every pooled connection's default (`createDataSource`): no SET TRANSACTION for it.
      await runner.startTransaction(isolation === 'READ COMMITTED' ? undefined : isolation);
      try {
        const result = await work(new QueryRunnerSql(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw isDatabaseUnavailable(error) ? new DatabaseUnavailableError(error) : error;
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` on one dedicated connection (for session state such as advisory locks), outside a transaction. */
  async session<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.withRunner(work);
  }

  private async withRunner<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(new QueryRunnerSql(runner));
    } catch (error) {
      throw isDatabaseUnavailable(error) ? new DatabaseUnavailableError(error) : error;
    } finally {
      await runner.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
