import { statfs } from 'node:fs/promises';
import { CommandBus } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { IngestSnapshotsCommand } from '@app/tracking/ingestion';
import { BenchEnvironment } from '../lib/environment.js';
import { ownPeakRssMiB, peakRssMiB } from '../lib/process-memory.js';
import { waitForProjections } from '../lib/projections-caught-up.js';
import { Random } from '../lib/random.js';
import { changeStudy, editOutcomes, generateStudy } from '../lib/study-generator.js';

export interface RegistryHistoryRun {
  /** Trials replayed: all of those asked for, unless the disk ran low or the time ran out first. */
  trials: number;
  /** Trials replayed as a share of those asked for, in per cent: 100 unless the replay stopped early. */
  replayedPercent: number;
  /** Why the replay stopped before the last trial asked for; null when it did not. */
  stoppedEarly: string | null;
  versions: number;
  versionsPerTrial: number;
  megabytes: number;
  /** Versions per second from the first backfill until every read model has caught up (generation excluded). */
  versionsPerSecond: number;
  /** Versions per second of parse, decide and append alone. */
  ingestPerSecond: number;
  /** The same over each tenth of the trials asked for, in order: whether the rate holds as the store grows. */
  ingestPerSecondByTenth: number[];
  /** Bytes on disk per version (tables with their indexes and TOAST), by what they hold. */
  bytesPerVersion: { rawContent: number; events: number; readModels: number; other: number };
  peakRssMiB: { ingesting: number; worker: number | null };
}

/** The registry's shape: about 583,000 trials with about 4.3 million versions in all, 7.4 per trial. */
const MEAN_VERSIONS = 7.4;
/** Documents per bulk command: whole trials, each one's versions oldest first, as a backfill sends them. */
const DOCUMENTS_PER_COMMAND = 500;
/** About what a version takes on disk (raw content, events and read models; bench/FINDINGS.md), to warn before starting. */
const BYTES_PER_VERSION = 7_500;
const GIB = 1024 ** 3;

/**
 * The free disk under which the replay stops (BENCH_MIN_FREE_DISK_GIB, 5 by default): the whole
 * history takes about 32 GB, and PostgreSQL stops when its disk is full.
 */
const minimumFreeBytes = (): number => {
  const value = Number(process.env.BENCH_MIN_FREE_DISK_GIB ?? 5);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(
      `BENCH_MIN_FREE_DISK_GIB must be a number of GiB, 0 or more; got "${process.env.BENCH_MIN_FREE_DISK_GIB}"`,
    );
  return value * GIB;
};

/** Free bytes on the disk holding PostgreSQL's data, or null when that is not readable from here (a server elsewhere). */
const databaseDiskFree = async (database: Database): Promise<(() => Promise<number>) | null> => {
  try {
    const [row] = await database.query<{ data_directory: string }>('SHOW data_directory');
    const free = async () => {
      const disk = await statfs(row!.data_directory);
      return disk.bavail * disk.bsize;
    };
    await free();
    return free;
  } catch {
    return null;
  }
};

/**
 * The minutes after which the replay stops (BENCH_MAX_REPLAY_MINUTES; no limit by default): the
 * whole history takes hours on a small machine, and a replay stopped early still reports its figures.
 */
const replayDeadlineMs = (): number => {
  const raw = process.env.BENCH_MAX_REPLAY_MINUTES;
  if (raw === undefined || raw === '') return Infinity;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`BENCH_MAX_REPLAY_MINUTES must be a number of minutes above 0; got "${raw}"`);
  return value * 60_000;
};

const gib = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GiB`;

type Study = ReturnType<typeof generateStudy>;

/**
 * One trial's versions, oldest first, each with its registry date: the registration, then changes a
 * few weeks to months apart (status moves, enrollment updates, date slips and site changes as the
 * other measures make them, and outcome edits), 7.4 versions per trial on average (1 to 14).
 */
const trialHistory = (index: number): { document: Study; date: string }[] => {
  const random = new Random(104_729 * index + 17);
  const count = 1 + Math.floor(random.next() * (2 * MEAN_VERSIONS - 1));
  let study = generateStudy(index);
  const versions = [{ document: study, date: study.protocolSection.statusModule.lastUpdateSubmitDate as string }];
  let day = random.int(0, 400);
  for (let version = 1; version < count; version += 1) {
    day += random.int(20, 200);
    study = random.next() < 0.2 ? editOutcomes(study, random) : study;
    study = changeStudy(study, random, day);
    versions.push({ document: study, date: study.protocolSection.statusModule.lastUpdateSubmitDate as string });
  }
  return versions;
};

/** Table sizes with indexes and TOAST, by what they hold. */
const storage = async (
  database: Database,
): Promise<{ rawContent: number; events: number; readModels: number; other: number }> => {
  const rows = await database.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r'`,
  );
  const kind = (name: string) =>
    ['snapshot_contents', 'trial_content_keyframes', 'ingestions'].includes(name)
      ? 'rawContent'
      : ['events', 'streams', 'stream_states', 'trial_observations'].includes(name)
        ? 'events'
        : name.startsWith('trial_') || name.startsWith('change_feed') || name === 'projection_checkpoints'
          ? 'readModels'
          : 'other';
  const totals = { rawContent: 0, events: 0, readModels: 0, other: 0 };
  for (const row of rows) totals[kind(row.name)] += Number(row.bytes);
  return totals;
};

