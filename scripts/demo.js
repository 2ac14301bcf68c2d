#!/usr/bin/env node
// Finds or starts PostgreSQL and Redis, starts the api and the worker, ingests the sample fixtures, prints what
// changed, keeps running. With --smoke: checks what it printed, stops everything and exits 0 (all checks passed) or 1.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { clearTimeout } from 'node:timers';

const root = fileURLToPath(new URL('..', import.meta.url));
const smoke = process.argv.includes('--smoke');
const { answers, startLocalServices, freeLoopbackPort } = await import(
  join(root, 'dist/libs/infrastructure/src/local-services/index.js')
);

// Oldest first, as a registry would have published them; then the other formats.
const samples = [
  'test/fixtures/ctgov-legacy-xml/NCT00513591.2016-06-29.xml',
  'test/fixtures/ctgov-legacy-xml/NCT00513591.2018-05-11.xml',
  'test/fixtures/ctgov-api-v2/NCT00973089.json',
  'test/fixtures/ctgov-api-v2/NCT02210780.json',
  'test/fixtures/ctgov-api-v2/NCT06171568.json',
  'test/fixtures/registry-pages/000_9a6c380331072caa.txt',
  'test/fixtures/registry-pages/001_62d3a4c51b163d2a.txt',
  'test/fixtures/registry-pages/002_d185bd8e963bc08b.txt',
  'test/fixtures/registry-pages/003_3bc531e48d6f61f9.txt',
  'test/fixtures/registry-pages-html/004_e3c06c917fab1162.html',
];

const children = [];
let services;
let stopping = false;
const forced = [];

