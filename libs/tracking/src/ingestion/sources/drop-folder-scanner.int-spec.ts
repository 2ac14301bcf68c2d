import { mkdir, mkdtemp, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { APP_CONFIG, type AppConfig, Clock, Database } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { DropFolderScanner } from './drop-folder-scanner.js';

describe('the drop folder against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let folder: string;
  let scanner: DropFolderScanner;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'trialwatch-drop-'));
    environment = await createTestEnvironment({ dropFolder: folder });
    module = await createTrackingModule(environment);
    scanner = new DropFolderScanner(
      module.get(CommandBus),
      module.get(Database),
      module.get(Clock),
      module.get<AppConfig>(APP_CONFIG),
    );
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
    await rm(folder, { recursive: true, force: true });
  });

  /** Written an hour ago, so the scanner takes it as settled. */
  const settled = async (path: string) => {
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path, anHourAgo, anHourAgo);
  };

  it('passes over a file larger than MAX_SNAPSHOT_BYTES without reading it, and ingests the files after it', async () => {
    // Sparse: 3 GiB on paper, nothing on disk. Read whole, it would not even fit in one buffer.
    const large = join(folder, 'all-studies.json');
    await writeFile(large, '');
    await truncate(large, 3 * 1024 ** 3);
    await settled(large);
    // Nested, so listed after the large file.
    await mkdir(join(folder, 'later'));
    const study = join(folder, 'later', 'NCT07750001.json');
    await writeFile(study, studyVersion(0, 'NCT07750001'));
    await settled(study);

    expect(await scanner.scan()).toEqual({ accepted: 1, rejected: 0 });
    const ingested = await module
      .get(Database)
      .query<{ nct_ids: string[]; source: string }>(`SELECT nct_ids, source FROM ingestions`);
    expect(ingested).toEqual([{ nct_ids: ['NCT07750001'], source: 'drop-folder' }]);

    // Each new file once; the large one is still passed over, never read.
    expect(await scanner.scan()).toEqual({ accepted: 0, rejected: 0 });
  });

  it('does not follow a symbolic link, and says so once', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'trialwatch-outside-'));
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const study = join(outside, 'NCT07750002.json');
      await writeFile(study, studyVersion(0, 'NCT07750002'));
      await settled(study);
      await symlink(study, join(folder, 'NCT07750002.json'));

      expect(await scanner.scan()).toEqual({ accepted: 0, rejected: 0 });
      expect(await scanner.scan()).toEqual({ accepted: 0, rejected: 0 });
      const said = warn.mock.calls.filter(([message]) => String(message).includes('NCT07750002.json'));
      expect(said).toEqual([
        ['Drop folder file NCT07750002.json skipped: a symbolic link is not followed; copy or move the file in'],
      ]);
      const [found] = await module.get(Database).query(`SELECT 1 FROM ingestions WHERE nct_ids = '{NCT07750002}'`);
      expect(found).toBeUndefined();
    } finally {
      warn.mockRestore();
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('does not follow a symbolic link to a folder of snapshots, and says so once', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'trialwatch-outside-'));
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const study = join(outside, 'NCT07750007.json');
      await writeFile(study, studyVersion(0, 'NCT07750007'));
      await settled(study);
      await symlink(outside, join(folder, 'exports'));

      expect(await scanner.scan()).toEqual({ accepted: 0, rejected: 0 });
      expect(await scanner.scan()).toEqual({ accepted: 0, rejected: 0 });
      const said = warn.mock.calls.filter(([message]) => String(message).includes('exports'));
      expect(said).toEqual([
        ['Drop folder file exports skipped: a symbolic link is not followed; copy or move the file in'],
      ]);
      const [found] = await module.get(Database).query(`SELECT 1 FROM ingestions WHERE nct_ids = '{NCT07750007}'`);
      expect(found).toBeUndefined();
    } finally {
      warn.mockRestore();
      await rm(join(folder, 'exports'), { force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('does not follow a file turned into a symbolic link after the folder was listed', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'trialwatch-outside-'));
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const commandBus = module.get(CommandBus);
    const execute = commandBus.execute.bind(commandBus);
    try {
      const elsewhere = join(outside, 'NCT07750005.json');
      await writeFile(elsewhere, studyVersion(0, 'NCT07750005'));
      await settled(elsewhere);
      const first = join(folder, 'NCT07750003.json');
      await writeFile(first, studyVersion(0, 'NCT07750003'));
      await settled(first);
      // Nested, so listed after the first file.
      await mkdir(join(folder, 'swapped'));
      const second = join(folder, 'swapped', 'NCT07750004.json');
      await writeFile(second, studyVersion(0, 'NCT07750004'));
      await settled(second);
      // Whoever may write the folder swaps the listed file for a link while the first one goes in.
      let swapped = false;
      jest.spyOn(commandBus, 'execute').mockImplementation(async (command) => {
        if (!swapped) {
          swapped = true;
          await rm(second);
          await symlink(elsewhere, second);
        }
        return execute(command);
      });

      expect(await scanner.scan()).toEqual({ accepted: 1, rejected: 0 });
      expect(swapped).toBe(true);
      const ingested = await module
        .get(Database)
        .query<{ nct_ids: string[] }>(
          `SELECT nct_ids FROM ingestions WHERE nct_ids && '{NCT07750003,NCT07750004,NCT07750005}' ORDER BY nct_ids`,
        );
      expect(ingested).toEqual([{ nct_ids: ['NCT07750003'] }]);
      expect(warn.mock.calls.filter(([message]) => String(message).includes('NCT07750004.json'))).toEqual([
        [
          `Drop folder file ${join('swapped', 'NCT07750004.json')} skipped: a symbolic link is not followed; copy or move the file in`,
        ],
      ]);
    } finally {
      jest.restoreAllMocks();
      await rm(join(folder, 'swapped'), { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });
});