/** The registry's history replayed as history backfills through the bulk path, while a worker projects it. */
export const registryHistory = async (trials: number): Promise<RegistryHistoryRun> => {
  const bench = await BenchEnvironment.create();
  try {
    const worker = await bench.startWorker();
    const database = bench.context.get(Database);
    const commands = bench.context.get(CommandBus);
    const floor = minimumFreeBytes();
    const deadlineMs = replayDeadlineMs();
    const diskFree = await databaseDiskFree(database);
    const needed = trials * MEAN_VERSIONS * BYTES_PER_VERSION;
    const freeAtStart = diskFree ? await diskFree() : Infinity;
    if (!diskFree)
      process.stderr.write(
        "[registry-history] PostgreSQL's disk is not readable from here: its free space is not watched\n",
      );
    else if (freeAtStart - floor < needed)
      process.stderr.write(
        `[registry-history] ${trials} trials need about ${gib(needed)} of disk; ` +
          `${gib(freeAtStart)} is free, and the replay stops when ${gib(floor)} is left (BENCH_MIN_FREE_DISK_GIB)\n`,
      );
    let stoppedEarly: string | null = null;
    let replayed = 0;
    let versions = 0;
    let bytes = 0;
    let generationMs = 0;
    let pending: { content: Buffer; effectiveAt: string }[] = [];
    const started = performance.now();
    const tenths: { versions: number; ms: number }[] = [{ versions: 0, ms: 0 }];
    const markTenths = () => {
      while (tenths.length <= 10 && replayed >= (trials * tenths.length) / 10)
        tenths.push({ versions, ms: performance.now() - started - generationMs });
    };
    const flush = async () => {
      if (pending.length === 0) return;
      await commands.execute(
        new IngestSnapshotsCommand(
          pending.map(({ content, effectiveAt }) => ({
            content,
            mediaType: 'application/json',
            source: 'ctgov-history',
            effectiveAt,
          })),
        ),
      );
      pending = [];
    };
    for (let index = 0; index < trials; index += 1) {
      const generating = performance.now();
      for (const { document, date } of trialHistory(index)) {
        const content = Buffer.from(JSON.stringify(document));
        bytes += content.byteLength;
        pending.push({ content, effectiveAt: `${date}T00:00:00.000Z` });
        versions += 1;
      }
      generationMs += performance.now() - generating;
      replayed = index + 1;
      if (pending.length < DOCUMENTS_PER_COMMAND) continue;
      await flush();
      markTenths();
      const free = diskFree ? await diskFree() : Infinity;
      if (free < floor) {
        stoppedEarly = `disk: ${gib(free)} free after ${replayed} trials, under BENCH_MIN_FREE_DISK_GIB (${gib(floor)})`;
        process.stderr.write(`[registry-history] stopped early, ${stoppedEarly}\n`);
        break;
      }
      if (performance.now() - started >= deadlineMs) {
        stoppedEarly = `time: ${deadlineMs / 60_000} minutes (BENCH_MAX_REPLAY_MINUTES) after ${replayed} trials`;
        process.stderr.write(`[registry-history] stopped early, ${stoppedEarly}\n`);
        break;
      }
    }
    await flush();
    markTenths();
    const appended = performance.now();
    await waitForProjections(bench.context);
    const caughtUp = performance.now();
    await database.execute('VACUUM ANALYZE');
    const sizes = await storage(database);
    return {
      trials: replayed,
      replayedPercent: (replayed / trials) * 100,
      stoppedEarly,
      versions,
      versionsPerTrial: versions / replayed,
      megabytes: Math.round(bytes / 1_048_576),
      versionsPerSecond: versions / ((caughtUp - started - generationMs) / 1000),
      ingestPerSecond: versions / ((appended - started - generationMs) / 1000),
      ingestPerSecondByTenth: tenths
        .slice(1)
        .map((tenth, index) => (tenth.versions - tenths[index]!.versions) / ((tenth.ms - tenths[index]!.ms) / 1000)),
      bytesPerVersion: {
        rawContent: sizes.rawContent / versions,
        events: sizes.events / versions,
        readModels: sizes.readModels / versions,
        other: sizes.other / versions,
      },
      peakRssMiB: { ingesting: ownPeakRssMiB(), worker: worker.pid ? peakRssMiB(worker.pid) : null },
    };
  } finally {
    await bench.close();
  }
};
