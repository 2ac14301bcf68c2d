import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  brokenCitations,
  describeBroken,
  extractCitations,
  namesTest,
  testTitlesOf,
} from './support/readme-citations.js';

const ROOT = process.cwd();
// Dependencies, build output, test output and hidden folders (git, the embedded services' data) hold no cited test.
const NOT_SOURCES = new Set(['node_modules', 'dist', 'coverage', 'test-artifacts']);

/** The repository's files, as paths from its root (dependencies and build output left out). */
const filesUnder = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { withFileTypes: true })
    .filter((entry) => !NOT_SOURCES.has(entry.name) && !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return filesUnder(path);
      return entry.isFile() ? [path] : [];
    });

const documents = () =>
  [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ].map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

describe('the tests README.md and docs/*.md cite as proof', () => {
  it('are there: every cited spec file exists and is one file, and every quoted name is the title of a test in it', () => {
    const cited = documents();
    const broken = brokenCitations(cited, filesUnder(''), (file) => readFileSync(join(ROOT, file), 'utf8'));

    expect(describeBroken(broken).split('\n').filter(Boolean)).toEqual([]);
    // The extractor still reads the README's citations: it finds the files and the names they quote.
    const readme = extractCitations(cited[0].text);
    expect(readme.length).toBeGreaterThan(100);
    expect(readme.flatMap((citation) => citation.names).length).toBeGreaterThan(80);
  });
});

describe('reading citations and matching them to tests', () => {
  const files = [
    'libs/domain/src/trial/decide.spec.ts',
    'libs/tracking/src/a/watchlist-filter.int-spec.ts',
    'libs/tracking/src/b/watchlist-filter.int-spec.ts',
    'test/faults/three-workers.fault-spec.ts',
    'test/notifications.e2e-spec.ts',
  ];
  const sources: Record<string, string> = {
    'libs/domain/src/trial/decide.spec.ts': [
      "describe('decide', () => {",
      "  it('a newer version after an undated snapshot observed since it was posted', () => {});",
      '  it(',
      "    'keeps the trial\\'s sites when a page leaves them out, ' + 'whatever their number',",
      '    () => {},',
      '  );',
      '});',
      "it('case 9: the API record, then a page', () => {});",
      "it.skip('case 10: a page, then nothing', () => {});",
    ].join('\n'),
    'test/faults/three-workers.fault-spec.ts': [
      "describe('fault: three workers syncing', () => {",
      '  it(`keeps every process to ${RATE} request/s`, async () => {});',
      '});',
    ].join('\n'),
    'test/notifications.e2e-spec.ts': [
      "describe('notifications', () => {",
      "  describe('with the receiver down', () => {",
      "    it.each(['HTTP', 'CLI'])('delivers all 50 changes through %s', () => {});",
      '  });',
      '});',
    ].join('\n'),
  };
  const check = (markdown: string) =>
    brokenCitations([{ path: 'README.md', text: markdown }], files, (file) => sources[file]);

  it('passes a citation whose file and test exist, and names the line, file and name of one that does not', () => {
    const markdown = [
      'A paragraph.',
      '',
      'A newer version is announced (`decide.spec.ts`: "a newer version after an undated snapshot observed',
      'since it was posted"), and a page is learned (`decide.spec.ts`: "a newer page is learned, never',
      'announced").',
    ].join('\n');

    expect(check(markdown)).toEqual([
      {
        document: 'README.md',
        line: 4,
        file: 'decide.spec.ts',
        name: 'a newer page is learned, never announced',
        problem: 'no test of that title',
      },
    ]);
    expect(describeBroken(check(markdown))).toBe(
      'README.md:4: decide.spec.ts: "a newer page is learned, never announced": no test of that title',
    );
  });

  it('fails a cited file that is not there, or whose bare name two files bear', () => {
    const markdown = 'Proved (`gone.int-spec.ts`, `watchlist-filter.int-spec.ts`: "hears of the first changes").';

    expect(describeBroken(check(markdown)).split('\n')).toEqual([
      'README.md:1: gone.int-spec.ts: no such file',
      'README.md:1: watchlist-filter.int-spec.ts: names 2 files (libs/tracking/src/a/watchlist-filter.int-spec.ts, ' +
        'libs/tracking/src/b/watchlist-filter.int-spec.ts); give its path',
    ]);
  });

  it('reads the forms the README uses: lists of names, typographic apostrophes, "…", the fault suite, names that go on', () => {
    const markdown = [
      '- kept (`libs/domain/src/trial/decide.spec.ts`: “keeps the trial’s sites …, whatever their number”, "case 9").',
      '  One more (`test/notifications.e2e-spec.ts`, "with the receiver down delivers all 50 changes through CLI");',
      '  and ("delivers all 50 changes through HTTP"). Fault suite: "three workers syncing", "four workers syncing"',
      '  (`test/faults/three-workers.fault-spec.ts`). A label (the "Next page" link) is no citation.',
    ].join('\n');

    expect(
      extractCitations(markdown).map(({ line, target, names }) => [line, target, names.map((name) => name.text)]),
    ).toEqual([
      [
        1,
        { kind: 'file', file: 'libs/domain/src/trial/decide.spec.ts' },
        ['keeps the trial’s sites …, whatever their number', 'case 9'],
      ],
      [
        2,
        { kind: 'file', file: 'test/notifications.e2e-spec.ts' },
        ['with the receiver down delivers all 50 changes through CLI', 'delivers all 50 changes through HTTP'],
      ],
      [3, { kind: 'fault-suite' }, ['three workers syncing', 'four workers syncing']],
      [4, { kind: 'file', file: 'test/faults/three-workers.fault-spec.ts' }, []],
    ]);
    expect(describeBroken(check(markdown))).toBe(
      'README.md:3: fault suite (test/faults/*.fault-spec.ts): "four workers syncing": no test of that title',
    );
  });

  it('takes a skipped test for no proof', () => {
    expect(describeBroken(check('Proved (`decide.spec.ts`: "case 10").'))).toBe(
      'README.md:1: decide.spec.ts: "case 10": no test of that title',
    );
  });

  it('reads the titles of nested groups, of titles wrapped and joined, and of templates', () => {
    expect(
      testTitlesOf('decide.spec.ts', sources['libs/domain/src/trial/decide.spec.ts']).map((test) => test.titles),
    ).toEqual([
      ['decide'],
      ['decide', 'a newer version after an undated snapshot observed since it was posted'],
      ['decide', "keeps the trial's sites when a page leaves them out, whatever their number"],
      ['case 9: the API record, then a page'],
    ]);
    const [, templated] = testTitlesOf(
      'three-workers.fault-spec.ts',
      sources['test/faults/three-workers.fault-spec.ts'],
    );
    expect(namesTest('keeps every process to 1 request/s', templated)).toBe(true);
    expect(namesTest('keeps every process to 1 request/s, mostly', templated)).toBe(false);
    const test = { file: 'x.spec.ts', titles: ['watchlists', 'skips a run while another run holds its lock'] };
    expect(namesTest('skips a run while another run holds its lock', test)).toBe(true);
    expect(namesTest('watchlists skips a run … its lock', test)).toBe(true);
    expect(namesTest('skips a run', test)).toBe(false);
    expect(namesTest('skips a run while another run holds the lock', test)).toBe(false);
  });
});
