import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, InfrastructureModule, LoggingModule } from '@app/infrastructure';
import { TrackingHttpModule } from '@app/tracking';

@Module({})
export class ApiModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRoot(overrides), LoggingModule, TrackingHttpModule],
    };
  }
}
