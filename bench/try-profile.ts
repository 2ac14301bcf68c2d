import { CommandBus } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { IngestSnapshotsCommand } from '@app/tracking';
import { createTestEnvironment } from '../test/support/test-environment.js';
import { createBenchContext } from './lib/bench-context.js';
import { generateStudy } from './lib/study-generator.js';

const environment = await createTestEnvironment({ logLevel: 'warn' }, { purpose: 'bench' });
const context = await createBenchContext(environment.config);
const database = context.get(Database);
const timings = new Map<string, number>();
const dataSource = database.dataSource;
const original = dataSource.createQueryRunner.bind(dataSource);
dataSource.createQueryRunner = (...args) => {
  const runner = original(...args);
  const query = runner.query.bind(runner);
  runner.query = (async (sql: string, parameters?: unknown[], structured?: boolean) => {
    const started = performance.now();
    try {
      return await query(sql, parameters, structured as true);
    } finally {
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
      timings.set(key, (timings.get(key) ?? 0) + performance.now() - started);
    }
  }) as typeof runner.query;
  return runner;
};
const commands = context.get(CommandBus);
let generation = 0;
const started = performance.now();
for (let first = 0; first < 3000; first += 500) {
  const t = performance.now();
  const contents = Array.from({ length: 500 }, (_, offset) => Buffer.from(JSON.stringify(generateStudy(first + offset))));
  generation += performance.now() - t;
  await commands.execute(new IngestSnapshotsCommand(contents.map((content) => ({ content, mediaType: 'application/json', source: 'bench' }))));
}
const total = performance.now() - started - generation;
console.log('total ms', Math.round(total), 'per second', Math.round(3000 / (total / 1000)));
for (const [key, ms] of [...timings].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(Math.round(ms), key);
await context.close();
await environment.teardown();
process.exit(0);
