import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { describeError, SNAPSHOT_FORMATS, type SnapshotFormat, SOURCE_LABEL, SOURCE_LABEL_RULE } from '@app/domain';
import type { AppConfig } from '@app/infrastructure';
import type { Ingestion } from '@app/tracking/ingestion';
import { CliError } from '../cli-error.js';
import { expandInputs } from '../input-files.js';
import { isArchivePath, readArchiveEntries } from '../archive-entries.js';
import { observedAtOption } from '../observed-at-option.js';

export interface IngestSummary {
  files: number;
  eventsAppended: number;
  appended: number;
  learned: number;
  unchanged: number;
  stale: number;
  rejected: number;
  failed: number;
  /** Archive entries whose exact content was already ingested (a rerun resuming). */
  skipped: number;
}

const progressBar = (json: boolean | undefined, format: string): SingleBar | null =>
  process.stderr.isTTY && !json ? new SingleBar({ format, stream: process.stderr }) : null;

export const registerIngestCommand = (program: Command): void => {
  program
    .command('ingest')
    .description(
      "Ingest snapshot files, or the registry's all-studies ZIP download, through the same pipeline as POST /snapshots",
    )
    .argument('<paths...>', 'files, directories (read recursively), .zip archives (streamed); - for standard input')
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
    .option(
      '--no-resume',
      'ingest every entry of an archive again, even those whose exact content was already ingested',
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
          resume: boolean;
          json?: boolean;
        },
      ) => {
        if (options.format && !(SNAPSHOT_FORMATS as readonly string[]).includes(options.format)) {
          throw new CliError(`--format must be one of ${SNAPSHOT_FORMATS.join(', ')}`, 2);
        }
        // As POST /snapshots refuses it: the ingestions keep the label, and are listed and filtered by it.
        if (!SOURCE_LABEL.test(options.source))
          throw new CliError(`--source must be ${SOURCE_LABEL_RULE}, got "${options.source}"`, 2);
        if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
          throw new CliError('--batch-size must be a whole number of at least 1', 2);
        const observedAt = observedAtOption(options.observedAt, new Date()) ?? null;
        const archives = paths.filter(isArchivePath);
        const files = await expandInputs(paths.filter((path) => !isArchivePath(path)));
        if (files.length === 0 && archives.length === 0)
          throw new CliError('No snapshot files found (looked for .json, .xml, .txt, .html and .zip)', 2);
        const summary: IngestSummary = {
          files: 0,
          eventsAppended: 0,
          appended: 0,
          learned: 0,
          unchanged: 0,
          stale: 0,
          rejected: 0,
          failed: 0,
          skipped: 0,
        };
        const problems: string[] = [];
        let stoppedBy: unknown = null;

        const {
          withContext,
          CommandBus,
          QueryBus,
          APP_CONFIG,
          IngestSnapshotsCommand,
          FindIngestedContentsQuery,
          CatchUpProjectionsCommand,
          sha256Hex,
        } = await import('../cli-context.js');
        await withContext(async (context) => {
          const commandBus = context.get(CommandBus);
          const queryBus = context.get(QueryBus);
          const maxBytes = context.get<AppConfig>(APP_CONFIG).maxSnapshotBytes;
          const tooLarge = (name: string, bytes: number) => {
            summary.rejected += 1;
            problems.push(`${name}: snapshot.too-large: ${bytes} bytes, the limit is ${maxBytes} (MAX_SNAPSHOT_BYTES)`);
          };
          const ingest = async (inputs: { name: string; content: Buffer }[]) => {
            if (inputs.length === 0) return;
            const ingestions: Ingestion[] = await commandBus.execute(
              new IngestSnapshotsCommand(
                inputs.map(({ content }) => ({
                  content,
                  mediaType: null,
                  source: options.source,
                  observedAt,
                  format: (options.format as SnapshotFormat | undefined) ?? null,
                })),
                options.batchSize,
              ),
            );
            ingestions.forEach((ingestion, position) => {
              const name = inputs[position]!.name;
              if (ingestion.status === 'rejected')
                problems.push(`${name}: ${ingestion.error?.code}: ${ingestion.error?.message}`);
              if (ingestion.status === 'failed')
                problems.push(
                  `${name}: ${ingestion.error?.code}: ${ingestion.error?.message} ` +
                    `(ingestion ${ingestion.id} failed; retry it with: trialwatch ingestions retry ${ingestion.id})`,
                );
              if (ingestion.status !== 'queued') summary[ingestion.status] += 1;
              summary.eventsAppended += ingestion.results.reduce((count, trial) => count + trial.events.length, 0);
            });
          };

          if (files.length > 0) {
            const bar = progressBar(options.json, 'ingesting [{bar}] {value}/{total} {file}');
            bar?.start(files.length, 0, { file: '' });
            for (let index = 0; index < files.length; index += options.batchSize) {
              const batch = files.slice(index, index + options.batchSize);
              const inputs: { name: string; content: Buffer }[] = [];
              for (const file of batch) {
                summary.files += 1;
                try {
                  const content = await file.read();
                  if (content.byteLength > maxBytes) tooLarge(file.name, content.byteLength);
                  else inputs.push({ name: file.name, content });
                } catch (error) {
                  summary.failed += 1;
                  problems.push(`${file.name}: ${describeError(error)}`);
                }
              }
              await ingest(inputs);
              bar?.increment(batch.length, { file: batch.at(-1)!.name.slice(-40) });
            }
            bar?.stop();
          }

          for (const archive of archives) {
            const size = (await stat(archive).catch(() => null))?.size ?? 0;
            const bar = progressBar(
              options.json,
              `ingesting ${basename(archive)} [{bar}] {percentage}% {entries} entries`,
            );
            bar?.start(size, 0, { entries: 0 });
            // A batch is ingested only once every entry of it has been read whole, so a file cut short
            // leaves the batches before the cut ingested and nothing of the one it cut.
            const ingestBatch = async (batch: { name: string; content: Buffer }[]) => {
              const ingested = options.resume
                ? await queryBus.execute(new FindIngestedContentsQuery(batch.map(({ content }) => sha256Hex(content))))
                : new Set<string>();
              const fresh = batch.filter(({ content }) => !ingested.has(sha256Hex(content)));
              summary.skipped += batch.length - fresh.length;
              await ingest(fresh);
            };
            try {
              let batch: { name: string; content: Buffer }[] = [];
              for await (const entry of readArchiveEntries(archive, {
                maxBytes,
                onBytesRead: (bytes) => bar?.increment(bytes, { entries: summary.files }),
              })) {
                summary.files += 1;
                if ('tooLargeBytes' in entry) tooLarge(entry.name, entry.tooLargeBytes);
                else batch.push(entry);
                if (batch.length >= options.batchSize) {
                  await ingestBatch(batch);
                  batch = [];
                }
              }
              await ingestBatch(batch);
            } catch (error) {
              stoppedBy = error;
              break;
            } finally {
              bar?.stop();
            }
          }
          if (options.project) await commandBus.execute(new CatchUpProjectionsCommand());
        });

        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...summary, problems }, null, 2)}\n`);
        } else {
          for (const problem of problems) process.stderr.write(`${problem}\n`);
          process.stdout.write(
            `files: ${summary.files}, events appended: ${summary.eventsAppended}, appended: ${summary.appended}, ` +
              (summary.skipped ? `already ingested (skipped): ${summary.skipped}, ` : '') +
              `learned: ${summary.learned}, ` +
              `unchanged: ${summary.unchanged}, stale: ${summary.stale}, rejected: ${summary.rejected}` +
              (summary.failed ? `, failed: ${summary.failed}` : '') +
              '\n',
          );
        }
        if (stoppedBy) throw stoppedBy;
        const notIngested = summary.rejected + summary.failed;
        if (notIngested > 0) {
          const counts = [
            summary.rejected ? `${summary.rejected} rejected` : null,
            summary.failed ? `${summary.failed} failed` : null,
          ].filter(Boolean);
          throw new CliError(`${notIngested} of ${summary.files} files not ingested (${counts.join(', ')})`, 1);
        }
      },
    );
};
