import type { Database, Sql } from '@app/infrastructure';

/** A node of a plan as `EXPLAIN (FORMAT JSON)` gives it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root first. */
export const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

/** The nodes of a plan that read a table, by its heap or by one of its indexes (named after it). */
export const scansOf = (plan: PlanNode, table: string): PlanNode[] =>
  nodesOf(plan).filter((node) => node['Relation Name'] === table || (node['Index Name'] ?? '').startsWith(table));

/** The plan PostgreSQL makes for a statement, without running it. */
export const planOf = async (sql: Sql, text: string, parameters?: unknown[]): Promise<PlanNode> => {
  const [row] = await sql.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, parameters);
  return row!['QUERY PLAN'][0].Plan;
};

class RolledBack extends Error {}

/** Runs `work` in a transaction that is then rolled back: the rows, settings and statistics it makes are its own. */
export const inRolledBackTransaction = async (database: Database, work: (sql: Sql) => Promise<void>): Promise<void> =>
  database
    .transaction(async (sql) => {
      await work(sql);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
