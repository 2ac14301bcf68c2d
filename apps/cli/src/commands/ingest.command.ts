import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { isDomainError, SNAPSHOT_FORMATS, type SnapshotFormat } from '@app/domain';
import {
  AcceptSnapshotCommand,
  type Ingestion,
  ProcessIngestionCommand,
  ProjectionRegistry,
  ProjectionRunner,
  EventConsumersWaker,
} from '@app/tracking';
import { withContext } from '../cli-context.js';
import { CliError, describeError } from '../cli-error.js';
import { expandInputs } from '../input-files.js';

export interface IngestSummary {
  files: number;
  eventsAppended: number;
  appended: number;
  unchanged: number;
  stale: number;
  rejected: number;
  failed: number;
}

const catchUpProjections = async (context: INestApplicationContext): Promise<void> => {
  const runner = context.get(ProjectionRunner);
  for (const projection of context.get(ProjectionRegistry).all()) await runner.catchUp(projection);
};

export const registerIngestCommand = (program: Command): void => {
  program
    .command('ingest')
    .description('Ingest snapshot files through the same pipeline as POST /snapshots')
    .argument('<paths...>', 'files or directories (read recursively); - for standard input')
    .option('--source <label>', 'who the snapshots come from', 'cli')
    .option('--observed-at <timestamp>', 'when the snapshots were taken (ISO 8601)')
    .option('--format <format>', `read as this format instead of detecting it (${SNAPSHOT_FORMATS.join(', ')})`)
    .option('--no-project', 'leave the read models to the worker instead of catching them up before exiting')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        paths: string[],
        options: { source: string; observedAt?: string; format?: string; project: boolean; json?: boolean },
      ) => {
        if (options.format && !(SNAPSHOT_FORMATS as readonly string[]).includes(options.format)) {
          throw new CliError(`--format must be one of ${SNAPSHOT_FORMATS.join(', ')}`, 2);
        }
        const files = await expandInputs(paths);
        if (files.length === 0) throw new CliError('No snapshot files found (looked for .json, .xml, .txt, .html)', 2);
        const summary: IngestSummary = {
          files: files.length,
          eventsAppended: 0,
          appended: 0,
          unchanged: 0,
          stale: 0,
          rejected: 0,
          failed: 0,
        };
        const problems: string[] = [];
        const bar =
          process.stderr.isTTY && !options.json
            ? new SingleBar({ format: 'ingesting [{bar}] {value}/{total} {file}', stream: process.stderr })
            : null;

        await withContext(async (context) => {
          const commandBus = context.get(CommandBus);
          bar?.start(files.length, 0, { file: '' });
          for (const file of files) {
            bar?.increment(0, { file: file.name.slice(-40) });
            try {
              const accepted = await commandBus.execute(
                new AcceptSnapshotCommand(
                  {
                    content: await file.read(),
                    mediaType: null,
                    source: options.source,
                    observedAt: options.observedAt ?? null,
                    format: (options.format as SnapshotFormat | undefined) ?? null,
                  },
                  false,
                ),
              );
              const ingestion: Ingestion = await commandBus.execute(new ProcessIngestionCommand(accepted.ingestionId));
              if (ingestion.status === 'appended' || ingestion.status === 'unchanged' || ingestion.status === 'stale') {
                summary[ingestion.status] += 1;
              }
              summary.eventsAppended += ingestion.results.reduce((count, trial) => count + trial.events.length, 0);
            } catch (error) {
              if (isDomainError(error) && error.kind === 'invalid') summary.rejected += 1;
              else summary.failed += 1;
              problems.push(`${file.name}: ${describeError(error)}`);
            }
            bar?.increment(1);
          }
          bar?.stop();
          if (options.project) await catchUpProjections(context);
          await context.get(EventConsumersWaker).wakeAll();
        });

        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...summary, problems }, null, 2)}\n`);
        } else {
          for (const problem of problems) process.stderr.write(`${problem}\n`);
          process.stdout.write(
            `files: ${summary.files}, events appended: ${summary.eventsAppended}, appended: ${summary.appended}, ` +
              `unchanged: ${summary.unchanged}, stale: ${summary.stale}, rejected: ${summary.rejected}` +
              (summary.failed ? `, failed: ${summary.failed}` : '') +
              '\n',
          );
        }
        if (summary.failed > 0) throw new CliError(`${summary.failed} file(s) could not be ingested`, 1);
      },
    );
};
