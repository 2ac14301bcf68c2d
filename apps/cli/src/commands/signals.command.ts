import type { Command } from 'commander';
import { isCalendarDay } from '@app/domain';
import { CliError } from '../cli-error.js';
import { renderTable } from '../render-table.js';

export const registerSignalsCommand = (program: Command): void => {
  const signals = program
    .command('signals')
    .description('Signals the clock makes true: results overdue, hygiene flags');

  signals
    .command('check')
    .description("Record the signals that started or ended by a day (the worker's daily check, run now)")
    .option('--on <date>', 'the day to check, YYYY-MM-DD (default: today)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { on?: string; json?: boolean }) => {
      if (options.on !== undefined && !isCalendarDay(options.on)) {
        throw new CliError(`--on must be a date as YYYY-MM-DD, got "${options.on}"`, 2);
      }
      const on = options.on ?? new Date().toISOString().slice(0, 10);
      const { withContext, CommandBus, CatchUpProjectionsCommand, CheckSignalsCommand } =
        await import('../cli-context.js');
      const summary = await withContext(async (context) => {
        const commands = context.get(CommandBus);
        // The check reads the current-state read model: bring it up to the event store first.
        await commands.execute(new CatchUpProjectionsCommand('current-state'));
        return commands.execute(new CheckSignalsCommand(on));
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const rows = Object.entries(summary.recorded).map(([type, count]) => [type, String(count)]);
      process.stdout.write(`Checked ${summary.trialsChecked} trials on ${summary.on}.\n`);
      if (rows.length > 0) process.stdout.write(`${renderTable(['RECORDED', 'TRIALS'], rows)}\n`);
      else process.stdout.write('Nothing new to record.\n');
    });
};
