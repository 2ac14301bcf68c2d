import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDataSource, MIGRATIONS, runMigrations } from '../database/data-source.js';
import { ensureDatabase } from '../database/ensure-database.js';
import { LocalServicesUnavailableError, startLocalServices } from './local-services.js';
import { answers, freeLoopbackPort } from './ports.js';

describe('local services (TRIALWATCH_EMBEDDED)', () => {
  let dataDir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trialwatch-local-services-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const appliedMigrations = async (databaseUrl: string): Promise<string[]> => {
    const dataSource = createDataSource({ databaseUrl, poolSize: 2 });
    await dataSource.initialize();
    try {
      const rows: { name: string }[] = await dataSource.query('SELECT name FROM schema_migrations ORDER BY id');
      return rows.map((row) => row.name);
    } finally {
      await dataSource.destroy();
    }
  };

  it('starts an embedded PostgreSQL that takes the migrations, and reuses its data folder on the next run', async () => {
    const first = await startLocalServices({ mode: 'always', dataDir, projectDir: dataDir, log });
    const migrationNames = MIGRATIONS.map((migration) => new migration().name!);
    try {
      expect(first.postgres?.startedHere).toBe(true);
      expect(first.postgres?.version).toMatch(/^18\./);
      expect(first.databaseUrl).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/trialwatch$/);
      expect(first.postgres?.port).not.toBe(5432);
      await ensureDatabase(first.databaseUrl);
      const dataSource = createDataSource({ databaseUrl: first.databaseUrl, poolSize: 2 });
      await dataSource.initialize();
      try {
        expect(await runMigrations(dataSource)).toEqual(migrationNames);
      } finally {
        await dataSource.destroy();
      }

      // A second run while the first one's server is up uses that server rather than fighting over the folder.
      const concurrent = await startLocalServices({ mode: 'always', dataDir, projectDir: dataDir, log });
      try {
        expect(concurrent.postgres?.startedHere).toBe(false);
        expect(concurrent.postgres?.port).toBe(first.postgres?.port);
        expect(await appliedMigrations(concurrent.databaseUrl)).toEqual(migrationNames);
      } finally {
        await concurrent.stop();
      }
      expect(await answers('127.0.0.1', first.postgres!.port)).toBe(true);
    } finally {
      await first.stop();
    }
    expect(await answers('127.0.0.1', first.postgres!.port)).toBe(false);
    expect((await stat(join(dataDir, 'pg', 'PG_VERSION'))).isFile()).toBe(true);

    const next = await startLocalServices({ mode: 'always', dataDir, projectDir: dataDir, log });
    try {
      expect(next.postgres?.startedHere).toBe(true);
      expect(await appliedMigrations(next.databaseUrl)).toEqual(migrationNames);
    } finally {
      await next.stop();
    }
    expect(lines.filter((line) => line.includes('first run'))).toEqual([
      'PostgreSQL: first run, creating its data folder pg (initdb)',
    ]);
    expect(
      lines.filter((line) => /ready on 127\.0\.0\.1:\d+; its data stays in pg for the next run/.test(line)),
    ).toHaveLength(2);
  });

  it('starts a private Redis on a free loopback port and stops it on shutdown', async () => {
    const services = await startLocalServices({ mode: 'always', dataDir, projectDir: dataDir, log });
    const port = services.redis!.port;
    try {
      expect(port).not.toBe(6379);
      expect(services.redisUrl).toBe(`redis://127.0.0.1:${port}`);
      const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
      try {
        await redis.set('local-services', 'answered');
        expect(await redis.get('local-services')).toBe('answered');
      } finally {
        redis.disconnect();
      }
    } finally {
      await services.stop();
    }
    expect(await answers('127.0.0.1', port)).toBe(false);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^Redis \\S+ \\(.+\\) ready on 127\\.0\\.0\\.1:${port}, in memory`)),
    );
  });

  it('in auto mode, uses what answers on the default addresses and starts nothing', async () => {
    const running = await startLocalServices({ mode: 'always', dataDir, projectDir: dataDir, log });
    try {
      const found = await startLocalServices({
        mode: 'auto',
        dataDir,
        projectDir: dataDir,
        log,
        defaults: {
          postgres: { host: '127.0.0.1', port: running.postgres!.port },
          redis: { host: '127.0.0.1', port: running.redis!.port },
        },
      });
      expect(found.postgres).toBeUndefined();
      expect(found.redis).toBeUndefined();
      expect(found.databaseUrl).toBe(`postgres://postgres@127.0.0.1:${running.postgres!.port}/trialwatch`);
      expect(found.redisUrl).toBe(`redis://127.0.0.1:${running.redis!.port}`);
      expect(lines.slice(-2)).toEqual([
        `PostgreSQL: using the server answering on 127.0.0.1:${running.postgres!.port}`,
        `Redis: using the server answering on 127.0.0.1:${running.redis!.port}`,
      ]);
    } finally {
      await running.stop();
    }
  });

  it('keeps URLs that are set, unless TRIALWATCH_EMBEDDED=always', async () => {
    const set = { databaseUrl: 'postgres://somebody@db.example:5432/tracker', redisUrl: 'redis://cache.example:6379' };
    const kept = await startLocalServices({ mode: 'auto', ...set, dataDir, log });
    expect([kept.databaseUrl, kept.redisUrl, kept.postgres, kept.redis]).toEqual([
      set.databaseUrl,
      set.redisUrl,
      undefined,
      undefined,
    ]);

    const forced = await startLocalServices({ mode: 'always', ...set, dataDir, projectDir: dataDir, log });
    try {
      expect(forced.databaseUrl).toBe(forced.postgres!.url('trialwatch'));
      expect(forced.redisUrl).toBe(`redis://127.0.0.1:${forced.redis!.port}`);
    } finally {
      await forced.stop();
    }
  });

  it('when nothing can be had, names the three ways out on one screen', async () => {
    const closed = { host: '127.0.0.1', port: await freeLoopbackPort() };
    const attempt = startLocalServices({
      mode: 'never',
      dataDir,
      log,
      defaults: { postgres: closed, redis: closed },
    });
    await expect(attempt).rejects.toThrow(LocalServicesUnavailableError);
    const error = (await attempt.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain(`DATABASE_URL is unset, nothing answers on 127.0.0.1:${closed.port}`);
    expect(error.message).toContain('export DATABASE_URL=');
    expect(error.message).toContain('apt-get install postgresql redis-server');
    expect(error.message).toContain('docker compose up -d postgres redis');
    expect(error.message.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('stops what it started when the other service cannot be had, and says why', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'trialwatch-local-services-broken-'));
    try {
      // A data folder whose password file was deleted: the server could start, but nobody could log in.
      await mkdir(join(broken, 'pg'), { recursive: true });
      await writeFile(join(broken, 'pg', 'PG_VERSION'), '18\n');
      const redisLines: string[] = [];
      const attempt = startLocalServices({
        mode: 'always',
        dataDir: broken,
        projectDir: broken,
        log: (line) => redisLines.push(line),
      });
      const error = (await attempt.catch((caught: unknown) => caught)) as LocalServicesUnavailableError;
      expect(error).toBeInstanceOf(LocalServicesUnavailableError);
      expect(error.problems).toEqual([
        expect.stringMatching(
          /^PostgreSQL: the embedded server did not start: the data folder pg was made with a password kept in .*pg\.password, which is missing; delete pg to start afresh$/,
        ),
      ]);
      const port = Number(
        /ready on 127\.0\.0\.1:(\d+)/.exec(redisLines.find((line) => line.startsWith('Redis ')) ?? '')?.[1],
      );
      expect(port).toBeGreaterThan(0);
      expect(await answers('127.0.0.1', port)).toBe(false);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
