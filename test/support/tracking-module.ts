import { Test, type TestingModule } from '@nestjs/testing';
import { InfrastructureModule } from '@app/infrastructure';
import { TrackingModule } from '@app/tracking';
import type { TestEnvironment } from './test-environment.js';

/** The use cases wired to the test environment's PostgreSQL and Redis, without HTTP or workers. */
export const createTrackingModule = async (environment: TestEnvironment): Promise<TestingModule> => {
  const module = await Test.createTestingModule({
    imports: [InfrastructureModule.forRoot(environment.config), TrackingModule],
  }).compile();
  await module.init();
  return module;
};
