import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database, EventStore } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { CatchUpProjectionsCommand, GetTrialQuery } from '../../read-models/index.js';
import { AcceptSnapshotCommand } from '../accept-snapshot/accept-snapshot.command.js';
import type { Ingestion } from '../ingestion.js';
import { IngestSnapshotsCommand } from '../bulk-ingest/ingest-snapshots.command.js';
import { ProcessIngestionCommand } from './process-ingestion.command.js';
import { SnapshotStore } from '../snapshot-store.js';

describe('the ingestion pipeline against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const accept = async (content: string) =>
    (
      await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(content), mediaType: 'application/json', source: 'test' },
          false,
        ),
      )
    ).ingestionId;

  it('keeps one trial contiguous when 8 workers ingest 200 of its snapshots at once', async () => {
    const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => accept(studyVersion(i, 'NCT00000200'))));
    const queue = [...ids].sort(() => Math.random() - 0.5);
    const outcomes: Ingestion[] = [];
    const worker = async () => {
      for (let id = queue.pop(); id; id = queue.pop())
        outcomes.push(await commands.execute(new ProcessIngestionCommand(id)));
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const events = await module.get(EventStore).readStream('trial-NCT00000200');
    expect(events.map((event) => event.streamVersion)).toEqual(events.map((_, index) => index + 1));
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected' || outcome.status === 'failed')).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.status === 'appended').length).toBeGreaterThan(0);

    await commands.execute(new CatchUpProjectionsCommand());
    const [row] = await module
      .get(Database)
      .query<{ overall_status: string }>(`SELECT overall_status FROM trial_current_state WHERE nct_id = 'NCT00000200'`);
    const { state } = await module.get(QueryBus).execute(new GetTrialQuery('NCT00000200'));
    // The newest snapshot (version 199) wins whatever order the workers took them in.
    expect(state.enrollment?.count).toBe(209);
    expect(state.lastUpdateSubmitDate).toBe('2016-07-18');
    expect(state.overallStatus).toBe('ACTIVE_NOT_RECRUITING');
    expect(row!.overall_status).toBe('ACTIVE_NOT_RECRUITING');
  });

  it('processes an ingestion once even when its job is delivered twice', async () => {
    const id = await accept(studyVersion(0, 'NCT00000201'));
    const [first, second] = await Promise.all([
      commands.execute(new ProcessIngestionCommand(id)),
      commands.execute(new ProcessIngestionCommand(id)),
    ]);
    expect(first.status).toBe('appended');
    expect(second.status).toBe('appended');
    expect(await module.get(EventStore).readStream('trial-NCT00000201')).toHaveLength(1);
  });

  it('ingests a record whose date has a year of fewer than four digits, that date left unread', async () => {
    const study = JSON.parse(studyVersion(0, 'NCT00000204'));
    study.protocolSection.statusModule.lastUpdatePostDateStruct = { date: '0201-05-01', type: 'ACTUAL' };
    study.protocolSection.statusModule.startDateStruct = { date: '0000' };
    const ingestion = await commands.execute(new ProcessIngestionCommand(await accept(JSON.stringify(study))));
    expect(ingestion).toMatchObject({ status: 'appended', error: null });
    // Dated by the date it could read, the last update's submission.
    expect(ingestion.results[0]!.events[0]!.occurredAt).toBe('2016-01-01T00:00:00.000Z');
    const [registered] = await module.get(EventStore).readStream('trial-NCT00000204');
    expect(registered!.data).toMatchObject({ facts: { lastUpdateSubmitDate: '2016-01-01', startDate: null } });
    expect(registered!.data).not.toHaveProperty('facts.lastUpdatePostDate');
  });

  it('refuses a record holding a NUL character or half a surrogate pair at once, kept, and the rest of a batch goes in', async () => {
    const study = JSON.parse(studyVersion(0, 'NCT00000205'));
    study.protocolSection.identificationModule.briefTitle = 'A title\u0000';
    const withNul = JSON.stringify(study);
    await expect(accept(withNul)).rejects.toMatchObject({
      code: 'snapshot.malformed',
      details: { field: 'briefTitle' },
    });
    // Half of a surrogate pair, which PostgreSQL's JSON refuses as well.
    study.protocolSection.identificationModule.briefTitle = 'A title\ud800';
    await expect(accept(JSON.stringify(study))).rejects.toMatchObject({
      code: 'snapshot.malformed',
      details: { field: 'briefTitle' },
    });

    const input = (content: string) => ({ content: Buffer.from(content), mediaType: null, source: 'test' });
    const outcomes: Ingestion[] = await commands.execute(
      new IngestSnapshotsCommand([
        input(studyVersion(0, 'NCT00000206')),
        input(withNul),
        input(studyVersion(0, 'NCT00000207')),
      ]),
    );
    expect(outcomes.map((outcome) => [outcome.status, outcome.error?.code ?? null])).toEqual([
      ['appended', null],
      ['rejected', 'snapshot.malformed'],
      ['appended', null],
    ]);
    const kept = await module.get(SnapshotStore).content(outcomes[1]!.contentSha256);
    expect(kept!.content.toString()).toBe(withNul);
    expect(await module.get(EventStore).readStream('trial-NCT00000205')).toEqual([]);
  });

  it('keeps an input refused with its own NUL quoted in the error, and the rest of a batch goes in', async () => {
    const study = JSON.parse(studyVersion(0, 'NCT00000208'));
    study.protocolSection.identificationModule.nctId = 'NCT\u00001';
    const badId = JSON.stringify(study);
    const refused = await accept(badId).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'snapshot.missing-nct-id' });
    const store = module.get(SnapshotStore);
    expect(await store.find((refused as { details: { ingestionId: string } }).details.ingestionId)).toMatchObject({
      status: 'rejected',
      error: { code: 'snapshot.missing-nct-id', message: expect.stringContaining('"NCT\uFFFD1"') },
    });

    const input = (content: string) => ({ content: Buffer.from(content), mediaType: null, source: 'test' });
    const outcomes: Ingestion[] = await commands.execute(
      new IngestSnapshotsCommand([input(badId), input(studyVersion(0, 'NCT00000209'))]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'appended']);
    expect((await store.content(outcomes[0]!.contentSha256))!.content.toString()).toBe(badId);
  });

  it('ingests a batch in one go: several versions of a trial in order, bad input kept as rejected, outcomes in input order', async () => {
    const input = (content: string) => ({ content: Buffer.from(content), mediaType: null, source: 'test' });
    const outcomes: Ingestion[] = await commands.execute(
      new IngestSnapshotsCommand([
        input(studyVersion(0, 'NCT00000202')),
        input('this is not a trial record'),
        input(studyVersion(30, 'NCT00000202')),
        input(studyVersion(10, 'NCT00000202')),
        input(studyVersion(0, 'NCT00000203')),
        input(studyVersion(30, 'NCT00000202')),
      ]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'appended',
      'rejected',
      'appended',
      'stale',
      'appended',
      'unchanged',
    ]);
    expect(outcomes[1]!.error).toMatchObject({ code: 'snapshot.not-a-trial-record' });
    const kept = await module.get(SnapshotStore).content(outcomes[1]!.contentSha256);
    expect(kept!.content.toString()).toBe('this is not a trial record');
    const events = await module.get(EventStore).readStream('trial-NCT00000202');
    expect(events.map((event) => event.type)).toEqual([
      'trial.registered',
      'trial.overall-status-changed',
      'trial.enrollment-updated',
      'trial.last-update-posted-date-moved',
    ]);
    expect(outcomes[2]!.results[0]!.events.map((event) => event.streamVersion)).toEqual([2, 3, 4]);
  });
});