/** Stops the api and the worker, then the services started for them (what Ctrl-C does). */
const shutDown = async () => {
  stopping = true;
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map(
        (child) =>
          new Promise((resolve) => {
            const force = setTimeout(() => {
              forced.push(child.name);
              child.kill('SIGKILL');
            }, 15_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
  );
  if (services?.postgres?.startedHere || services?.redis) {
    console.log('Stopping the local services started for the demo ...');
    await services.stop();
  }
};
const stop = async (code = 0) => {
  if (stopping) return;
  await shutDown();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// However the demo ends, the api and the worker end with it.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});
process.on('uncaughtException', (error) => {
  console.error(error);
  void stop(1);
});
process.on('unhandledRejection', (error) => {
  console.error(error);
  void stop(1);
});

try {
  services = await startLocalServices({
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    projectDir: root,
  });
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

const port = process.env.PORT ?? String(smoke ? await freeLoopbackPort() : 3000);
const baseUrl = process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  PORT: port,
  PUBLIC_BASE_URL: baseUrl,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  // A smoke run shares the machine with whatever else runs: no fixed metrics port.
  ...(smoke ? { WORKER_METRICS_PORT: process.env.WORKER_METRICS_PORT ?? '0' } : {}),
};

/** Runs a trialwatch CLI command, printing its output; stops the demo when it fails. */
const run = async (args) => {
  const child = spawn(process.execPath, [join(root, 'bin/trialwatch.js'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  const code = await new Promise((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
  if (code !== 0) {
    console.error(`trialwatch ${args.join(' ')} failed (exit ${code}); stopping the demo`);
    await stop(code);
  }
  return output;
};

const start = (name, script) => {
  const child = spawn(process.execPath, [join(root, script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the demo`);
      void stop(1);
    }
  });
  child.name = name;
  children.push(child);
};

const waitForApi = async () => {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`the api did not answer at ${baseUrl}/health`);
  await stop(1);
};

const getJson = async (path) => (await fetch(`${baseUrl}${path}`)).json();

// What --smoke checks; a plain demo run prints the same things without judging them.
const checks = [];
const check = (name, passed, detail = '') => checks.push({ name, passed: Boolean(passed), detail });

await run(['migrate']);
start('api', 'dist/apps/api/src/main.js');
start('worker', 'dist/apps/worker/src/main.js');
await waitForApi();

console.log(`\nIngesting ${samples.length} sample snapshots through POST /snapshots ...`);
const outcomes = [];
for (const sample of samples) {
  const response = await fetch(`${baseUrl}/snapshots?wait=true&source=demo`, {
    method: 'POST',
    body: await readFile(join(root, sample)),
  });
  const outcome = await response.json();
  outcomes.push({ sample, httpStatus: response.status, status: outcome.status, error: outcome.error });
  const events = (outcome.results ?? []).flatMap((trial) => trial.events.map((event) => event.type));
  console.log(`  ${sample.split('/').pop().padEnd(34)} ${String(outcome.status).padEnd(9)} ${events.join(', ')}`);
}
// A second run on the same data finds the snapshots known already: unchanged is an outcome too.
const finished = outcomes.filter((outcome) => ['appended', 'learned', 'unchanged', 'stale'].includes(outcome.status));
check(
  'every sample snapshot was ingested',
  finished.length === samples.length,
  outcomes
    .filter((outcome) => !finished.includes(outcome))
    .map((outcome) => `${outcome.sample}: HTTP ${outcome.httpStatus} ${outcome.status} ${outcome.error?.code ?? ''}`)
    .join('; '),
);

// Wait until the read models have caught up with what was just appended.
let lag = Infinity;
for (let attempt = 0; attempt < 150 && lag > 0; attempt += 1) {
  const health = await getJson('/health');
  lag = Object.values(health.details?.projections?.lag ?? {}).reduce((sum, projection) => sum + projection.events, 0);
  if (lag > 0) await new Promise((resolve) => setTimeout(resolve, 200));
}
check('the read models caught up with the event store', lag === 0, `lag ${lag} events`);

console.log('\nWhat changed in NCT00513591 between its 2016 and 2018 records (GET /trials/NCT00513591/history):');
const history = await getJson('/trials/NCT00513591/history?order=oldest');
for (const change of history.changes ?? []) {
  console.log(
    change.learned
      ? `  ${change.occurredAt.slice(0, 10)}  ${change.field.padEnd(22)} ${JSON.stringify(change.to)} (learned: the 2016 record did not show it)`
      : `  ${change.occurredAt.slice(0, 10)}  ${change.field.padEnd(22)} ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`,
  );
}
const enrollment = (history.changes ?? []).find((change) => change.field === 'enrollment');
check(
  "NCT00513591's history shows its enrollment going from 500 to 1000 between the two records",
  enrollment?.from?.count === 500 && enrollment?.to?.count === 1000,
  JSON.stringify(enrollment ?? null),
);

console.log('\nIts status history (trialwatch history NCT00513591):');
const statusHistory = await run(['history', 'NCT00513591']);
check(
  'the CLI prints its status history',
  /current status RECRUITING/.test(statusHistory) && /^RECRUITING\s+2016-06-14/m.test(statusHistory),
  statusHistory,
);

if (smoke) {
  const trials = await getJson('/trials?limit=100');
  const listed = new Set((trials.trials ?? []).map((trial) => trial.nctId));
  const expected = ['NCT00513591', 'NCT00973089', 'NCT02210780', 'NCT06171568'];
  check(
    'GET /trials lists the sample trials',
    expected.every((nctId) => listed.has(nctId)),
    `missing ${expected.filter((nctId) => !listed.has(nctId)).join(', ')}`,
  );
  // The same shutdown as Ctrl-C: afterwards nothing the demo started still answers.
  const started = [
    ['api', Number(port)],
    ...(services.postgres?.startedHere ? [['embedded PostgreSQL', services.postgres.port]] : []),
    ...(services.redis ? [['private Redis', services.redis.port]] : []),
  ];
  await shutDown();
  const stillAnswering = [];
  for (const [name, servicePort] of started) if (await answers('127.0.0.1', servicePort)) stillAnswering.push(name);
  check(
    `shutting down stops the worker and ${started.map(([name]) => name).join(', ')}`,
    stillAnswering.length === 0 && forced.length === 0,
    `still answering: ${stillAnswering.join(', ') || 'none'}; killed after 15 s: ${forced.join(', ') || 'none'}`,
  );
  const failed = checks.filter((result) => !result.passed);
  console.log('\nSmoke checks:');
  for (const result of checks) {
    console.log(`  ${result.passed ? 'ok  ' : 'FAIL'} ${result.name}${result.passed ? '' : `: ${result.detail}`}`);
  }
  console.log(`smoke: ${checks.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 ? 0 : 1);
} else {
  console.log(`
trialwatch is running:
  API and OpenAPI docs  ${baseUrl}/docs
  trials                ${baseUrl}/trials
  status history        ${baseUrl}/trials/NCT00513591/status-history
  change feed           ${baseUrl}/changes
  health                ${baseUrl}/health
Press Ctrl-C to stop.`);
}
