import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's own copies of the registry fixtures. */
export const FIXTURES_DIR = join(process.cwd(), 'test', 'fixtures');

export const fixturePath = (...parts: string[]): string => join(FIXTURES_DIR, ...parts);

export const readFixture = (...parts: string[]): string => readFileSync(fixturePath(...parts), 'utf8');

export const fixtureFiles = (folder: string, extension: string): string[] =>
  readdirSync(fixturePath(folder))
    .filter((name) => name.endsWith(extension))
    .sort();

export const RECEIVED_AT = '2026-01-15T10:00:00.000Z';
