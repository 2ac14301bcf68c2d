import type { Command } from 'commander';
import type { WatchedTrial, Watchlist, WatchlistRun } from '@app/tracking/watchlists';
import { CliError } from '../cli-error.js';
import { listOption } from '../list-option.js';
import { renderTable } from '../render-table.js';

/** `query.cond=stroke` -> ['query.cond', 'stroke'] */
const searchPair = (value: string, previous: Record<string, string>): Record<string, string> => {
  const index = value.indexOf('=');
  if (index <= 0) throw new CliError(`--search takes key=value (e.g. query.cond=stroke), got "${value}"`, 2);
  return { ...previous, [value.slice(0, index)]: value.slice(index + 1) };
};

const print = (value: unknown, asJson: boolean | undefined, render: () => string): void => {
  process.stdout.write(asJson ? `${JSON.stringify(value, null, 2)}\n` : `${render()}\n`);
};

export const formatRun = (run: WatchlistRun): string =>
  [
    `run ${run.id} (${run.trigger}): ${run.status}`,
    `  started ${run.startedAt ?? '-'}, ended ${run.endedAt ?? '-'}`,
    `  studies fetched ${run.studiesFetched}; snapshots appended ${run.appended}, learned ${run.learned}, unchanged ${run.unchanged}, stale ${run.stale}, rejected ${run.rejected}; events ${run.eventsAppended}`,
    ...run.notes.map((note) => `  note: ${note}`),
    ...run.errors.map((error) => `  error: ${error.scope}: ${error.code}: ${error.message}`),
  ].join('\n');

export const registerWatchCommand = (program: Command): void => {
  const watch = program
    .command('watch')
    .description('Watchlists: trials re-ingested from ClinicalTrials.gov on a schedule');

  watch
    .command('add')
    .description('Create a watchlist')
    .argument('<name>', 'a name to refer to it by')
    .option('--ids <nctIds>', 'NCT IDs, comma-separated (repeatable)', listOption('--ids'), [])
    .option('--search <key=value>', 'an API v2 search parameter, e.g. query.cond=stroke (repeatable)', searchPair, {})
    .option('--page-url <url>', 'a registry page to fetch on the schedule (repeatable)', listOption('--page-url'), [])
    .option('--cron <expression>', 'when to sync (cron, 5 or 6 fields)', '0 6 * * *')
    .option('--tz <timeZone>', 'the time zone of the cron expression', 'UTC')
    .option('--backfill', 'import past versions of newly watched trials (needs CTGOV_HISTORY_ENABLED=true)')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        options: {
          ids: string[];
          search: Record<string, string>;
          pageUrl: string[];
          cron: string;
          tz: string;
          backfill?: boolean;
          json?: boolean;
        },
      ) => {
        const { withContext, CommandBus, CreateWatchlistCommand } = await import('../cli-context.js');
        const watchlist: Watchlist = await withContext((context) =>
          context.get(CommandBus).execute(
            new CreateWatchlistCommand({
              name,
              nctIds: options.ids,
              search: Object.keys(options.search).length ? options.search : null,
              pageUrls: options.pageUrl,
              schedule: { cron: options.cron, timeZone: options.tz },
              backfillHistory: options.backfill ?? false,
            }),
          ),
        );
        print(
          watchlist,
          options.json,
          () =>
            `created watchlist ${watchlist.name} (${watchlist.id}), syncing "${watchlist.schedule.cron}" ${watchlist.schedule.timeZone}`,
        );
      },
    );

  watch
    .command('list')
    .description('List watchlists')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { withContext, QueryBus, ListWatchlistsQuery } = await import('../cli-context.js');
      const watchlists: Watchlist[] = await withContext((context) =>
        context.get(QueryBus).execute(new ListWatchlistsQuery()),
      );
      print(watchlists, options.json, () =>
        renderTable(
          ['NAME', 'ID', 'TRIALS', 'SEARCH', 'SCHEDULE', 'LAST SYNC'],
          watchlists.map((watchlist) => [
            watchlist.name,
            watchlist.id,
            String(watchlist.nctIds.length),
            watchlist.search ? new URLSearchParams(watchlist.search).toString() : '-',
            `${watchlist.schedule.cron} ${watchlist.schedule.timeZone}`,
            watchlist.lastSuccessfulSyncAt ?? 'never',
          ]),
        ),
      );
    });

  watch
    .command('remove')
    .description('Delete a watchlist and its schedule (tracked trials keep their history)')
    .argument('<watchlist>', 'name or id')
    .action(async (idOrName: string) => {
      const { withContext, CommandBus, DeleteWatchlistCommand } = await import('../cli-context.js');
      await withContext((context) => context.get(CommandBus).execute(new DeleteWatchlistCommand(idOrName)));
      process.stdout.write(`removed watchlist ${idOrName}\n`);
    });

  watch
    .command('sync')
    .description('Sync a watchlist now, in this process, and print the run')
    .argument('<watchlist>', 'name or id')
    .option('--json', 'print JSON')
    .action(async (idOrName: string, options: { json?: boolean }) => {
      const { withContext, CommandBus, RequestWatchlistSyncCommand } = await import('../cli-context.js');
      const run: WatchlistRun = await withContext((context) =>
        context.get(CommandBus).execute(new RequestWatchlistSyncCommand(idOrName, true)),
      );
      print(run, options.json, () => formatRun(run));
      if (run.status === 'failed') throw new CliError('the sync failed', 1);
      if (run.status === 'partial')
        throw new CliError(
          `the sync ended partial, with ${run.errors.length} error${run.errors.length === 1 ? '' : 's'}`,
          1,
        );
    });

  watch
    .command('runs')
    .description("A watchlist's runs, newest first")
    .argument('<watchlist>', 'name or id')
    .option('--limit <n>', 'how many (1 to 500)', (value) => Number(value), 20)
    .option('--json', 'print JSON')
    .action(async (idOrName: string, options: { limit: number; json?: boolean }) => {
      if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 500)
        throw new CliError('--limit must be a whole number from 1 to 500', 2);
      const { withContext, QueryBus, ListWatchlistRunsQuery } = await import('../cli-context.js');
      const runs: WatchlistRun[] = await withContext((context) =>
        context.get(QueryBus).execute(new ListWatchlistRunsQuery(idOrName, options.limit)),
      );
      print(runs, options.json, () => runs.map(formatRun).join('\n') || 'no runs yet');
    });

  watch
    .command('trials')
    .description('The trials a watchlist names: fetched in full yet, still in the registry, and their history backfill')
    .argument('<watchlist>', 'name or id')
    .option('--json', 'print JSON')
    .action(async (idOrName: string, options: { json?: boolean }) => {
      const { withContext, QueryBus, ListWatchedTrialsQuery } = await import('../cli-context.js');
      const trials: WatchedTrial[] = await withContext((context) =>
        context.get(QueryBus).execute(new ListWatchedTrialsQuery(idOrName)),
      );
      print(trials, options.json, () =>
        renderTable(
          ['NCT ID', 'REGISTRY', 'FETCHED IN FULL', 'BACKFILL', 'ATTEMPTS', 'LAST ERROR'],
          trials.map((trial) => [
            trial.nctId,
            trial.registryState + (trial.missingSince ? ` since ${trial.missingSince}` : ''),
            trial.fetchedInFullAt ?? 'not yet',
            trial.backfill?.status ?? '-',
            trial.backfill ? String(trial.backfill.attempts) : '-',
            trial.backfill?.lastError ?? '-',
          ]),
        ),
      );
    });
};
