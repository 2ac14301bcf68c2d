import { Global, Module } from '@nestjs/common';
import { pino } from 'pino';
import { Database } from './database.js';
import { runMigrations, warmUp } from './data-source.js';
import { causeOf, connectDatabase } from './wait-for-database.js';
import { OpenTransactions } from './open-transactions.js';
import { APP_CONFIG } from '../config/config.module.js';
import { type AppConfig, webhookDeliverySessions } from '../config/app-config.js';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        // The worker's delivery passes each hold a connection of their own, on top of the rest.
        const poolSize = config.databasePoolSize + (config.deliversWebhooks ? webhookDeliverySessions(config) : 0);
        // Logged as each try fails, on stderr: Nest holds its own logs back until the app has started, and
        // a CLI command's stdout is its output.
        const logger = pino({ level: config.logLevel }, pino.destination(2));
        const dataSource = await connectDatabase(
          { databaseUrl: config.databaseUrl, poolSize },
          {
            waitMs: config.databaseStartupWaitMs,
            onRetry: (cause, retryInMs) =>
              logger.warn(
                { context: 'Database' },
                `PostgreSQL cannot be reached yet (${causeOf(cause)}); trying again in ${retryInMs} ms`,
              ),
          },
        );
        if (config.migrateOnStart) await runMigrations(dataSource);
        await warmUp(dataSource, poolSize);
        return new Database(dataSource);
      },
    },
    OpenTransactions,
  ],
  exports: [Database, OpenTransactions],
})
export class DatabaseModule {}
