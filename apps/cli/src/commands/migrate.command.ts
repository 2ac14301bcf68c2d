import type { Command } from 'commander';

export const registerMigrateCommand = (program: Command): void => {
  program
    .command('migrate')
    .description('Create the database if missing and apply pending migrations')
    .action(async () => {
      const { connectDatabase, describeRetry, loadConfig, runMigrations } = await import('@app/infrastructure');
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
