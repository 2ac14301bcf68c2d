import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LocalServices } from '../../libs/infrastructure/src/local-services/index.js';

/** What this jest process started, for local-services.global-teardown.ts (globals set here reach it, not the tests). */
const startedServices = (): LocalServices[] => {
  const holder = globalThis as { trialwatchLocalServices?: LocalServices[] };
  holder.trialwatchLocalServices ??= [];
  return holder.trialwatchLocalServices;
};

const libs = new URL('../../libs/', pathToFileURL(__filename));

/**
 * Jest loads a global setup with Node's own resolver, without the project's moduleNameMapper: TypeScript's `.js`
 * import paths and the `@app/*` aliases are resolved here as jest.config.js maps them for the tests.
 */
const resolveLikeTheTests = () =>
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const alias = /^@app\/([a-z-]+)$/.exec(specifier);
      if (alias) return nextResolve(fileURLToPath(new URL(`${alias[1]}/src/index.ts`, libs)), context);
      if (/^\.{1,2}\/.*\.js$/.test(specifier) && context.parentURL?.endsWith('.ts')) {
        const typescript = fileURLToPath(new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL));
        if (existsSync(typescript)) return nextResolve(typescript, context);
      }
      return nextResolve(specifier, context);
    },
  });

/**
 * The integration and end-to-end suites need PostgreSQL and Redis: TEST_DATABASE_SERVER_URL and TEST_REDIS_URL when
 * set, else the machine's on their default ports, else (or with TRIALWATCH_EMBEDDED=always) an embedded PostgreSQL
 * and a private Redis started here. The URLs are exported for test/support/test-environment.ts and the apps the
 * tests start. The fault suite does not use this: it restarts the machine's services.
 */
export default async function startTestServices(): Promise<void> {
  if (startedServices().length > 0) return; // another project of this run found them already
  const hooks = resolveLikeTheTests();
  try {
    const { startLocalServices } = await import('../../libs/infrastructure/src/local-services/index.js');
    const services = await startLocalServices({
      databaseUrl: process.env.TEST_DATABASE_SERVER_URL || undefined,
      databaseVariable: 'TEST_DATABASE_SERVER_URL',
      databaseName: 'postgres',
      redisUrl: process.env.TEST_REDIS_URL || undefined,
      redisVariable: 'TEST_REDIS_URL',
      log: (line) => console.log(line),
    });
    process.env.TEST_DATABASE_SERVER_URL = services.databaseUrl;
    process.env.TEST_REDIS_URL = services.redisUrl;
    startedServices().push(services);
  } finally {
    hooks.deregister();
  }
}
