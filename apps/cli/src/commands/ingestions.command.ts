import type { Command } from 'commander';
import type { Ingestion, IngestionPage, IngestionStatus } from '@app/tracking/ingestion';
import { CliError } from '../cli-error.js';
import { idArgument } from '../id-argument.js';
import { renderTable } from '../render-table.js';

/** The ingestion log's statuses, named here so that `--help` needs nothing loaded (a spec keeps them the log's). */
export const STATUSES: readonly IngestionStatus[] = [
  'queued',
  'appended',
  'learned',
  'unchanged',
  'stale',
  'rejected',
  'failed',
];

const describeError = (ingestion: Ingestion): string =>
  ingestion.error ? `${ingestion.error.code}: ${ingestion.error.message}` : '';

export const registerIngestionsCommand = (program: Command): void => {
  const ingestions = program.command('ingestions').description('Inspect ingestions and retry failed ones');

  ingestions
    .command('list')
    .description('Ingestions of one status, newest received first')
    .requiredOption('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many (1 to 500)', (value) => Number(value), 50)
    .option('--cursor <cursor>', 'the next page: the cursor printed after the previous one')
    .option('--json', 'print JSON ({ ingestions, nextCursor })')
    .action(async (options: { status: string; limit: number; cursor?: string; json?: boolean }) => {
      if (!(STATUSES as readonly string[]).includes(options.status))
        throw new CliError(`--status must be one of ${STATUSES.join(', ')}`, 2);
      if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 500)
        throw new CliError('--limit must be a whole number from 1 to 500', 2);
      const { withContext, QueryBus, ListIngestionsQuery } = await import('../cli-context.js');
      const page: IngestionPage = await withContext((context) =>
        context
          .get(QueryBus)
          .execute(new ListIngestionsQuery(options.status as IngestionStatus, options.limit, options.cursor ?? null)),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${renderTable(
          ['id', 'received', 'trials', 'attempts', 'error'],
          page.ingestions.map((ingestion) => [
            ingestion.id,
            ingestion.receivedAt,
            ingestion.nctIds.join(','),
            String(ingestion.attempts),
            describeError(ingestion),
          ]),
        )}\n`,
      );
      if (page.nextCursor) process.stdout.write(`next page: --cursor ${page.nextCursor}\n`);
    });

  ingestions
    .command('retry')
    .description('Queue a failed ingestion again, its attempts reset (a running worker processes it)')
    .argument('<id>', 'the ingestion id', idArgument('an ingestion id'))
    .option('--json', 'print the ingestion as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { withContext, CommandBus, RetryIngestionCommand } = await import('../cli-context.js');
      const ingestion: Ingestion = await withContext((context) =>
        context.get(CommandBus).execute(new RetryIngestionCommand(id.toLowerCase())),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(ingestion, null, 2)}\n`
          : `ingestion ${ingestion.id} queued again (attempts reset)\n`,
      );
    });
};
