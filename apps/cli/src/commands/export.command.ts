import type { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import {
  DOMAIN_EVENT_TYPES,
  isCalendarDay,
  isInstant,
  isMaterialityTier,
  isNctId,
  MATERIALITY_TIERS,
  type MaterialityTier,
} from '@app/domain';
import type { CsvColumn } from '@app/tracking/read-models';
import { CliError } from '../cli-error.js';

/** The application, as the commands use it; loaded when an export runs. */
type Application = typeof import('../cli-context.js');

const FORMATS = ['csv', 'jsonl'] as const;
type Format = (typeof FORMATS)[number];
const WHAT = ['changes', 'status-history', 'results-due', 'hygiene', 'outcome-switching'] as const;
type What = (typeof WHAT)[number];

/** The exports each filter applies to: given to another, it would be ignored, and the export hold more than asked. */
const FILTERS: readonly { option: string; key: keyof ExportOptions; exports: readonly What[] }[] = [
  { option: '--on', key: 'on', exports: ['results-due', 'hygiene'] },
  { option: '--nct-id', key: 'nctId', exports: ['changes', 'status-history'] },
  { option: '--type', key: 'type', exports: ['changes'] },
  { option: '--min-materiality', key: 'minMateriality', exports: ['changes'] },
  { option: '--since', key: 'since', exports: ['outcome-switching'] },
];

interface ExportOptions {
  format: string;
  on?: string;
  nctId?: string;
  since?: string;
  type?: string;
  minMateriality?: string;
}

interface Export<Row> {
  columns: readonly CsvColumn<Row>[];
  pages: AsyncIterable<readonly Row[]>;
}

/** A comma-separated option's entries, trimmed; undefined when the option is not given. */
const list = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()) : undefined);

const exportOf = (application: Application, what: What, queries: QueryBus, options: ExportOptions): Export<unknown> => {
  const {
    allPages,
    CHANGE_COLUMNS,
    changePages,
    GetHygieneReportQuery,
    GetOutcomeSwitchingReportQuery,
    GetResultsDueReportQuery,
    HYGIENE_COLUMNS,
    ListStatusPeriodsQuery,
    OUTCOME_SWITCHING_COLUMNS,
    RESULTS_DUE_COLUMNS,
    STATUS_PERIOD_COLUMNS,
    switchRowsOf,
  } = application;
  const on = options.on ?? new Date().toISOString().slice(0, 10);
  const page = <Row>(columns: readonly CsvColumn<Row>[], pages: AsyncIterable<readonly Row[]>) =>
    ({ columns, pages }) as Export<unknown>;
  switch (what) {
    case 'changes':
      return page(
        CHANGE_COLUMNS,
        changePages((query) => queries.execute(query), {
          types: list(options.type),
          nctIds: list(options.nctId?.toUpperCase()),
          minMateriality: options.minMateriality as MaterialityTier | undefined,
        }),
      );
    case 'status-history': {
      const nctIds = options.nctId ? options.nctId.split(',').map((id) => id.trim().toUpperCase()) : null;
      return page(
        STATUS_PERIOD_COLUMNS,
        allPages(
          (cursor) => queries.execute(new ListStatusPeriodsQuery(nctIds, cursor, 1000)),
          (result) => result.periods,
        ),
      );
    }
    case 'results-due':
      return page(
        RESULTS_DUE_COLUMNS,
        allPages(
          (cursor) => queries.execute(new GetResultsDueReportQuery({ on, cursor: cursor ?? undefined, limit: 1000 })),
          (result) => result.trials,
        ),
      );
    case 'hygiene':
      return page(
        HYGIENE_COLUMNS,
        allPages(
          (cursor) => queries.execute(new GetHygieneReportQuery({ on, cursor: cursor ?? undefined, limit: 1000 })),
          (result) => result.trials,
        ),
      );
    case 'outcome-switching':
      return page(
        OUTCOME_SWITCHING_COLUMNS,
        allPages(
          (cursor) =>
            queries.execute(
              new GetOutcomeSwitchingReportQuery({ since: options.since, cursor: cursor ?? undefined, limit: 200 }),
            ),
          (result) => switchRowsOf(result.trials),
        ),
      );
  }
};

export const registerExportCommand = (program: Command): void => {
  program
    .command('export')
    .description('Write a report or the status history to stdout as CSV or JSON Lines, a page at a time')
    .argument('<what>', WHAT.join(', '))
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--on <date>', 'results-due and hygiene: the day, YYYY-MM-DD (default: today)')
    .option('--nct-id <ids>', 'changes, status-history: only these trials, comma-separated')
    .option('--type <types>', 'changes: only these event types, comma-separated')
    .option('--min-materiality <tier>', 'changes: only changes graded at least noise, low, medium or high')
    .option('--since <time>', 'outcome-switching: switches at or after this ISO date or time')
    .action(async (what: string, options: ExportOptions) => {
      if (!(WHAT as readonly string[]).includes(what)) {
        throw new CliError(`Cannot export "${what}"; choose one of ${WHAT.join(', ')}`, 2);
      }
      for (const filter of FILTERS) {
        if (options[filter.key] !== undefined && !filter.exports.includes(what as What)) {
          throw new CliError(`${filter.option} applies to ${filter.exports.join(' and ')} only, not to ${what}`, 2);
        }
      }
      if (!(FORMATS as readonly string[]).includes(options.format)) {
        throw new CliError(`--format must be csv or jsonl, got "${options.format}"`, 2);
      }
      if (options.on !== undefined && !isCalendarDay(options.on)) {
        throw new CliError(`--on must be a date as YYYY-MM-DD, got "${options.on}"`, 2);
      }
      if (options.minMateriality !== undefined && !isMaterialityTier(options.minMateriality)) {
        throw new CliError(`--min-materiality must be one of ${MATERIALITY_TIERS.join(', ')}`, 2);
      }
      // As the API refuses them: a mistyped type or trial would otherwise export nothing, as if nothing had changed.
      const unknownTypes = (list(options.type) ?? []).filter(
        (type) => !(DOMAIN_EVENT_TYPES as readonly string[]).includes(type),
      );
      if (unknownTypes.length > 0) {
        throw new CliError(
          `--type must be event types, comma-separated (${DOMAIN_EVENT_TYPES.join(', ')}); unknown: ${unknownTypes.join(', ')}`,
          2,
        );
      }
      const notNctIds = (list(options.nctId) ?? []).filter((id) => !isNctId(id.toUpperCase()));
      if (notNctIds.length > 0) {
        throw new CliError(
          `--nct-id must be NCT IDs such as NCT04811651, comma-separated; not one: ${notNctIds.map((id) => `"${id}"`).join(', ')}`,
          2,
        );
      }
      if (options.since !== undefined && !isInstant(options.since)) {
        throw new CliError(`--since must be an ISO date or time, got "${options.since}"`, 2);
      }
      const application = await import('../cli-context.js');
      const { withContext, QueryBus, writeCsv, writeJsonLines } = application;
      await withContext(async (context) => {
        const { columns, pages } = exportOf(application, what as What, context.get(QueryBus), options);
        if ((options.format as Format) === 'csv') await writeCsv(process.stdout, columns, pages);
        else await writeJsonLines(process.stdout, pages);
      });
    });
};
