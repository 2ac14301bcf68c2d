/**
 * Raises the shift of the transaction ids the event store records (`store_transaction_shift`) when
 * the store holds ids this server has not reached: a dump of another server, restored here, keeps the
 * ids that server gave, and without the shift every event appended after the restore would sort before
 * the restored ones, passed over by every reader that had read that far (projections, webhooks, the
 * change feed's clients). Ids already stored, and so the cursors clients hold, stay as they are.
 * Never moves in a store written by this server alone. Returns whether it moved; once it has, the
 * events' `transaction_id` default adds the shift (until then it is the server's own id, read for free).
 */
export const alignStoreTransactionIds = async (sql: {
  query(text: string): Promise<{ shift: string }[]>;
}): Promise<boolean> => {
  // A SELECT around the UPDATE, so the rows come back as rows whatever the driver makes of an UPDATE's result.
  const moved = await sql.query(
    `WITH moved AS (
       UPDATE store_transaction_shift
       SET shift = stored.last - pg_snapshot_xmax(pg_current_snapshot())::text::numeric + 1
       FROM (SELECT greatest(
               (SELECT transaction_id::text::numeric FROM events ORDER BY transaction_id DESC LIMIT 1),
               (SELECT max(transaction_id::text::numeric) FROM projection_checkpoints),
               (SELECT max(checkpoint_transaction_id::text::numeric) FROM subscriptions)) AS last) AS stored
       WHERE stored.last >= pg_snapshot_xmax(pg_current_snapshot())::text::numeric + shift
       RETURNING shift
     )
     SELECT shift::text AS shift FROM moved`,
  );
  if (moved.length === 0) return false;
  // Appends take their id from the column's default, which reads the shift only once one is needed.
  await sql.query(`ALTER TABLE events ALTER COLUMN transaction_id SET DEFAULT store_transaction_id()`);
  return true;
};
