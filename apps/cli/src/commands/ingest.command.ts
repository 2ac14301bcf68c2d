import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { SNAPSHOT_FORMATS, type SnapshotFormat } from '@app/domain';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { type Ingestion, IngestSnapshotsCommand } from '@app/tracking/ingestion';
import { CatchUpProjectionsCommand } from '@app/tracking/read-models';
import { withContext } from '../cli-context.js';
import { CliError, describeError } from '../cli-error.js';
import { expandInputs } from '../input-files.js';

export interface IngestSummary {
  files: number;
  eventsAppended: number;
  appended: number;
  learned: number;
  unchanged: number;
  stale: number;
  rejected: number;
  failed: number;
}

const catchUpProjections = async (context: INestApplicationContext): Promise<void> => {
  await context.get(CommandBus).execute(new CatchUpProjectionsCommand());
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
    .option(
      '--batch-size <n>',
      'files read per step, and at most this many snapshots per transaction (BULK_INGEST_MAX_SNAPSHOTS and BULK_INGEST_MAX_TRANSACTION_MS bound them too)',
      (value) => Number(value),
      200,
    )
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        paths: string[],
        options: {
          source: string;
          observedAt?: string;
          format?: string;
          project: boolean;
          batchSize: number;
          json?: boolean;
        },
      ) => {
        if (options.format && !(SNAPSHOT_FORMATS as readonly string[]).includes(options.format)) {
          throw new CliError(`--format must be one of ${SNAPSHOT_FORMATS.join(', ')}`, 2);
        }
        if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
          throw new CliError('--batch-size must be a whole number of at least 1', 2);
        const files = await expandInputs(paths);
        if (files.length === 0) throw new CliError('No snapshot files found (looked for .json, .xml, .txt, .html)', 2);
        const summary: IngestSummary = {
          files: files.length,
          eventsAppended: 0,
          appended: 0,
          learned: 0,
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
          const maxBytes = context.get<AppConfig>(APP_CONFIG).maxSnapshotBytes;
          bar?.start(files.length, 0, { file: '' });
          for (let index = 0; index < files.length; index += options.batchSize) {
            const batch = files.slice(index, index + options.batchSize);
            const inputs: { name: string; content: Buffer }[] = [];
            for (const file of batch) {
              try {
                const content = await file.read();
                if (content.byteLength > maxBytes) {
                  summary.rejected += 1;
                  problems.push(
                    `${file.name}: snapshot.too-large: ${content.byteLength} bytes, the limit is ${maxBytes} (MAX_SNAPSHOT_BYTES)`,
                  );
                } else {
                  inputs.push({ name: file.name, content });
                }
              } catch (error) {
                summary.failed += 1;
                problems.push(`${file.name}: ${describeError(error)}`);
              }
            }
            const ingestions: Ingestion[] = await commandBus.execute(
              new IngestSnapshotsCommand(
                inputs.map(({ content }) => ({
                  content,
                  mediaType: null,
                  source: options.source,
                  observedAt: options.observedAt ?? null,
                  format: (options.format as SnapshotFormat | undefined) ?? null,
                })),
                options.batchSize,
              ),
            );
            ingestions.forEach((ingestion, position) => {
              if (ingestion.status === 'rejected')
                problems.push(`${inputs[position]!.name}: ${ingestion.error?.code}: ${ingestion.error?.message}`);
              if (ingestion.status === 'failed')
                problems.push(
                  `${inputs[position]!.name}: ${ingestion.error?.code}: ${ingestion.error?.message} ` +
                    `(ingestion ${ingestion.id} failed; retry it with: trialwatch ingestions retry ${ingestion.id})`,
                );
              if (ingestion.status !== 'queued') summary[ingestion.status] += 1;
              summary.eventsAppended += ingestion.results.reduce((count, trial) => count + trial.events.length, 0);
            });
            bar?.increment(batch.length, { file: batch.at(-1)!.name.slice(-40) });
          }
          bar?.stop();
          if (options.project) await catchUpProjections(context);
        });

        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...summary, problems }, null, 2)}\n`);
        } else {
          for (const problem of problems) process.stderr.write(`${problem}\n`);
          process.stdout.write(
            `files: ${summary.files}, events appended: ${summary.eventsAppended}, appended: ${summary.appended}, ` +
              `learned: ${summary.learned}, ` +
              `unchanged: ${summary.unchanged}, stale: ${summary.stale}, rejected: ${summary.rejected}` +
              (summary.failed ? `, failed: ${summary.failed}` : '') +
              '\n',
          );
        }
        if (summary.failed > 0) throw new CliError(`${summary.failed} file(s) could not be ingested`, 1);
      },
    );
};
