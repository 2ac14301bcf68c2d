import type { Command } from 'commander';
import { parseNctId } from '@app/domain';
import type { StatusHistory } from '@app/tracking/read-models';
import { renderTable } from '../render-table.js';

export const formatStatusHistory = (history: StatusHistory): string => {
  const table = renderTable(
    ['STATUS', 'FROM', 'TO', 'DAYS'],
    history.periods.map((period) => [
      period.status,
      period.from.slice(0, 10),
      period.to ? period.to.slice(0, 10) : '(current)',
      String(period.days),
    ]),
  );
  return `${history.nctId}: current status ${history.currentStatus ?? 'unknown'}\n${table}`;
};

export const registerHistoryCommand = (program: Command): void => {
  program
    .command('history')
    .description("Print a trial's status history: each status, from, to and days in it")
    .argument('<nctId>', 'the trial, e.g. NCT00513591')
    .option('--json', 'print JSON instead of a table')
    .action(async (rawNctId: string, options: { json?: boolean }) => {
      const nctId = parseNctId(rawNctId);
      const { withContext, QueryBus, GetStatusHistoryQuery } = await import('../cli-context.js');
      const history = await withContext((context) => context.get(QueryBus).execute(new GetStatusHistoryQuery(nctId)));
      process.stdout.write(
        options.json ? `${JSON.stringify(history, null, 2)}\n` : `${formatStatusHistory(history)}\n`,
      );
    });
};
