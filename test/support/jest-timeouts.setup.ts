import { jest } from '@jest/globals';

// Integration and end-to-end tests start processes and wait on real PostgreSQL and Redis.
jest.setTimeout(Number(process.env.TEST_TIMEOUT_MS ?? 120_000));
