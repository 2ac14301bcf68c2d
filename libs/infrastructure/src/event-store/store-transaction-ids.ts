/**
 * Raises the shift of the transaction ids the event store records (`store_transaction_shift`) when
 * the store holds ids this server has not reached: a dump of another server, restored here, keeps the
 * ids that server gave, and without the shift every event appended after the restore would sort before
 * the restored ones, passed over by every reader that had read that far (projections, webhooks, the
 * change feed's clients). Ids already stored, and so the cursors clients hold, stay as they are.
 * Never moves in a store written by this server alone. Returns whether it moved.
 */
export const alignStoreTransactionIds = async (sql: {
  query(text: string): Promise<{ shift: string }[]>;
}): Promise<boolean> => {
  const moved = await sql.query(
    `UPDATE store_transaction_shift
     SET shift = stored.last - pg_snapshot_xmax(pg_current_snapshot())::text::numeric + 1
     FROM (SELECT greatest(
             (SELECT transaction_id::text::numeric FROM events ORDER BY transaction_id DESC LIMIT 1),
             (SELECT max(transaction_id::text::numeric) FROM projection_checkpoints),
             (SELECT max(checkpoint_transaction_id::text::numeric) FROM subscriptions)) AS last) AS stored
     WHERE stored.last >= pg_snapshot_xmax(pg_current_snapshot())::text::numeric + shift
     RETURNING shift::text AS shift`,
  );
  return moved.length > 0;
};
