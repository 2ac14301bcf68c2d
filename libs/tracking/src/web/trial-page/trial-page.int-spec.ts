import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import * as cheerio from 'cheerio';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { createWorkerApp } from '../../../../../apps/worker/src/create-worker-app.js';
import { factsOf, type TrialSnapshot } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { apiV2Study } from '../../../../../test/support/render-api-v2.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures');

/** The trial page over HTTP, from records ingested through the API and projected by the worker. */
describe('trial page', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let worker: INestApplicationContext;
  let baseUrl: string;

  const post = async (file: string) => {
    const response = await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: readFileSync(file) });
    return (await response.json()) as { status: string };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    await app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(environment.config);
    const address = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    await post(join(FIXTURES, 'registry-pages', '003_3bc531e48d6f61f9.txt'));
  });

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await environment?.teardown();
  });

  it('charts the planned dates a later record gave after a page without them (learned), as the header shows them', async () => {
    // The Veeva page of NCT05292625 shows no dates; the API record of the same trial, posted later, gives them.
    const page = readFileSync(join(FIXTURES, 'registry-pages', '003_3bc531e48d6f61f9.txt'), 'utf8');
    const facts = factsOf(parseSnapshots(page, { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot);
    const record = apiV2Study({
      ...facts,
      lastUpdatePostDate: { date: '2024-01-10', type: 'ACTUAL' },
      lastUpdateSubmitDate: '2024-01-09',
      startDate: { date: '2022-03-01', type: 'ACTUAL' },
      primaryCompletionDate: { date: '2023-06-30', type: 'ACTUAL' },
      completionDate: { date: '2023-12-31', type: 'ACTUAL' },
    });
    const result = (await (
      await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: JSON.stringify(record) })
    ).json()) as { status: string };
    expect(result.status).toBe('learned');
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    // The trial's current state is projected by the worker: wait until the page's header has caught up.
    let $ = cheerio.load('');
    for (let attempt = 0; attempt < 100; attempt++) {
      $ = cheerio.load(await (await fetch(`${baseUrl}/ui/trials/NCT05292625`)).text());
      if (squash($('.facts').text()).includes('Primary completion 30 Jun 2023')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The header says the primary completion date is known...
    expect(squash($('.facts').text())).toContain('Primary completion 30 Jun 2023 (actual)');
    // ...and so does its date-slip chart, from the record that gave it.
    expect(squash($('#slip-primaryCompletionDate .chart-summary').text())).toMatch(
      /^30 Jun 2023 \(actual\), as given since the record of \d+ \w+ \d{4}; never changed\.$/,
    );
    expect(squash($('#slip-startDate .chart-summary').text())).toMatch(/^1 Mar 2022 \(actual\), as given since/);
  });
});
