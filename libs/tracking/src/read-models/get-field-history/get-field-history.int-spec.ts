import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

interface Change {
  field: string;
  from: unknown;
  to: unknown;
  learned: boolean;
}

/** `GET /trials/:nctId/history?field=` over HTTP, for a trial whose masking was learned, then changed. */
describe("a trial's field history, one field at a time", () => {
  const NCT_ID = 'NCT07330001';
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const history = async (field: string): Promise<[string, unknown, unknown, boolean][]> => {
    const response = await fetch(`${baseUrl}/trials/${NCT_ID}/history?field=${field}&order=oldest`);
    expect(response.status).toBe(200);
    const { changes } = (await response.json()) as { changes: Change[] };
    return changes.map((change) => [change.field, change.from, change.to, change.learned]);
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
    const commands = app.get(CommandBus);
    const ingest = async (study: unknown) => {
      const { ingestionId } = await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(JSON.stringify(study)), mediaType: null, source: 'test' },
          false,
        ),
      );
      await commands.execute(new ProcessIngestionCommand(ingestionId));
    };
    // A `fields=` document without the masking and the first-submitted date, then the full record of the
    // same version (both learned), then a later version that changes both.
    const limited = JSON.parse(studyVersion(0, NCT_ID));
    delete limited.derivedSection;
    delete limited.protocolSection.designModule.designInfo.maskingInfo;
    delete limited.protocolSection.statusModule.studyFirstSubmitDate;
    await ingest(limited);
    const full = JSON.parse(studyVersion(0, NCT_ID));
    full.protocolSection.statusModule.studyFirstSubmitDate = '2009-09-01';
    await ingest(full);
    const later = JSON.parse(studyVersion(30, NCT_ID));
    later.protocolSection.designModule.designInfo.maskingInfo = { masking: 'DOUBLE' };
    later.protocolSection.statusModule.studyFirstSubmitDate = '2009-08-31';
    await ingest(later);
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('gives a part of the design as learned, then as changed', async () => {
    expect(await history('design.masking')).toEqual([
      ['design.masking', null, 'SINGLE', true],
      ['design.masking', 'SINGLE', 'DOUBLE', false],
    ]);
  });

  it("gives the design's changes with the design asked for, not only what was learned of it", async () => {
    expect(await history('design')).toEqual([
      ['design', null, expect.objectContaining({ masking: 'SINGLE' }), true],
      ['design.masking', 'SINGLE', 'DOUBLE', false],
    ]);
  });

  it('gives a registration date as learned and as corrected, under either of its names', async () => {
    const both = [
      ['studyFirstSubmitDate', null, '2009-09-01', true],
      ['registration.studyFirstSubmitDate', '2009-09-01', '2009-08-31', false],
    ];
    expect(await history('studyFirstSubmitDate')).toEqual(both);
    expect(await history('registration.studyFirstSubmitDate')).toEqual(both);
  });
});
