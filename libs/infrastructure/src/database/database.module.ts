import { Global, Module } from '@nestjs/common';
import { Database } from './database.js';
import { runMigrations, warmUp } from './data-source.js';
import { connectDatabase, describeRetry } from './wait-for-database.js';
import { stderrLogger } from '../logging/stderr-logger.js';
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
        // Each failed try is logged as it happens: the app has not started yet.
        const logger = stderrLogger(config.logLevel);
        const dataSource = await connectDatabase(
          { databaseUrl: config.databaseUrl, poolSize },
          {
            waitMs: config.databaseStartupWaitMs,
            onRetry: (cause, retryInMs) => logger.warn({ context: 'Database' }, describeRetry(cause, retryInMs)),
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
