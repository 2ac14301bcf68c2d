import { execFileSync, spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { round, summarize, type Summary } from './lib/stats.js';

/**
 * Runs every measure several times, each run in a process of its own, and writes bench/RESULTS.md.
 *
 *   npm run bench                       all measures at registry scale (about an hour on 2 cores)
 *   npm run bench -- --quick            the same at a tenth of the sizes, to try the harness
 *   npm run bench -- --only first-load,projections --runs 5
 */

interface Plan {
  measure: string;
  label: string;
  args: number[];
}

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
};
const quick = argv.includes('--quick');
const runs = Number(option('runs') ?? 3);
const only = option('only')?.split(',');
const scale = (value: number) => (quick ? Math.max(1, Math.round(value / 10)) : value);

const plans: Plan[] = [
  { measure: 'first-load', label: `first load, ${scale(10_000)} studies`, args: [scale(10_000)] },
  { measure: 'first-load', label: `first load, ${scale(100_000)} studies`, args: [scale(100_000)] },
  {
    measure: 'daily-delta',
    label: `daily delta, ${scale(5_000)} changed of ${scale(20_000)}`,
    args: [scale(20_000), scale(5_000)],
  },
  { measure: 'append-throughput', label: `appends, ${scale(20_000)} events`, args: [scale(20_000)] },
  {
    measure: 'projections',
    label: `projections, ${scale(10_000)} studies x 3 versions, then 20 s at 20 snapshots/s`,
    args: [scale(10_000), 20, 20],
  },
  {
    measure: 'history-queries',
    label: `history queries, ${scale(1_000_000)} trials, ${scale(10_000_000)} events`,
    args: [scale(1_000_000), 2_000],
  },
  { measure: 'webhook-latency', label: `webhook latency, ${scale(600)} snapshots at 10/s`, args: [scale(600), 10] },
  ...[1, 2, 4].map((workers) => ({
    measure: 'worker-scaling',
    label: `queued ingestion, ${workers} worker process(es), ${scale(4_000)} snapshots`,
    args: [workers, scale(4_000)],
  })),
].filter((plan) => !only || only.includes(plan.measure));

const runOnce = (plan: Plan): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=4096', join('dist', 'bench', 'measure.js'), plan.measure, ...plan.args.map(String)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${plan.measure} exited with ${code}: ${stdout.slice(-2000)}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${plan.measure} printed no result: ${stdout.slice(-2000)}`));
      }
    });
  });

