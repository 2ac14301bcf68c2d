import { execFileSync, spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { mergeResults, parseBenchArguments, USAGE } from './lib/arguments.js';
import { round, summarize, type Summary } from './lib/stats.js';

/**
 * Runs every measure several times, each run in a process of its own, and writes bench/RESULTS.md.
 *
 *   npm run bench                       all measures at registry scale (about an hour on 2 cores)
 *   npm run bench -- --quick            the same at a tenth of the sizes (the registry's history at a hundredth), to try the harness
 *   npm run bench -- --only first-load,projections --runs 5
 *   npm run bench -- --render           rewrite RESULTS.md from RESULTS.json (and FINDINGS.md), measuring nothing
 *
 * Results are written after every measure. A measure's figures from the last RESULTS.json stay, each
 * marked with its date, until this run has measured it again at every size it takes (mergeResults): the
 * measures --only does not name keep theirs, and a run cut short keeps both what it measured and the
 * figures of the measures, or sizes, it had not reached.
 */

interface Plan {
  measure: string;
  label: string;
  args: number[];
}

const parsed = parseBenchArguments(process.argv.slice(2));
if ('problem' in parsed) {
  console.error(`[bench] ${parsed.problem}\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}
const { quick, render: renderOnly, runs, only } = parsed;
/** The registry's size in trials, as the registry-history measure replays it in full. */
const REGISTRY_TRIALS = 583_000;
const scale = (value: number) => (quick ? Math.max(1, Math.round(value / 10)) : value);

const allPlans: Plan[] = [
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
  {
    // A p99 needs a few hundred samples: of 60 (a tenth of 600) it is the maximum, the first, cold webhook.
    measure: 'webhook-latency',
    label: `webhook latency, ${quick ? 200 : 600} snapshots at 10/s`,
    args: [quick ? 200 : 600, 10],
  },
  {
    // The target is defined at 1,000 subscriptions; at 100 the figure was mostly the first webhook's latency.
    measure: 'webhook-fan-out-status-change',
    label: 'webhook fan-out of a status change, to 1000 subscriptions',
    args: [1_000],
  },
  {
    measure: 'webhook-fan-out',
    label: "webhook fan-out of a new trial's registration, to 1000 subscriptions",
    args: [1_000],
  },
  {
    // The registry's whole history is hours of replay on 2 cores: --quick takes a hundredth of it.
    measure: 'registry-history',
    label: `registry history, ${quick ? REGISTRY_TRIALS / 100 : REGISTRY_TRIALS} trials x 7.4 versions as history backfills`,
    args: [quick ? REGISTRY_TRIALS / 100 : REGISTRY_TRIALS],
  },
  ...[1, 2, 4].map((workers) => ({
    measure: 'worker-scaling',
    label: `queued ingestion, ${workers} worker process(es), ${scale(4_000)} snapshots`,
    args: [workers, scale(4_000)],
  })),
];
const unknownMeasures = (only ?? []).filter((measure) => !allPlans.some((plan) => plan.measure === measure));
if (unknownMeasures.length > 0) {
  console.error(
    `[bench] no measure named ${unknownMeasures.join(', ')}; the measures: ${[...new Set(allPlans.map((plan) => plan.measure))].join(', ')}`,
  );
  process.exit(2);
}
const plans = renderOnly ? [] : allPlans.filter((plan) => !only || only.includes(plan.measure));

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

/** Every numeric leaf of a result (yes/no as 1/0), by its dotted path. */
const leaves = (value: unknown, path = ''): [string, number][] => {
  if (typeof value === 'number') return [[path, value]];
  if (typeof value === 'boolean') return [[path, value ? 1 : 0]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
  return [];
};

interface Recorded {
  plan: Plan;
  runs: unknown[];
  measuredAt: string;
  commit: string;
  /** Why the measure stopped early, if it did. */
  error?: string;
  /** The machine's 1-minute load average as each run started: how much else was running. */
  loadAverages?: number[];
  /** The processor it ran on: results written on different machines of the same size can share the file. */
  cpu?: string;
}

interface Measured extends Recorded {
  figures: Map<string, Summary>;
}

const withFigures = (recorded: Recorded): Measured => {
  const byPath = new Map<string, number[]>();
  for (const result of recorded.runs)
    for (const [path, value] of leaves(result)) byPath.set(path, [...(byPath.get(path) ?? []), value]);
  return { ...recorded, figures: new Map([...byPath].map(([path, v]) => [path, summarize(v)])) };
};

const measurePlan = async (plan: Plan, commit: string): Promise<Measured> => {
  const recorded: Recorded = {
    plan,
    runs: [],
    measuredAt: new Date().toISOString(),
    commit,
    loadAverages: [],
    cpu: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
  };
  for (let run = 1; run <= runs; run += 1) {
    process.stderr.write(`[bench] ${plan.label}: run ${run}/${runs}\n`);
    recorded.loadAverages!.push(round(loadavg()[0]!, 1));
    const started = Date.now();
    try {
      recorded.runs.push(await runOnce(plan));
    } catch (error) {
      recorded.error = (error as Error).message;
      process.stderr.write(`[bench]   failed: ${recorded.error}\n`);
      break;
    }
    process.stderr.write(`[bench]   ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  return withFigures(recorded);
};

const format = (value: number): string =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(round(value, 2));

const currentCommit = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

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
  return [
    `- Written ${new Date().toISOString()} at commit ${currentCommit()}; each measure below says when and at which commit it ran`,
    `- Written on: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM (each measure names the processor it ran on)`,
    `- Node.js ${process.version}, PostgreSQL ${postgres}, Redis ${redisVersion}`,
    `- bullmq ${packageVersion('bullmq')}, typeorm ${packageVersion('typeorm')}, pg ${packageVersion('pg')}, @event-driven-io/emmett-postgresql ${emmett}`,
    // Measures run with and without --quick can share the file: each heading gives its measure's sizes.
    "- Each measure's heading gives its sizes (with --quick a tenth of the full ones, the registry's history a hundredth) and its section the number of runs; each figure is the median, with min and max",
  ];
};

interface Target {
  what: string;
  goal: string;
  /** The measure's label (its start) whose failure fails this target, whatever figures it left. */
  label: string;
  /** The measured figure and whether it meets the goal (null: compared, no goal); null when the measure was not run. */
  check: (
    find: (label: string, path: string) => Summary | undefined,
  ) => { value: string; met: boolean | null; short?: string } | null;
}

/** How far a missed figure is from its goal, in words. */
const shortOf = (value: number, goal: number, higherIsBetter: boolean): string =>
  higherIsBetter
    ? `${Math.round((1 - value / goal) * 100)} % below the goal`
    : `${round(value / goal, 1)} times the goal`;

/** A figure with a goal: at least (or, with `higherIsBetter` false, below) `goal`. */
const atLeast = (
  what: string,
  goal: string,
  label: string,
  path: string,
  threshold: number,
  describe: (value: number) => string,
  higherIsBetter = true,
): Target => ({
  what,
  goal,
  label,
  check: (find) => {
    const figure = find(label, path);
    if (!figure) return null;
    return {
      value: describe(figure.median),
      met: higherIsBetter ? figure.median >= threshold : figure.median < threshold,
      short: shortOf(figure.median, threshold, higherIsBetter),
    };
  },
});

/**
 * The registry's history; a replay of less than the whole registry (`--quick`, or stopped early by
 * disk or time) says how much of the history its figure covers.
 */
const replayedHistory = (): Target => {
  const rate = atLeast(
    'registry history replayed as backfills',
    '>= 1,500 versions/s',
    'registry history',
    'versionsPerSecond',
    1500,
    (value) => `${format(value)} versions/s`,
  );
  return {
    ...rate,
    check: (find) => {
      const result = rate.check(find);
      if (!result) return result;
      const replayed = find('registry history', 'replayedPercent');
      const trials = find('registry history', 'trials');
      const notes = [
        ...(trials && trials.max < REGISTRY_TRIALS
          ? [
              `at ${format(trials.max)} of the registry's ${format(REGISTRY_TRIALS)} trials; the whole: bench/FINDINGS.md`,
            ]
          : []),
        ...(replayed && replayed.min < 100
          ? [`over ${round(replayed.min, 1)} % of the trials asked for: the replay stopped early`]
          : []),
      ];
      return notes.length === 0 ? result : { ...result, value: `${result.value} (${notes.join('; ')})` };
    },
  };
};

/** trialwatch against Emmett on one kind of append; the ratio is taken within each run, its median shown. */
const emmettRatio = (what: string, kind: 'single' | 'singleSmall' | 'multi', goal: number | null): Target => ({
  what,
  goal: goal === null ? 'compared, no goal' : `>= ${goal}x`,
  label: 'appends',
  check: (find) => {
    const ratio = find('appends', `${kind}.ratio`);
    const ours = find('appends', `${kind}.trialwatchPerSecond`);
    const emmett = find('appends', `${kind}.emmettPerSecond`);
    if (!ratio || !ours || !emmett) return null;
    return {
      value: `${round(ratio.median, 1)}x (${format(ours.median)} vs ${format(emmett.median)} events/s)`,
      met: goal === null ? null : ratio.median >= goal,
      short: goal === null ? undefined : shortOf(ratio.median, goal, true),
    };
  },
});

const HISTORY_PATHS = [
  'GET /trials/:nctId/status-history',
  'GET /trials/:nctId/history',
  'GET /trials/:nctId?asOf=',
] as const;

/** The worst p99 over the history queries, at the client or as the api's own histogram saw it. */
const historyP99 = (what: string, prefix: 'latencyMs' | 'serverMs'): Target => ({
  what,
  goal: '< 3 ms',
  label: 'history queries',
  check: (find) => {
    const figures = HISTORY_PATHS.map((path) => find('history queries', `${prefix}.${path}.p99`));
    if (figures.some((figure) => !figure)) return null;
    const worst = Math.max(...figures.map((figure) => figure!.median));
    const bare = prefix === 'latencyMs' ? find('history queries', 'bareHttpMs.p99') : undefined;
    const notFound = prefix === 'latencyMs' ? find('history queries', 'apiNotFoundMs.p99') : undefined;
    const fetched = HISTORY_PATHS.map((path) => find('history queries', `inProcessFetchMs.${path}.p99`));
    const floors = [
      ...(notFound ? [`the api answering 404 without the database: ${round(notFound.median, 2)} ms`] : []),
      ...(bare ? [`a bare Node.js HTTP server, same client and body size: ${round(bare.median, 2)} ms`] : []),
      ...(prefix === 'latencyMs' && fetched.every(Boolean)
        ? [
            `sent with fetch from the benchmark's own process instead: ${round(Math.max(...fetched.map((f) => f!.median)), 2)} ms`,
          ]
        : []),
    ];
    const floor = floors.length > 0 ? ` (${floors.join('; ')})` : '';
    return { value: `${round(worst, 2)} ms${floor}`, met: worst < 3, short: shortOf(worst, 3, false) };
  },
});

/**
 * One change fanned out to 1,000 subscriptions, judged on a worker already delivering (the median of the
 * changes after the first), with the first change after the worker started beside it.
 */
const fanOut = (change: string, label: string): Target => ({
  what: `fan-out: one ${change} to 1,000 subscriptions, accepted -> last delivery, worker already delivering`,
  goal: '>= 2,000 deliveries/s',
  label,
  check: (find) => {
    const warm = find(label, 'deliveriesPerSecond');
    const cold = find(label, 'cold.deliveriesPerSecond');
    if (!warm || !cold) return null;
    return {
      value: `${format(warm.median)} deliveries/s (the first change after the worker started: ${format(cold.median)}/s)`,
      met: warm.median >= 2000,
      short: shortOf(warm.median, 2000, true),
    };
  },
});

const targets: Target[] = [
  atLeast(
    'first load, end to end',
    '>= 1,500 snapshots/s',
    'first load',
    'endToEndPerSecond',
    1500,
    (value) => `${format(value)} snapshots/s`,
  ),
  emmettRatio('single-event appends vs Emmett single-event appends (registrations, 8 appenders)', 'single', 3),
  emmettRatio(
    'single-event appends vs Emmett single-event appends (small change events, 8 appenders)',
    'singleSmall',
    3,
  ),
  emmettRatio('multi-event appends (10 events, one stream) vs Emmett multi-event appends', 'multi', null),
  {
    what: 'bulk appends vs COPY of the same rows (500 per transaction, 2 connections)',
    goal: '>= 50 % of COPY',
    label: 'appends',
    check: (find) => {
      const share = find('appends', 'bulk.percentOfCopy');
      const ours = find('appends', 'bulk.trialwatchPerSecond');
      const copy = find('appends', 'bulk.copyPerSecond');
      const insert = find('appends', 'bulk.insertPerSecond');
      if (!share || !ours || !copy || !insert) return null;
      return {
        value:
          `${round(share.median, 1)} % (${format(ours.median)} vs COPY ${format(copy.median)} rows/s; ` +
          `multi-row INSERT ${format(insert.median)} rows/s)`,
        met: share.median >= 50,
        short: shortOf(share.median, 50, true),
      };
    },
  },
  {
    what: 'projections rebuilt (as `projections rebuild` does), slowest of the five',
    goal: '>= 20,000 events/s',
    label: 'projections',
    check: (find) => {
      const names = ['current-state', 'field-history', 'status-history', 'change-feed', 'outcome-switches'];
      const figures = names.map((name) => [name, find('projections', `perSecond.${name}`)] as const);
      if (figures.some(([, figure]) => !figure)) return null;
      const [slowest, figure] = figures.reduce((a, b) => (b[1]!.median < a[1]!.median ? b : a));
      return {
        value: `${format(figure!.median)} events/s (${slowest})`,
        met: figure!.median >= 20_000,
        short: shortOf(figure!.median, 20_000, true),
      };
    },
  },
  historyP99('history queries, worst p99 at the client', 'latencyMs'),
  historyP99("history queries, worst p99 in the api's request-duration histogram", 'serverMs'),
  atLeast(
    'snapshot accepted -> webhook received, p99 at 10 snapshots/s',
    '< 100 ms',
    'webhook latency',
    'latencyMs.p99',
    100,
    (value) => `${format(value)} ms`,
    false,
  ),
  fanOut('status change', 'webhook fan-out of a status change'),
  fanOut("new trial's registration", "webhook fan-out of a new trial's registration"),
  replayedHistory(),
];

/** Runs of one measure by their arguments, smallest first (sizes come first in every measure's arguments). */
const byArguments = (a: Recorded, b: Recorded): number => {
  for (let index = 0; index < Math.max(a.plan.args.length, b.plan.args.length); index += 1) {
    const difference = (a.plan.args[index] ?? 0) - (b.plan.args[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
};

const render = (measured: Measured[], header: string[]): string => {
  const find = (label: string, path: string): Summary | undefined => {
    // The largest run of a measure decides (the 100k first load, not the 10k one).
    const matching = measured.filter((m) => m.plan.label.startsWith(label));
    return matching.sort(byArguments).at(-1)?.figures.get(path);
  };
  const lines = ['# Benchmark results', '', 'Written by `npm run bench` (see `bench/run.ts`).', '', ...header, ''];
  lines.push('## Targets', '', '| target | goal | measured | met |', '| --- | --- | --- | --- |');
  for (const target of targets) {
    // A measure that stopped early fails its targets: figures from the runs before would look like a result.
    const failed = measured.filter((m) => m.plan.label.startsWith(target.label)).find((m) => m.error);
    if (failed) {
      lines.push(`| ${target.what} | ${target.goal} | failed: ${failed.error!.split('\n')[0]} | **no** |`);
      continue;
    }
    const result = target.check(find);
    if (result)
      lines.push(
        `| ${target.what} | ${target.goal} | ${result.value} | ${result.met === null ? 'n/a' : result.met ? 'yes' : `**no**${result.short ? `, ${result.short}` : ''}`} |`,
      );
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
  const findings = join('bench', 'FINDINGS.md');
  if (existsSync(findings)) lines.push('', readFileSync(findings, 'utf8').trim());
  lines.push('', '## Figures', '');
  for (const { plan, figures, runs: done, measuredAt, commit, error, loadAverages, cpu } of measured) {
    const load = loadAverages?.length
      ? ` Load average (1 min) as each run started: ${loadAverages.join(', ')} on ${cpus().length} cores.`
      : '';
    const machine = cpu ? ` Machine: ${cpu}.` : '';
    lines.push(
      `### ${plan.label}`,
      '',
      `${done.length} run(s), ${measuredAt.slice(0, 16).replace('T', ' ')} UTC, commit ${commit}.${machine}${load}`,
    );
    if (error) lines.push('', `**Stopped early:** ${error.split('\n')[0]}`);
    lines.push('', '| figure | median | min | max |', '| --- | ---: | ---: | ---: |');
    for (const [path, summary] of figures)
      lines.push(`| ${path} | ${format(summary.median)} | ${format(summary.min)} | ${format(summary.max)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
};

const output = parsed.out ?? join('bench', 'RESULTS.md');
const jsonOutput = output.replace(/\.md$/, '.json');
const header = await machine();
const commit = currentCommit();
const previous: Recorded[] = existsSync(jsonOutput) ? (JSON.parse(readFileSync(jsonOutput, 'utf8')) as Recorded[]) : [];
const fresh: Measured[] = [];
const write = () => {
  const stillToRun = new Set(plans.slice(fresh.length).map((plan) => plan.measure));
  const everything = mergeResults(previous.map(withFigures), fresh, stillToRun);
  // In the order of the plan list, whichever invocation measured them (and at whichever size).
  const order = (entry: Recorded) => {
    const index = allPlans.findIndex((plan) => plan.measure === entry.plan.measure);
    return index === -1 ? allPlans.length : index;
  };
  everything.sort((a, b) => order(a) - order(b) || byArguments(a, b));
  writeFileSync(output, render(everything, header));
  writeFileSync(
    jsonOutput,
    JSON.stringify(
      everything.map(({ figures: _figures, ...recorded }) => recorded),
      null,
      1,
    ),
  );
};
for (const plan of plans) {
  fresh.push(await measurePlan(plan, commit));
  write();
}
if (renderOnly) write();
process.stderr.write(`[bench] wrote ${output}\n`);
