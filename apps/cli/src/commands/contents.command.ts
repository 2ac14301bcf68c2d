import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

export const registerContentsCommand = (program: Command): void => {
  const contents = program.command('contents').description('Maintain the raw snapshot contents kept');

  contents
    .command('compress')
    .description(
      'Compress the raw contents stored before contents were compressed, each of one trial against its ' +
        'keyframe, a batch per transaction (a second run compresses what is left)',
    )
    // Kept as typed until checked, so that a refusal quotes it rather than NaN.
    .option('--batch-size <n>', 'contents per transaction', (value: string): string | number => value, 200)
    .action(async (options: { batchSize: string | number }) => {
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
        throw new CliError(`--batch-size must be a whole number from 1 to 10000, got "${options.batchSize}"`, 2);
      }
      const { withContext, CommandBus, CompressStoredContentsCommand } = await import('../cli-context.js');
      const done = await withContext((context) =>
        context
          .get(CommandBus)
          .execute(
            new CompressStoredContentsCommand(batchSize, (sofar) =>
              process.stderr.write(`compressed ${sofar.contents} contents\n`),
            ),
          ),
      );
      process.stdout.write(
        `compressed ${done.contents} contents: ${megabytes(done.bytesBefore)} as stored, ` +
          `${megabytes(done.bytesAfter)} compressed\n` +
          (done.contents > 0
            ? 'The space is reused by new rows after VACUUM; VACUUM FULL snapshot_contents returns it to the disk.\n'
            : ''),
      );
    });
};
