import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { renderTable } from '../render-table.js';

/** The read models, named so that a mistyped one is refused before anything loads (cli.e2e-spec checks them). */
const PROJECTIONS = ['current-state', 'field-history', 'status-history', 'change-feed', 'outcome-switches'] as const;

export const registerProjectionsCommand = (program: Command): void => {
  const projections = program.command('projections').description('Inspect and rebuild the read models');

  projections
    .command('status')
    .description("Each projection's checkpoint and lag (events and seconds)")
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { withContext, QueryBus, GetProjectionStatusQuery } = await import('../cli-context.js');
      const statuses = await withContext((context) => context.get(QueryBus).execute(new GetProjectionStatusQuery()));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${renderTable(
          ['PROJECTION', 'CHECKPOINT', 'LAG EVENTS', 'LAG SECONDS'],
          statuses.map((status) => [
            status.name,
            `${status.checkpoint.transactionId}.${status.checkpoint.globalPosition}`,
            String(status.lagEvents),
            status.lagSeconds.toFixed(1),
          ]),
        )}\n`,
      );
    });

  projections
    .command('rebuild')
    .description('Rebuild a read model (or all) from the event store beside the live one, then switch')
    .argument('[name]', `${PROJECTIONS.slice(0, -1).join(', ')} or ${PROJECTIONS.at(-1)}`)
    .action(async (name: string | undefined) => {
      if (name !== undefined && !(PROJECTIONS as readonly string[]).includes(name))
        throw new CliError(`No projection named "${name}"; choose one of ${PROJECTIONS.join(', ')}`, 2);
      const { withContext, CommandBus, QueryBus, GetProjectionStatusQuery, RebuildProjectionCommand } =
        await import('../cli-context.js');
      await withContext(async (context) => {
        const names = name
          ? [name]
          : (await context.get(QueryBus).execute(new GetProjectionStatusQuery())).map((status) => status.name);
        // One at a time, each told once it is swapped in: a failure later leaves those before it rebuilt, and says so.
        for (const each of names) {
          const reports = await context.get(CommandBus).execute(new RebuildProjectionCommand(each));
          for (const report of reports) {
            process.stdout.write(
              `${report.projection}: rebuilt from ${report.eventsApplied} events in ${report.durationMs} ms\n`,
            );
          }
        }
      });
    });
};
