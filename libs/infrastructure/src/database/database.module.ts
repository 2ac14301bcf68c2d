import { Global, Module } from '@nestjs/common';
import { Database } from './database.js';
import { createDataSource, runMigrations } from './data-source.js';
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
        const dataSource = await createDataSource({
          databaseUrl: config.databaseUrl,
          // The worker's delivery passes each hold a connection of their own, on top of the rest.
          poolSize: config.databasePoolSize + (config.deliversWebhooks ? webhookDeliverySessions(config) : 0),
        }).initialize();
        if (config.migrateOnStart) await runMigrations(dataSource);
        return new Database(dataSource);
      },
    },
    OpenTransactions,
  ],
  exports: [Database, OpenTransactions],
})
export class DatabaseModule {}
