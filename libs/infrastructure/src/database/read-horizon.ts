/** This database's oid, as an SQL expression: what `pg_stat_activity.datid` and `pg_locks.database` hold. */
export const THIS_DATABASE_OID = '(SELECT oid FROM pg_database WHERE datname = current_database())';

/** Whether a session of another database of the server runs transaction `xid` (an SQL expression of type xid8). */
const otherDatabaseSessionHolds = (xid: string) => `EXISTS (
      SELECT 1 FROM pg_stat_activity AS session
       WHERE session.backend_xid = ${xid}::xid
         AND session.datid IS DISTINCT FROM ${THIS_DATABASE_OID})`;

/**
 * A transaction id of this server (an SQL expression of type xid8) as the event store records it:
 * shifted past the ids a restored dump brought from another server (`alignStoreTransactionIds`).
 */
const asStored = (xid: string) => `(${xid}::text::numeric + (SELECT shift FROM store_transaction_shift))::text::xid8`;

/**
 * The oldest transaction running in the statement's snapshot that `counts` (an SQL condition on
 * `running.xid`), or, when none does, the next transaction id to be assigned; as the store records it.
 */
const oldestRunning = (counts: string) =>
  asStored(`coalesce(
  (SELECT running.xid FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
    WHERE ${counts}
    ORDER BY running.xid
    LIMIT 1),
  pg_snapshot_xmax(pg_current_snapshot()))`);

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
 * not hold this one's readers. A transaction it cannot place (a prepared one, or one that ended between
 * the snapshot and the read of `pg_stat_activity`) counts as this database's: readers wait for their
 * next read, and skip nothing.
 */
export const READ_HORIZON = oldestRunning(`NOT ${otherDatabaseSessionHolds('running.xid')}`);

/**
 * `READ_HORIZON` without the transactions that have ended since the statement's snapshot was taken: the
 * oldest transaction that holds readers back now, for reporting what waits on whom. Readers themselves stop
 * at `READ_HORIZON`, since rows a transaction committed after their snapshot stay hidden from them.
 *
 * `pg_stat_activity` is read once per transaction, after the snapshot, so a transaction of another
 * database that ends between the two is not shown there; its status is asked only after that read (the
 * `CASE` fixes the order), so it is seen to have ended and is not taken for one of this database's.
 */
export const OPEN_TRANSACTIONS_HORIZON = oldestRunning(
  `CASE WHEN ${otherDatabaseSessionHolds('running.xid')} THEN false
        ELSE pg_xact_status(running.xid) = 'in progress' END`,
);
