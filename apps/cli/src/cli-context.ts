import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InfrastructureModule } from '@app/infrastructure';
import { TrackingModule } from '@app/tracking';

@Module({})
class CliModule {
  static forRoot(): DynamicModule {
    return { module: CliModule, imports: [InfrastructureModule.forRoot(), TrackingModule] };
  }
}

/** Runs `work` with the use cases wired to PostgreSQL and Redis, then closes every connection. */
export const withContext = async <T>(work: (context: INestApplicationContext) => Promise<T>): Promise<T> => {
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(), { logger: ['error', 'warn'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
};
