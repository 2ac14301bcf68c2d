import { Global, Module } from '@nestjs/common';
import { Database } from './database.js';
import { createDataSource, runMigrations, warmUp } from './data-source.js';
import { ensureDatabase } from './ensure-database.js';
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
        await ensureDatabase(config.databaseUrl);
        // The worker's delivery passes each hold a connection of their own, on top of the rest.
        const poolSize = config.databasePoolSize + (config.deliversWebhooks ? webhookDeliverySessions(config) : 0);
        const dataSource = await createDataSource({ databaseUrl: config.databaseUrl, poolSize }).initialize();
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
