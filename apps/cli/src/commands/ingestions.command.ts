import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import {
  type Ingestion,
  type IngestionPage,
  INGESTION_STATUSES,
  type IngestionStatus,
  ListIngestionsQuery,
  RetryIngestionCommand,
} from '@app/tracking/ingestion';
import { withContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { renderTable } from '../render-table.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const describeError = (ingestion: Ingestion): string =>
  ingestion.error ? `${ingestion.error.code}: ${ingestion.error.message}` : '';

export const registerIngestionsCommand = (program: Command): void => {
  const ingestions = program.command('ingestions').description('Inspect ingestions and retry failed ones');

  ingestions
    .command('list')
    .description('Ingestions of one status, newest received first')
    .requiredOption('--status <status>', `one of ${INGESTION_STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many (1 to 500)', (value) => Number(value), 50)
    .option('--cursor <cursor>', 'the next page: the cursor printed after the previous one')
    .option('--json', 'print JSON ({ ingestions, nextCursor })')
    .action(async (options: { status: string; limit: number; cursor?: string; json?: boolean }) => {
      if (!(INGESTION_STATUSES as readonly string[]).includes(options.status))
        throw new CliError(`--status must be one of ${INGESTION_STATUSES.join(', ')}`, 2);
      if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 500)
        throw new CliError('--limit must be a whole number from 1 to 500', 2);
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
    .argument('<id>', 'the ingestion id')
    .option('--json', 'print the ingestion as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      if (!UUID.test(id)) throw new CliError(`"${id}" is not an ingestion id (a UUID)`, 2);
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
