export * from './embedded-mode.js';
export * from './embedded-postgres.js';
export * from './local-services.js';
export * from './ports.js';
export * from './private-redis.js';
