import { Test, type TestingModule } from '@nestjs/testing';
import { type AppConfig, InfrastructureModule } from '@app/infrastructure';
import { createTestEnvironment, type TestEnvironment } from './test-environment.js';

export interface StartedInfrastructure {
  environment: TestEnvironment;
  /** The infrastructure module alone, started: its database created and migrated. */
  module: TestingModule;
  /** Closes the module, then drops the database and the Redis keys. */
  stop(): Promise<void>;
}

/** The infrastructure on a fresh test environment, for a describe block's `beforeAll` (and `stop` in `afterAll`). */
export const startInfrastructure = async (overrides: Partial<AppConfig> = {}): Promise<StartedInfrastructure> => {
  const environment = await createTestEnvironment(overrides);
  try {
    const module = await Test.createTestingModule({
      imports: [InfrastructureModule.forRoot(environment.config)],
    }).compile();
    await module.init();
    return {
      environment,
      module,
      stop: async () => {
        await module.close();
        await environment.teardown();
      },
    };
  } catch (error) {
    await environment.teardown();
    throw error;
  }
};
