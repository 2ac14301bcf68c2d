import { runCli } from '../support/app-processes.js';
import type { DatabaseProbe } from '../support/database-probe.js';
import type { Findings } from './fault-checks.js';

/** The live read models against a rebuild from the event store: rows missing are lost, rows extra duplicated. */
export const checkReadModels = async (probe: DatabaseProbe, env: Record<string, string>): Promise<Findings> => {
  let lost = 0;
  let duplicated = 0;
  const causes: string[] = [];
  const live = await probe.readModels();
  const rebuild = await runCli(['projections', 'rebuild'], env);
  if (rebuild.status !== 0) throw new Error(`rebuild failed: ${rebuild.stderr}`);
  const rebuilt = await probe.readModels();
  for (const table of Object.keys(live)) {
    const missing = rebuilt[table]!.filter((row) => !live[table]!.includes(row)).length;
    const extra = live[table]!.filter((row) => !rebuilt[table]!.includes(row)).length;
    lost += missing;
    duplicated += extra;
    if (missing || extra) causes.push(`${table}: ${missing} rows missing, ${extra} extra against a rebuild`);
  }
  return { lost, duplicated, causes };
};
