import type { Sql } from './database.js';

const MAX_PARAMETERS = 60_000;

export interface InsertStatement {
  /** `table` or `table AS alias`. */
  into: string;
  columns: string[];
  /** SQL type per column (`jsonb`, `uuid[]`, ...), so each parameter is cast where it is used. */
  types: string[];
  /** Anything after the VALUES list: `ON CONFLICT ...`, `RETURNING ...`. */
  suffix?: string;
}

/**
 * A multi-row INSERT with one parameter per value. Large values (bytea, JSON documents) travel as
 * they are; packed into array parameters for `unnest` they would be escaped quote by quote, which
 * makes a bulk load many times slower. Splits at PostgreSQL's limit on parameters per statement.
 */
export const insertRows = async <Row = Record<string, unknown>>(
  sql: Sql,
  statement: InsertStatement,
  rows: unknown[][],
): Promise<Row[]> => {
  const width = statement.columns.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const returned: Row[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const placeholders = chunk
      .map((_, row) => `(${statement.types.map((type, column) => `$${row * width + column + 1}::${type}`).join(', ')})`)
      .join(', ');
    const result = await sql.query<Row>(
      `INSERT INTO ${statement.into} (${statement.columns.join(', ')}) VALUES ${placeholders} ${statement.suffix ?? ''}`,
      chunk.flat(),
    );
    returned.push(...result);
  }
  return returned;
};
