import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, InfrastructureModule, LoggingModule } from '@app/infrastructure';
import { TrackingWorkersModule } from '@app/tracking';

@Module({})
export class WorkerModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfrastructureModule.forRoot(overrides), LoggingModule, TrackingWorkersModule],
    };
  }
}
