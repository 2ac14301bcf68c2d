import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, InfrastructureModule } from '@app/infrastructure';
import { TrackingModule } from '@app/tracking';

@Module({})
class BenchModule {
  static forRoot(config: Partial<AppConfig>): DynamicModule {
    return { module: BenchModule, imports: [InfrastructureModule.forRoot(config), TrackingModule] };
  }
}

/** The use cases in this process, as the CLI runs them (the bulk ingestion path). */
export const createBenchContext = (config: Partial<AppConfig>): Promise<INestApplicationContext> =>
  NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: ['error', 'warn'] });
