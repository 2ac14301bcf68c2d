import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  ApiKeyGuard,
  type AppConfig,
  InfrastructureModule,
  LoggingModule,
  SnapshotRateLimit,
} from '@app/infrastructure';
import { TrackingHttpModule, WebUiModule } from '@app/tracking';

@Module({})
export class ApiModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRoot(overrides), LoggingModule, TrackingHttpModule, WebUiModule],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }, SnapshotRateLimit],
    };
  }
}
