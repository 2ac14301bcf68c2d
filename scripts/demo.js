#!/usr/bin/env node
// Starts the api and the worker, ingests the sample fixtures, prints what changed, keeps running.
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = process.env.PORT ?? '3000';
const baseUrl = process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`;
const env = { ...process.env, PORT: port, PUBLIC_BASE_URL: baseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };

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

const run = (args) => {
  const result = spawnSync(process.execPath, [join(root, 'bin/trialwatch.js'), ...args], { env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const children = [];
const start = (name, script) => {
  const child = spawn(process.execPath, [join(root, script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the demo`);
      stop(1);
    }
  });
  children.push(child);
};

let stopping = false;
const stop = (code = 0) => {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const waitForApi = async () => {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the api did not answer at ${baseUrl}/health`);
};

const getJson = async (path) => (await fetch(`${baseUrl}${path}`)).json();

run(['migrate']);
start('api', 'dist/apps/api/src/main.js');
start('worker', 'dist/apps/worker/src/main.js');
await waitForApi();

console.log(`\nIngesting ${samples.length} sample snapshots through POST /snapshots ...`);
for (const sample of samples) {
  const response = await fetch(`${baseUrl}/snapshots?wait=true&source=demo`, {
    method: 'POST',
    body: await readFile(join(root, sample)),
  });
  const outcome = await response.json();
  const events = (outcome.results ?? []).flatMap((trial) => trial.events.map((event) => event.type));
  console.log(`  ${sample.split('/').pop().padEnd(34)} ${String(outcome.status).padEnd(9)} ${events.join(', ')}`);
}

// Wait until the read models have caught up with what was just appended.
for (let attempt = 0; attempt < 100; attempt += 1) {
  const health = await getJson('/health');
  const lag = Object.values(health.details?.projections?.lag ?? {}).reduce(
    (sum, projection) => sum + projection.events,
    0,
  );
  if (lag === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

console.log('\nWhat changed in NCT00513591 between its 2016 and 2018 records (GET /trials/NCT00513591/history):');
const history = await getJson('/trials/NCT00513591/history?order=oldest');
for (const change of history.changes) {
  console.log(
    change.learned
      ? `  ${change.occurredAt.slice(0, 10)}  ${change.field.padEnd(22)} ${JSON.stringify(change.to)} (learned: the 2016 record did not show it)`
      : `  ${change.occurredAt.slice(0, 10)}  ${change.field.padEnd(22)} ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`,
  );
}
console.log('\nIts status history (trialwatch history NCT00513591):');
run(['history', 'NCT00513591']);

console.log(`
trialwatch is running:
  API and OpenAPI docs  ${baseUrl}/docs
  trials                ${baseUrl}/trials
  status history        ${baseUrl}/trials/NCT00513591/status-history
  change feed           ${baseUrl}/changes
  health                ${baseUrl}/health
Press Ctrl-C to stop.`);
