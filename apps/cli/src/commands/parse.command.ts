import type { Command } from 'commander';
import { describeError, SNAPSHOT_FORMATS, type SnapshotFormat, type TrialSnapshot } from '@app/domain';
import { CliError } from '../cli-error.js';
import { expandInputs } from '../input-files.js';
import { observedAtOption } from '../observed-at-option.js';

export const registerParseCommand = (program: Command): void => {
  program
    .command('parse')
    .description('Print the normalized snapshot of each file as JSON (no database needed)')
    .argument('<files...>', 'files or directories to read; - for standard input')
    .option('--format <format>', `read as this format instead of detecting it (${SNAPSHOT_FORMATS.join(', ')})`)
    .option('--observed-at <timestamp>', 'when the snapshots were taken (ISO 8601)')
    .action(async (paths: string[], options: { format?: string; observedAt?: string }) => {
      if (options.format && !(SNAPSHOT_FORMATS as readonly string[]).includes(options.format)) {
        throw new CliError(`--format must be one of ${SNAPSHOT_FORMATS.join(', ')}`, 2);
      }
      const observedAt = observedAtOption(options.observedAt, new Date());
      const files = await expandInputs(paths);
      const { parseSnapshots } = await import('@app/registry-formats');
      const snapshots: TrialSnapshot[] = [];
      const failures: string[] = [];
      for (const file of files) {
        try {
          const content = await file.read();
          snapshots.push(
            ...parseSnapshots(content, {
              receivedAt: new Date().toISOString(),
              observedAt,
              format: options.format as SnapshotFormat | undefined,
            }),
          );
        } catch (error) {
          failures.push(`${file.name}: ${describeError(error)}`);
        }
      }
      if (snapshots.length > 0) {
        const single = files.length === 1 && snapshots.length === 1;
        process.stdout.write(`${JSON.stringify(single ? snapshots[0] : snapshots, null, 2)}\n`);
      }
      if (failures.length > 0) throw new CliError(failures.join('\n'), 2);
    });
};
