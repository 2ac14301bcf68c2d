import type { Sql } from './database.js';

/**
 * Makes PostgreSQL plan the rest of the caller's transaction without looking at parameter values
 * (`plan_cache_mode = force_generic_plan`, reset at commit or rollback: `generic-plans.int-spec.ts`).
 * For a custom plan, the default for a statement sent once, the planner turns each parameter into a
 * constant of the plan and copies it with the plan, several times: for a bulk ingestion's batch of
 * hundreds of raw documents that was about a tenth of the server's work. Meant for transactions of
 * bulk writes and of reads whose plans do not depend on the values (look-ups by key, the event
 * store's per-stream reads); a search whose optional filters the values decide (`$1 IS NULL OR ...`)
 * needs its custom plan.
 */
export const planWithoutParameterValues = async (sql: Sql): Promise<void> => {
  await sql.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
};
