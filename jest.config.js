const swcTransform = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2023',
      keepClassNames: true,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    module: { type: 'es6' },
  },
];

const shared = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swcTransform },
  moduleNameMapper: {
    '^@app/tracking/([a-z-]+)$': '<rootDir>/libs/tracking/src/$1/index.ts',
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

// The int and e2e suites find or start PostgreSQL and Redis (TRIALWATCH_EMBEDDED); the fault suite restarts the
// machine's own, so it uses those.
const localServices = {
  globalSetup: '<rootDir>/test/support/local-services.global-setup.ts',
  globalTeardown: '<rootDir>/test/support/local-services.global-teardown.ts',
};

// Each fault scenario has a database of its own (and its Redis keys), so the scenarios run side by side. These run
// alone, after the others: two restart or flush the machine's PostgreSQL and Redis themselves, and three workers with
// an api hold about 60 connections, which beside another scenario's came within 5 of PostgreSQL's default 100.
const faultsThatRunAlone = [
  'test/faults/postgres.fault-spec.ts',
  'test/faults/redis.fault-spec.ts',
  'test/faults/three-workers.fault-spec.ts',
];

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts', '<rootDir>/bench/lib/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      ...localServices,
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeouts.setup.ts'],
    },
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      testPathIgnorePatterns: faultsThatRunAlone,
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeouts.setup.ts'],
    },
    {
      ...shared,
      displayName: 'faults-alone',
      testMatch: faultsThatRunAlone.map((file) => `<rootDir>/${file}`),
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeouts.setup.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      ...localServices,
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeouts.setup.ts'],
    },
  ],
};
