import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { readFixture } from '../../../../../test/support/fixtures.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { IngestSnapshotsCommand } from '../bulk-ingest/ingest-snapshots.command.js';
import type { Ingestion } from '../ingestion.js';
import { ProcessIngestionCommand } from '../process-ingestion/process-ingestion.command.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

/**
 * Text as bytes of a single-byte Windows code page (what a page saved as "ANSI" on such a system holds),
 * a character the code page lacks as "?".
 */
const inCodePage = (text: string, codePage: string): Buffer => {
  const decoder = new TextDecoder(codePage);
  const byteOf = new Map<string, number>();
  for (let byte = 0xff; byte >= 0; byte -= 1) byteOf.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from([...text].map((character) => byteOf.get(character) ?? 0x3f));
};

/** `POST /snapshots` of a page in another charset than UTF-8, named by its Content-Type alone. */
describe('a snapshot posted in the charset its Content-Type names', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  const page = readFixture('registry-pages', '000_9a6c380331072caa.txt');
  const title = 'Komórki macierzyste w udarze mózgu: badanie w Łodzi i Gdańsku';
  const polishPage = [title, ...page.split('\n').slice(1)].join('\n');

  const post = async (body: Buffer, contentType: string) => {
    const response = await fetch(`${baseUrl}/snapshots`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    return { status: response.status, body: (await response.json()) as { ingestionId: string; nctIds: string[] } };
  };

  /** The title the trial was registered with, once the posted snapshot is processed. */
  const registeredTitle = async (ingestionId: string, nctId: string): Promise<unknown> => {
    await app.get(CommandBus).execute(new ProcessIngestionCommand(ingestionId));
    const events = (await (await fetch(`${baseUrl}/trials/${nctId}/events`)).json()) as {
      events: { type: string; data: { facts: { briefTitle: unknown } } }[];
    };
    return events.events.find((event) => event.type === 'trial.registered')?.data.facts.briefTitle;
  };

  /** The stored snapshot as `GET /snapshots/:sha256` serves it: its Content-Type, whether it is an attachment, its bytes. */
  const served = async (body: Buffer) => {
    const response = await fetch(`${baseUrl}/snapshots/${createHash('sha256').update(body).digest('hex')}`);
    return {
      contentType: response.headers.get('content-type'),
      attachment: response.headers.get('content-disposition') !== null,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('reads a page saved as Windows-1250 in that charset, not as Windows-1252', async () => {
    const accepted = await post(inCodePage(polishPage, 'windows-1250'), 'text/plain; charset=windows-1250');
    expect(accepted.status).toBe(202);
    expect(await registeredTitle(accepted.body.ingestionId, accepted.body.nctIds[0]!)).toBe(title);
  });

  it('serves the stored bytes labelled with the charset they were read in, so a browser shows what was ingested', async () => {
    const windows1250 = inCodePage(polishPage.replace(/NCT06518902/g, 'NCT06518904'), 'windows-1250');
    const utf16 = Buffer.from(polishPage.replace(/NCT06518902/g, 'NCT06518905'), 'utf16le');
    expect((await post(windows1250, 'text/plain; charset=windows-1250')).status).toBe(202);
    expect((await post(utf16, 'text/plain; charset=UTF-16LE')).status).toBe(202);

    const asPosted = await served(windows1250);
    expect(asPosted).toMatchObject({ contentType: 'text/plain; charset=windows-1250', attachment: false });
    expect(asPosted.bytes.equals(windows1250)).toBe(true);
    expect(new TextDecoder('windows-1250').decode(asPosted.bytes)).toContain(title);
    const inUtf16 = await served(utf16);
    expect(inUtf16).toMatchObject({ contentType: 'text/plain; charset=utf-16le', attachment: false });
    expect(inUtf16.bytes.equals(utf16)).toBe(true);
  });

  it('reads UTF-16 without a byte-order mark when the Content-Type names it, rather than refusing it as binary', async () => {
    const otherTrial = polishPage.replace(/NCT06518902/g, 'NCT06518903');
    const accepted = await post(Buffer.from(otherTrial, 'utf16le'), 'text/plain; charset=UTF-16LE');
    expect(accepted.status).toBe(202);
    expect(await registeredTitle(accepted.body.ingestionId, 'NCT06518903')).toBe(title);
  });

  describe('the same bytes posted again with another charset', () => {
    // What Windows-1252 reads of the title's bytes in Windows-1250 ("Ł" as "£", "ń" as "ñ").
    const misread = new TextDecoder('windows-1252').decode(inCodePage(title, 'windows-1250'));
    /** An API v2 study titled in Polish, saved as Windows-1250: a complete record, so a title read otherwise is a correction. */
    const polishStudy = (nctId: string): Buffer => {
      const study = JSON.parse(studyVersion(0, nctId));
      study.protocolSection.identificationModule.briefTitle = title;
      return inCodePage(JSON.stringify(study), 'windows-1250');
    };
    const currentTitle = async (nctId: string): Promise<unknown> => {
      const today = new Date().toISOString().slice(0, 10);
      const trial = (await (await fetch(`${baseUrl}/trials/${nctId}?asOf=${today}`)).json()) as {
        state: { briefTitle: unknown };
      };
      return trial.state.briefTitle;
    };
    /** A posted snapshot processed by the worker: its outcome, and the trial's title then. */
    const postedAndProcessed = async (body: Buffer, contentType: string, nctId: string) => {
      const accepted = await post(body, contentType);
      expect(accepted.status).toBe(202);
      const ingestion: Ingestion = await app
        .get(CommandBus)
        .execute(new ProcessIngestionCommand(accepted.body.ingestionId));
      return { status: ingestion.status, title: await currentTitle(nctId) };
    };

    it("are read in the charset their own post names, not in the first post's", async () => {
      const bytes = polishStudy('NCT06518906');
      expect(await postedAndProcessed(bytes, 'text/plain', 'NCT06518906')).toEqual({
        status: 'appended',
        title: misread,
      });
      expect(await postedAndProcessed(bytes, 'text/plain; charset=windows-1250', 'NCT06518906')).toEqual({
        status: 'learned',
        title,
      });
      // The content, kept once, is served labelled as its first post was read.
      expect((await served(bytes)).contentType).toBe('text/plain; charset=windows-1252');
    });

    it('each show, in the ingestion log, the Content-Type their own post named', async () => {
      const bytes = polishStudy('NCT06518910');
      const named = (await post(bytes, 'text/plain; charset=windows-1250')).body.ingestionId;
      const none = (await post(bytes, 'application/octet-stream')).body.ingestionId;
      const logged = async (id: string) =>
        ((await (await fetch(`${baseUrl}/ingestions/${id}`)).json()) as Ingestion).contentType;

      expect([await logged(named), await logged(none)]).toEqual([
        'text/plain; charset=windows-1250',
        'application/octet-stream',
      ]);
    });

    it('posted with no charset after a post that named one, are read as a post naming none is', async () => {
      const bytes = polishStudy('NCT06518907');
      expect(await postedAndProcessed(bytes, 'text/plain; charset=windows-1250', 'NCT06518907')).toEqual({
        status: 'appended',
        title,
      });
      expect(await postedAndProcessed(bytes, 'text/plain', 'NCT06518907')).toEqual({
        status: 'learned',
        title: misread,
      });
    });

    it('queued before ingestions kept their own media type, are read in the one their content was kept with', async () => {
      const bytes = polishStudy('NCT06518909');
      const accepted = await post(bytes, 'text/plain; charset=windows-1250');
      await app
        .get(Database)
        .execute(`UPDATE ingestions SET media_type = NULL WHERE id = $1`, [accepted.body.ingestionId]);
      const ingestion: Ingestion = await app
        .get(CommandBus)
        .execute(new ProcessIngestionCommand(accepted.body.ingestionId));
      expect({ status: ingestion.status, title: await currentTitle('NCT06518909') }).toEqual({
        status: 'appended',
        title,
      });
    });

    it('are read in their own charset on the bulk path too, after a post that named another', async () => {
      const bytes = polishStudy('NCT06518908');
      expect(await postedAndProcessed(bytes, 'text/plain; charset=windows-1250', 'NCT06518908')).toEqual({
        status: 'appended',
        title,
      });
      const [bulk]: Ingestion[] = await app
        .get(CommandBus)
        .execute(
          new IngestSnapshotsCommand([
            { content: bytes, mediaType: 'text/plain; charset=windows-1252', source: 'test' },
          ]),
        );
      expect({ status: bulk!.status, title: await currentTitle('NCT06518908') }).toEqual({
        status: 'learned',
        title: misread,
      });
    });
  });
});
