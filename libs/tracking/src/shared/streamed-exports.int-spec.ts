import { Controller, Get, Query, Res, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import { DomainError } from '@app/domain';
import { DomainErrorFilter } from '@app/infrastructure';
import { type CsvColumn, streamCsv, streamJsonLines } from './csv-export.js';

class StoreRefusedError extends DomainError {
  readonly code = 'request.refused-filter';
  readonly kind = 'invalid' as const;
}

interface Row {
  n: number;
}

const COLUMNS: CsvColumn<Row>[] = [{ header: 'n', value: (row) => row.n }];

/** Three pages of rows; `failAt` names the page whose read fails (1: the first). */
async function* pages(failAt: number | null): AsyncGenerator<Row[]> {
  for (let page = 1; page <= 3; page += 1) {
    if (page === failAt) {
      throw page === 1 ? new StoreRefusedError('the store refused the filter') : new Error('connection lost');
    }
    yield Array.from({ length: 1000 }, (_, index) => ({ n: (page - 1) * 1000 + index }));
  }
}

@Controller('exports')
class ExportsUnderTest {
  @Get('rows.csv')
  async csv(@Query('failAt') failAt: string | undefined, @Res() response: Response): Promise<void> {
    await streamCsv(response, 'rows.csv', COLUMNS, pages(failAt ? Number(failAt) : null));
  }

  @Get('rows.jsonl')
  async jsonl(@Query('failAt') failAt: string | undefined, @Res() response: Response): Promise<void> {
    await streamJsonLines(response, 'rows.jsonl', pages(failAt ? Number(failAt) : null));
  }
}

describe('streamed exports over HTTP, as the api serves them', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ExportsUnderTest] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalFilters(new DomainErrorFilter());
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(['csv', 'jsonl'])('%s: every row of every page, in a download that ends as a whole one', async (format) => {
    const response = await fetch(`${baseUrl}/exports/rows.${format}`);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n');
    expect(lines).toHaveLength(format === 'csv' ? 3001 : 3000);
    expect(lines.at(-1)).toBe(format === 'csv' ? '2999' : '{"n":2999}');
  });

  it.each(['csv', 'jsonl'])('%s: a failure reading the first page is an error response naming it', async (format) => {
    const response = await fetch(`${baseUrl}/exports/rows.${format}?failAt=1`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: 'request.refused-filter' });
  });

  it.each(['csv', 'jsonl'])(
    '%s: a failure after the download began breaks it off, never a short file that looks whole',
    async (format) => {
      // The rows before the failure may or may not reach the client; the download must not complete.
      const download = await fetch(`${baseUrl}/exports/rows.${format}?failAt=3`).then(
        (response) =>
          response.text().then(
            () => 'complete',
            () => 'broken off',
          ),
        () => 'broken off',
      );
      expect(download).toBe('broken off');
    },
  );
});
