import { Injectable } from '@nestjs/common';
import { Database } from './database.js';
import { THIS_DATABASE_OID } from './read-horizon.js';

/** A transaction that has written (it holds a transaction id), as PostgreSQL's pg_stat_activity shows it. */
export interface OpenTransaction {
  pid: number;
  /** The client's `application_name` (trialwatch's own connections say `trialwatch`), or null. */
  applicationName: string | null;
  user: string | null;
  /** The database it runs in: this one (a transaction elsewhere on the server holds no reader here). */
  database: string | null;
  /** `active`, `idle in transaction`, … */
  state: string | null;
  transactionId: string;
  startedAt: string | null;
  ageSeconds: number;
  /** Tables it has locked in this database, with the lock mode, e.g. `events (RowExclusiveLock)`. */
  holds: string[];
  /** Its current or last statement, cut to 200 characters. */
  lastStatement: string | null;
}

interface ActivityRow {
  pid: number;
  application_name: string | null;
  usename: string | null;
  datname: string | null;
  state: string | null;
  backend_xid: string;
  xact_start: Date | null;
  age_seconds: number | null;
  statement: string | null;
  holds: string[] | null;
}

/**
 * The oldest open write transaction in this database. Readers of the global order stop at
 * `READ_HORIZON`, the oldest transaction id still running in this database, so this is the
 * transaction that holds projections, the webhook matcher and the live stream back. Sessions of
 * other database users show their statement, start and state only to a user with `pg_read_all_stats`
 * (or a superuser); without it the transaction id and pid are still named.
 */
@Injectable()
export class OpenTransactions {
  constructor(private readonly database: Database) {}

  async oldest(): Promise<OpenTransaction | null> {
    const [row] = await this.database.query<ActivityRow>(
      `SELECT a.pid, nullif(a.application_name, '') AS application_name, a.usename, a.datname, a.state,
              a.backend_xid::text AS backend_xid, a.xact_start,
              extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS age_seconds,
              left(a.query, 200) AS statement,
              (SELECT array_agg(DISTINCT c.relname || ' (' || l.mode || ')' ORDER BY c.relname || ' (' || l.mode || ')')
                 FROM pg_locks l
                 JOIN pg_class c ON c.oid = l.relation AND c.relkind IN ('r', 'p')
                 JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                WHERE l.pid = a.pid AND l.locktype = 'relation' AND l.granted
                  AND l.database = ${THIS_DATABASE_OID}) AS holds
       FROM pg_stat_activity a
       WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
         AND a.datid = ${THIS_DATABASE_OID}
       ORDER BY age(a.backend_xid) DESC
       LIMIT 1`,
    );
    if (!row) return null;
    return {
      pid: row.pid,
      applicationName: row.application_name,
      user: row.usename,
      database: row.datname,
      state: row.state,
      transactionId: row.backend_xid,
      startedAt: row.xact_start?.toISOString() ?? null,
      ageSeconds: Math.max(0, row.age_seconds ?? 0),
      holds: row.holds ?? [],
      lastStatement: row.statement,
    };
  }
}
