import type { Command } from 'commander';
import { connectDatabase, describeRetry, loadConfig, runMigrations } from '@app/infrastructure';

export const registerMigrateCommand = (program: Command): void => {
  program
    .command('migrate')
    .description('Create the database if missing and apply pending migrations')
    .action(async () => {
      const config = loadConfig();
      const dataSource = await connectDatabase(
        { databaseUrl: config.databaseUrl, poolSize: 2 },
        {
          waitMs: config.databaseStartupWaitMs,
          onRetry: (cause, retryInMs) =>
            process.stderr.write(`${describeRetry(cause, retryInMs)}
`),
        },
      );
      try {
        const applied = await runMigrations(dataSource);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await dataSource.destroy();
      }
    });
};
