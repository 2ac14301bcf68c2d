import { CommandBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { loadTrial, streamIdOf, TRIAL_STATE_SCHEMA_VERSION } from '@app/domain';
import { Database, EventStore } from '@app/infrastructure';
import { studyVersion } from '../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { IngestSnapshotsCommand } from './bulk-ingest/ingest-snapshots.command.js';
import type { Ingestion } from './ingestion.js';

const NCT_ID = 'NCT00973089';
const STREAM_ID = streamIdOf(NCT_ID);
const VERSIONS = 12;

interface Installation {
  environment: TestEnvironment;
  module: TestingModule;
  ingest: (version: number) => Promise<Ingestion['status']>;
  database: Database;
}

const install = async (streamStateAfterEvents: number): Promise<Installation> => {
  const environment = await createTestEnvironment({ streamStateAfterEvents });
  const module = await createTrackingModule(environment);
  const commands = module.get(CommandBus);
  return {
    environment,
    module,
    database: module.get(Database),
    ingest: async (version) => {
      const [outcome]: Ingestion[] = await commands.execute(
        new IngestSnapshotsCommand([
          { content: Buffer.from(studyVersion(version, NCT_ID)), mediaType: null, source: 'states-test' },
        ]),
      );
      return outcome!.status;
    },
  };
};

const keptState = async (database: Database) =>
  (
    await database.query<{ stream_version: number; schema_version: number; state: unknown }>(
      'SELECT stream_version, schema_version, state FROM stream_states WHERE stream_id = $1',
      [STREAM_ID],
    )
  )[0];

const events = async (database: Database) =>
  database.query<{ stream_version: number; type: string; data: unknown }>(
    'SELECT stream_version, type, data FROM events WHERE stream_id = $1 ORDER BY stream_version',
    [STREAM_ID],
  );

/** The same snapshots into two installations: one keeps a trial's state every 3 events, one never does. */
describe("a trial's kept state", () => {
  let keeping: Installation;
  let folding: Installation;

  beforeAll(async () => {
    [keeping, folding] = await Promise.all([install(3), install(100_000)]);
  });

  afterAll(async () => {
    for (const installation of [keeping, folding]) {
      await installation?.module.close();
      await installation?.environment.teardown();
    }
  });

  it('is kept with the append, rebuilt when missing or in an older format, and decides as the whole stream does', async () => {
    const keptVersions: number[] = [];
    for (let version = 0; version < VERSIONS; version += 1) {
      expect(await keeping.ingest(version)).toBe(await folding.ingest(version));
      // Sent twice: the second is decided on the kept state (or the fold) and changes nothing.
      expect(await keeping.ingest(version)).toBe('unchanged');
      expect(await folding.ingest(version)).toBe('unchanged');
      const kept = await keptState(keeping.database);
      if (kept) keptVersions.push(kept.stream_version);
      if (version === 4) {
        expect(kept).toBeDefined();
        await keeping.database.execute('DELETE FROM stream_states WHERE stream_id = $1', [STREAM_ID]);
      }
      if (version === 8) {
        expect(kept).toBeDefined();
        await keeping.database.execute('UPDATE stream_states SET schema_version = 0 WHERE stream_id = $1', [STREAM_ID]);
      }
    }

    // The same events, decided either way.
    const keptEvents = await events(keeping.database);
    expect(keptEvents.length).toBeGreaterThan(VERSIONS);
    expect(keptEvents).toEqual(await events(folding.database));
    expect(await keptState(folding.database)).toBeUndefined();

    // Kept anew after the deletion and after the outdating, each time at the stream's version then.
    expect(new Set(keptVersions).size).toBeGreaterThan(3);
    const kept = (await keptState(keeping.database))!;
    expect(kept.schema_version).toBe(TRIAL_STATE_SCHEMA_VERSION);
    const store = keeping.module.get(EventStore);
    const stream = await store.readStream(STREAM_ID);
    expect(kept.stream_version).toBeGreaterThan(stream.length - 3);
    // The kept state is the fold of the stream up to its version.
    const folded = loadTrial(
      NCT_ID,
      stream.filter((event) => event.streamVersion <= kept.stream_version),
    );
    expect(kept.state).toEqual(
      JSON.parse(
        JSON.stringify({
          state: folded.state,
          effectiveDate: folded.effectiveDate,
          shownAt: folded.shownAt,
          versionShown: folded.versionShown,
        }),
      ),
    );

    // Deciding reads the kept state, not the whole stream: a kept state that says otherwise decides
    // otherwise (the same registry version showing another enrollment: learned, not unchanged).
    await keeping.database.execute(
      `UPDATE stream_states SET state = jsonb_set(state, '{state,enrollment,count}', '999') WHERE stream_id = $1`,
      [STREAM_ID],
    );
    expect(await keeping.ingest(VERSIONS - 1)).toBe('learned');
    expect(await folding.ingest(VERSIONS - 1)).toBe('unchanged');
  });
});

describe('a search page listing one trial twice', () => {
  let installation: Installation;

  beforeAll(async () => {
    installation = await install(1);
  });

  afterAll(async () => {
    await installation?.module.close();
    await installation?.environment.teardown();
  });

  it('keeps the state each listing was decided to, and the next snapshot is decided alike from the kept state or the stream', async () => {
    const commands = installation.module.get(CommandBus);
    const ingest = async (content: string): Promise<Ingestion['status']> => {
      const [outcome]: Ingestion[] = await commands.execute(
        new IngestSnapshotsCommand([{ content: Buffer.from(content), mediaType: null, source: 'states-test' }]),
      );
      return outcome!.status;
    };
    expect(await ingest(studyVersion(0, NCT_ID))).toBe('appended');

    // A `fields=` listing of the next version (its date, status and enrollment), then the full record of it.
    const full = JSON.parse(studyVersion(1, NCT_ID));
    const { lastUpdatePostDateStruct, lastUpdateSubmitDate, overallStatus } = full.protocolSection.statusModule;
    const listed = {
      protocolSection: {
        identificationModule: { nctId: NCT_ID },
        statusModule: {
          lastUpdatePostDateStruct: { date: lastUpdatePostDateStruct.date },
          lastUpdateSubmitDate,
          overallStatus,
        },
        designModule: { enrollmentInfo: full.protocolSection.designModule.enrollmentInfo },
      },
    };
    expect(await ingest(JSON.stringify({ studies: [listed, full] }))).toBe('appended');

    const stream = await installation.module.get(EventStore).readStream(STREAM_ID);
    const kept = (await keptState(installation.database))!;
    expect(kept.stream_version).toBe(stream.length);
    const folded = loadTrial(NCT_ID, stream);
    expect(kept.state).toEqual(
      JSON.parse(
        JSON.stringify({
          state: folded.state,
          effectiveDate: folded.effectiveDate,
          shownAt: folded.shownAt,
          versionShown: folded.versionShown,
        }),
      ),
    );

    // The full record of that version with another title: a correction trialwatch learns, not a change,
    // decided on the kept state and on the stream folded anew alike.
    full.protocolSection.identificationModule.briefTitle = 'A corrected title';
    await installation.database.execute('UPDATE stream_states SET schema_version = 0 WHERE stream_id = $1', [
      STREAM_ID,
    ]);
    expect(await ingest(JSON.stringify(full))).toBe('learned');
  });
});
