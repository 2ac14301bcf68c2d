/** This database's oid, as an SQL expression: what `pg_stat_activity.datid` and `pg_locks.database` hold. */
export const THIS_DATABASE_OID = '(SELECT oid FROM pg_database WHERE datname = current_database())';

/**
 * The commit horizon of this database, as an SQL expression of type xid8: the oldest transaction still
 * running that may write to this database, or, when none is, the next transaction id to be assigned. A
 * row written by a transaction below it is committed (or gone) for good in the statement's snapshot, and
 * every transaction that commits later has an id at or above it, so readers of the global order stop
 * there and skip nothing.
 *
 * It is `pg_snapshot_xmin(pg_current_snapshot())` without the transactions that `pg_stat_activity` shows
 * running in another database of the server (it shows every session's database and transaction id to
 * every user): a session writes only its own database, so a long write elsewhere on a shared server does
 * not hold this one's readers. A transaction it cannot place (a prepared one, or one it did not see
 * yet) counts as this database's.
 */
export const READ_HORIZON = `coalesce(
  (SELECT running.xid FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
    WHERE NOT EXISTS (
      SELECT 1 FROM pg_stat_activity AS session
       WHERE session.backend_xid = running.xid::xid
         AND session.datid IS DISTINCT FROM ${THIS_DATABASE_OID})
    ORDER BY running.xid
    LIMIT 1),
  pg_snapshot_xmax(pg_current_snapshot()))`;
