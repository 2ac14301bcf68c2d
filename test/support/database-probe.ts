import pg from 'pg';

/** Direct SQL against a test database, to check what the apps wrote. */
export class DatabaseProbe {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // A restarted server closes idle connections; the pool replaces them on the next query.
    this.pool.on('error', () => undefined);
  }

  async count(sql: string, parameters: unknown[] = []): Promise<number> {
    const result = await this.pool.query<{ count: string }>(sql, parameters);
    return Number(result.rows[0]?.count ?? 0);
  }

  async rows<Row extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    parameters: unknown[] = [],
  ): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, parameters)).rows;
  }

  /** Ends every other client connection to this database, as a restart does (FATAL 57P01 to each). */
  async cutOtherConnections(): Promise<void> {
    await this.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
  }

  /** Every row of every read model, sorted, for comparing two builds of them. */
  async readModels(): Promise<Record<string, string[]>> {
    const tables = ['trial_current_state', 'trial_field_history', 'trial_status_periods', 'change_feed'];
    const entries = await Promise.all(
      tables.map(async (table) => {
        const rows = await this.rows<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
        return [table, rows.map((r) => r.row).sort()] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