/** Every numeric leaf of a result, by its dotted path. */
const leaves = (value: unknown, path = ''): [string, number][] => {
  if (typeof value === 'number') return [[path, value]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
  return [];
};

interface Measured {
  plan: Plan;
  runs: unknown[];
  figures: Map<string, Summary>;
}

const measureAll = async (): Promise<Measured[]> => {
  const measured: Measured[] = [];
  for (const plan of plans) {
    const results: unknown[] = [];
    for (let run = 1; run <= runs; run += 1) {
      process.stderr.write(`[bench] ${plan.label}: run ${run}/${runs}\n`);
      const started = Date.now();
      results.push(await runOnce(plan));
      process.stderr.write(`[bench]   ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
    const byPath = new Map<string, number[]>();
    for (const result of results)
      for (const [path, value] of leaves(result)) byPath.set(path, [...(byPath.get(path) ?? []), value]);
    measured.push({ plan, runs: results, figures: new Map([...byPath].map(([path, v]) => [path, summarize(v)])) });
  }
  return measured;
};

const format = (value: number): string =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(round(value, 2));

const machine = async (): Promise<string[]> => {
  const server = new pg.Client({
    connectionString: process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await server.connect();
  const [{ server_version: postgres }] = (await server.query('SHOW server_version')).rows;
  await server.end();
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  redis.disconnect();
  const packageVersion = (name: string): string =>
    (JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  let emmett = 'not installed';
  try {
    emmett = (
      JSON.parse(
        readFileSync(
          join('bench', 'emmett', 'node_modules', '@event-driven-io', 'emmett-postgresql', 'package.json'),
          'utf8',
        ),
      ) as { version: string }
    ).version;
  } catch {
    // reported as not installed
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return [
    `- Date: ${new Date().toISOString()}; commit ${commit}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- Node.js ${process.version}, PostgreSQL ${postgres}, Redis ${redisVersion}`,
    `- bullmq ${packageVersion('bullmq')}, typeorm ${packageVersion('typeorm')}, pg ${packageVersion('pg')}, @event-driven-io/emmett-postgresql ${emmett}`,
    `- ${runs} runs per measure${quick ? ', quick sizes (a tenth of the full ones)' : ''}; each figure is the median, with min and max`,
  ];
};

interface Target {
  what: string;
  goal: string;
  /** The measured figure and whether it meets the goal; null when the measure was not run. */
  check: (find: (label: string, path: string) => Summary | undefined) => { value: string; met: boolean } | null;
}

const targets: Target[] = [
  {
    what: 'first load, end to end',
    goal: '>= 1,000 snapshots/s',
    check: (find) => {
      const figure = find('first load', 'endToEndPerSecond');
      return figure ? { value: `${format(figure.median)} snapshots/s`, met: figure.median >= 1000 } : null;
    },
  },
  {
    what: 'appends vs Emmett (batched, the bulk path)',
    goal: '>= 3x',
    check: (find) => {
      const ours = find('appends', 'batchedPerSecond');
      const emmett = find('appends', 'emmettPerSecond');
      if (!ours || !emmett) return null;
      const ratio = ours.median / emmett.median;
      return {
        value: `${round(ratio, 1)}x (${format(ours.median)} vs ${format(emmett.median)} events/s)`,
        met: ratio >= 3,
      };
    },
  },
  {
    what: 'appends vs Emmett (one event per append, 8 appenders)',
    goal: '>= 3x',
    check: (find) => {
      const ours = find('appends', 'singlePerSecond');
      const emmett = find('appends', 'emmettPerSecond');
      if (!ours || !emmett) return null;
      const ratio = ours.median / emmett.median;
      return {
        value: `${round(ratio, 1)}x (${format(ours.median)} vs ${format(emmett.median)} events/s)`,
        met: ratio >= 3,
      };
    },
  },
  {
    what: 'projections, slowest of the four',
    goal: '>= 20,000 events/s',
    check: (find) => {
      const names = ['current-state', 'field-history', 'status-history', 'change-feed'];
      const figures = names.map((name) => [name, find('projections', `perSecond.${name}`)] as const);
      if (figures.some(([, figure]) => !figure)) return null;
      const [slowest, figure] = figures.reduce((a, b) => (b[1]!.median < a[1]!.median ? b : a));
      return { value: `${format(figure!.median)} events/s (${slowest})`, met: figure!.median >= 20_000 };
    },
  },
  {
    what: 'history queries, worst p99',
    goal: '< 5 ms',
    check: (find) => {
      const paths = [
        'latencyMs.GET /trials/:nctId/status-history.p99',
        'latencyMs.GET /trials/:nctId/history.p99',
        'latencyMs.GET /trials/:nctId?asOf=.p99',
      ];
      const figures = paths.map((path) => find('history queries', path));
      if (figures.some((figure) => !figure)) return null;
      const worst = Math.max(...figures.map((figure) => figure!.median));
      return { value: `${round(worst, 2)} ms`, met: worst < 5 };
    },
  },
  {
    what: 'snapshot accepted -> webhook received, p99',
    goal: '< 1 s',
    check: (find) => {
      const figure = find('webhook latency', 'latencyMs.p99');
      return figure ? { value: `${format(figure.median)} ms`, met: figure.median < 1000 } : null;
    },
  },
];

const render = (measured: Measured[], header: string[]): string => {
  const find = (label: string, path: string): Summary | undefined => {
    // The largest run of a measure decides (the 100k first load, not the 10k one).
    const matching = measured.filter((m) => m.plan.label.startsWith(label));
    return matching.at(-1)?.figures.get(path);
  };
  const lines = ['# Benchmark results', '', 'Written by `npm run bench` (see `bench/run.ts`).', '', ...header, ''];
  lines.push('## Targets', '', '| target | goal | measured | met |', '| --- | --- | --- | --- |');
  for (const target of targets) {
    const result = target.check(find);
    if (result) lines.push(`| ${target.what} | ${target.goal} | ${result.value} | ${result.met ? 'yes' : '**no**'} |`);
  }
  const firstLoad = find('first load', 'endToEndPerSecond');
  if (firstLoad) {
    const minutes = (perSecond: number) => format(580_000 / perSecond / 60);
    lines.push(
      '',
      `Extrapolated first load of the whole registry (580,000 studies) at the largest run's rate: ` +
        `${minutes(firstLoad.median)} min (${minutes(firstLoad.max)} to ${minutes(firstLoad.min)} min over the runs).`,
    );
  }
  lines.push('', '## Figures', '');
  for (const { plan, figures } of measured) {
    lines.push(`### ${plan.label}`, '', '| figure | median | min | max |', '| --- | ---: | ---: | ---: |');
    for (const [path, summary] of figures)
      lines.push(`| ${path} | ${format(summary.median)} | ${format(summary.min)} | ${format(summary.max)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
};

const header = await machine();
const measured = await measureAll();
const output = option('out') ?? join('bench', 'RESULTS.md');
writeFileSync(output, render(measured, header));
writeFileSync(
  output.replace(/\.md$/, '.json'),
  JSON.stringify(
    measured.map(({ plan, runs }) => ({ plan, runs })),
    null,
    1,
  ),
);
process.stderr.write(`[bench] wrote ${output}\n`);
