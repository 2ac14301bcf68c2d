import type { Sql } from './database.js';

/*
 * Settings for the rest of the caller's transaction (reset at commit or rollback:
 * `generic-plans.int-spec.ts`), as expressions to SELECT, so that a transaction sets what it needs in
 * one statement, or in the statement it starts with anyway (a projection batch's lock).
 */

/**
 * PostgreSQL plans without looking at parameter values (`plan_cache_mode = force_generic_plan`). For a
 * custom plan, the default for a statement sent once, the planner turns each parameter into a constant
 * of the plan and copies it with the plan, several times: for a bulk ingestion's batch of hundreds of
 * raw documents that was about a tenth of the server's work. Meant for transactions of bulk writes and
 * of reads whose plans do not depend on the values (look-ups by key, the event store's per-stream
 * reads); a search whose optional filters the values decide (`$1 IS NULL OR ...`) needs its custom plan.
 */
export const PLAN_WITHOUT_PARAMETER_VALUES = `set_config('plan_cache_mode', 'force_generic_plan', true)`;

/**
 * PostgreSQL compiles no query (`jit = off`). It compiles a query whose estimated cost passes
 * `jit_above_cost`, on every execution; once a store holds about 100,000 trials, queries of projection
 * batches pass it, and in a first load of 100,000 studies compiling came to about 30 % of the server's
 * CPU (`bench/FINDINGS.md`, "First load"), for queries that run in milliseconds. Meant for the
 * transactions of projection batches and of bulk ingestion.
 */
export const PLAN_WITHOUT_JIT = `set_config('jit', 'off', true)`;

/** No JIT for the rest of the transaction (`PLAN_WITHOUT_JIT`). */
export const planWithoutJit = async (sql: Sql): Promise<void> => {
  await sql.query(`SELECT ${PLAN_WITHOUT_JIT}`);
};

/** Generic plans and no JIT for the rest of the transaction, in one round trip. */
export const planWithoutParameterValuesOrJit = async (sql: Sql): Promise<void> => {
  await sql.query(`SELECT ${PLAN_WITHOUT_PARAMETER_VALUES}, ${PLAN_WITHOUT_JIT}`);
};
