import type { Command } from 'commander';
import { createDataSource, ensureDatabase, loadConfig, runMigrations } from '@app/infrastructure';

export const registerMigrateCommand = (program: Command): void => {
  program
    .command('migrate')
    .description('Create the database if missing and apply pending migrations')
    .action(async () => {
      const config = loadConfig();
      await ensureDatabase(config.databaseUrl);
      const dataSource = await createDataSource({ databaseUrl: config.databaseUrl, poolSize: 2 }).initialize();
      try {
        const applied = await runMigrations(dataSource);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await dataSource.destroy();
      }
    });
};
