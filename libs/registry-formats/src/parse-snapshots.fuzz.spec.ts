import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fixtureFiles, fixturePath, RECEIVED_AT } from '../../../test/support/fixtures.js';
import { SnapshotParseError } from './errors.js';
import { parseSnapshots } from './parse-snapshots.js';

/**
 * Hostile and broken input: every outcome must be a snapshot or a SnapshotParseError, never another
 * exception, and never a hang (a parse taking a second or more is a failure, whatever its result).
 */

const HANG_MS = 1000;

const CORPUS = ['ctgov-api-v2', 'ctgov-legacy-xml', 'registry-pages', 'registry-pages-html'].flatMap((folder) =>
  fixtureFiles(folder, '')
    .filter((name) => !name.endsWith('.md'))
    .map((name) => ({ name: `${folder}/${name}`, bytes: readFileSync(fixturePath(folder, name)) })),
);

type Outcome = { parsed: number } | { rejected: SnapshotParseError['code'] };

const outcomeOf = (content: string | Uint8Array, label: string): Outcome => {
  const started = performance.now();
  let outcome: Outcome;
  try {
    const snapshots = parseSnapshots(content, { receivedAt: RECEIVED_AT });
    for (const snapshot of snapshots) expect(snapshot.nctId).toMatch(/^NCT\d{8}$/);
    outcome = { parsed: snapshots.length };
  } catch (error) {
    if (!(error instanceof SnapshotParseError)) {
      throw new Error(`${label}: ${(error as Error)?.constructor?.name ?? typeof error} instead of a typed error`, {
        cause: error,
      });
    }
    outcome = { rejected: error.code };
  }
  const elapsed = performance.now() - started;
  if (elapsed >= HANG_MS) throw new Error(`${label}: took ${Math.round(elapsed)} ms`);
  return outcome;
};

const rejectedWith = (outcome: Outcome): string | undefined => ('rejected' in outcome ? outcome.rejected : undefined);

describe('parser fuzzing: broken and hostile input always ends in a snapshot or a typed error', () => {
  it('survives every fixture truncated at 40 points', () => {
    for (const { name, bytes } of CORPUS) {
      for (let cut = 0; cut < 40; cut += 1) {
        const length = Math.floor((bytes.length * cut) / 40);
        outcomeOf(bytes.subarray(0, length), `${name} cut at ${length}`);
      }
    }
  });

  it('rejects truncated JSON and XML documents as malformed or incomplete, never half-read', () => {
    for (const { name, bytes } of CORPUS.filter((file) => /\.(json|xml)$/.test(file.name))) {
      const outcome = outcomeOf(bytes.subarray(0, Math.floor(bytes.length / 2)), `${name} cut in half`);
      expect(rejectedWith(outcome)).toMatch(/^snapshot\.(malformed|not-a-trial-record|missing-nct-id)$/);
    }
  });

  it('survives random byte corruption of every fixture', () => {
    for (const { name, bytes } of CORPUS) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 12,
          }),
          (edits) => {
            const mutated = Buffer.from(bytes);
            for (const [at, value] of edits) mutated[at] = value;
            outcomeOf(mutated, `${name} with bytes ${JSON.stringify(edits)}`);
          },
        ),
        { numRuns: 25, seed: 20261202 },
      );
    }
  });

  it('survives random strings spliced into every fixture', () => {
    for (const { name, bytes } of CORPUS) {
      const text = bytes.toString('utf8');
      fc.assert(
        fc.property(fc.nat({ max: text.length }), fc.string({ unit: 'binary', maxLength: 64 }), (at, inserted) => {
          outcomeOf(text.slice(0, at) + inserted + text.slice(at), `${name} with ${JSON.stringify(inserted)} at ${at}`);
        }),
        { numRuns: 20, seed: 7 },
      );
    }
  });

  it('reads wrong encodings as a typed error or the same record, never garbage', () => {
    for (const { name, bytes } of CORPUS) {
      const text = bytes.toString('utf8');
      // UTF-16 puts NUL bytes between ASCII characters: refused as binary, not read as mojibake.
      expect(rejectedWith(outcomeOf(Buffer.from(text, 'utf16le'), `${name} as UTF-16LE`))).toBe('snapshot.binary');
      // As a Latin-1 export writes it: characters outside Latin-1 become "?".
      const latin1Text = text.replace(/[^\u0000-\u00ff]/g, '?');
      const latin1 = outcomeOf(Buffer.from(latin1Text, 'latin1'), `${name} as Latin-1`);
      expect(latin1).toEqual({ parsed: 1 });
    }
  });

  it('handles a huge field without a hang', () => {
    const huge = 'x'.repeat(8 * 1024 * 1024);
    const study = JSON.parse(readFileSync(fixturePath('ctgov-api-v2', 'NCT00973089.json'), 'utf8'));
    study.protocolSection.identificationModule.briefTitle = huge;
    expect(outcomeOf(JSON.stringify(study), 'API v2 with an 8 MB title')).toEqual({ parsed: 1 });

    const xml = readFileSync(fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml'), 'utf8');
    // fast-xml-parser reads a text node in time linear but slow (about 2 s for 8 MB): 1 MB stays well inside the bound.
    const hugeXml = xml.replace('<brief_title>', `<brief_title>${huge.slice(0, 1024 * 1024)}`);
    expect(outcomeOf(hugeXml, 'legacy XML with a 1 MB title')).toEqual({ parsed: 1 });

    const page = readFileSync(fixturePath('registry-pages', '000_9a6c380331072caa.txt'), 'utf8');
    expect(outcomeOf(`${page}\n${'word '.repeat(1_500_000)}\n`, 'page with a 7 MB line')).toEqual({
      rejected: 'snapshot.malformed',
    });
    expect(outcomeOf(`${page}\n${'word '.repeat(30_000)}\n`, 'page with a 150 KB line')).toEqual({ parsed: 1 });
    expect(outcomeOf(`${page}\n${' '.repeat(4 * 1024 * 1024)}x\n`, 'page with 4 MB of spaces')).toEqual({ parsed: 1 });
    const deepHtml = `<html><body>${'<div>'.repeat(200_000)}${page}</body></html>`;
    expect(outcomeOf(deepHtml, 'HTML with 200,000 unclosed divs')).toEqual({ rejected: 'snapshot.malformed' });
    const html = readFileSync(fixturePath('registry-pages-html', '002_d185bd8e963bc08b.html'), 'utf8');
    const wrapped = html.replace(/<body([^>]*)>/, `<body$1>${'<div>'.repeat(500)}`);
    expect(outcomeOf(wrapped, 'a page wrapped in 500 divs')).toEqual({ parsed: 1 });
  });

  it('reads a long line of table cell separators in time linear in its length', () => {
    // Pages end a row's cells with ` |`; a line of nothing but separators, 180,000 characters long and
    // within the line limit, must not take a time quadratic in its length (minutes) to strip.
    const separators = `${' |'.repeat(90_000)} x`;
    for (const name of ['000_9a6c380331072caa.txt', '002_d185bd8e963bc08b.txt']) {
      const page = readFileSync(fixturePath('registry-pages', name), 'utf8');
      for (const line of [`Sponsor: |${separators}`, `Study Type :${separators}`, `Sex${separators}`, separators]) {
        expect(outcomeOf(`${page}\n${line}\n`, `${name} with ${line.slice(0, 12)}…`)).toEqual({ parsed: 1 });
        expect(outcomeOf(`${line}\n${page}`, `${name} after ${line.slice(0, 12)}…`)).toEqual({ parsed: 1 });
      }
    }
  });

  it('reads a long run of spaces inside a line of a record in time linear in its length', () => {
    // Spaces in the middle of a line, not at its end: stripping trailing space must not retry the run from each space.
    const spaced = `a${' '.repeat(200_000)}b`;
    const study = JSON.parse(readFileSync(fixturePath('ctgov-api-v2', 'NCT00973089.json'), 'utf8'));
    study.protocolSection.eligibilityModule.eligibilityCriteria = `Inclusion Criteria:\n${spaced}\n`;
    expect(outcomeOf(JSON.stringify(study), 'API v2 criteria with 200,000 spaces inside a line')).toEqual({
      parsed: 1,
    });

    const xml = readFileSync(fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml'), 'utf8');
    const criteria = xml.replace('<criteria>\n      <textblock>', `<criteria>\n      <textblock>${spaced}\n`);
    expect(criteria).not.toBe(xml);
    expect(outcomeOf(criteria, 'legacy XML criteria with 200,000 spaces inside a line')).toEqual({ parsed: 1 });
    const model = xml.replace(
      '</clinical_study>',
      `<study_design_info><intervention_model>Parallel${' '.repeat(200_000)}x</intervention_model></study_design_info></clinical_study>`,
    );
    expect(model).not.toBe(xml);
    expect(outcomeOf(model, 'legacy XML intervention model with 200,000 spaces')).toEqual({ parsed: 1 });
  });

  it('reads a line of thousands of repeated words in time linear in its length', () => {
    // A line of repeated words is what the reader splits into run-together terms: trying every stretch of
    // it took a time cubic in its words (seconds for 8,000, minutes for 20,000).
    const lines = readFileSync(fixturePath('registry-pages-html', '002_d185bd8e963bc08b.html'), 'utf8').split('\n');
    const page = [...lines.slice(0, 54), `<table class="layout"> ${': '.repeat(8_000)}x`, ...lines.slice(54)].join(
      '\n',
    );
    expect(outcomeOf(page, 'classic page with 8,000 repeated words on a line')).toEqual({ parsed: 1 });
  });

  it('rejects deeply nested documents without a stack overflow', () => {
    const depth = 200_000;
    outcomeOf(`{"protocolSection":${'['.repeat(depth)}${']'.repeat(depth)}}`, 'JSON nested 200,000 deep');
    outcomeOf(`{"studies":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`, 'search page nested 200,000 deep');
    const nestedXml = `<?xml version="1.0"?><clinical_study>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</clinical_study>`;
    expect(rejectedWith(outcomeOf(nestedXml, 'XML nested 200,000 deep'))).toMatch(/^snapshot\./);
  });

  it('does not expand XML entities exponentially (billion laughs) or read external ones', () => {
    const levels = Array.from(
      { length: 9 },
      (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
    ).join('');
    const billionLaughs =
      `<?xml version="1.0"?><!DOCTYPE clinical_study [<!ENTITY lol0 "lol">${levels}]>` +
      `<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><brief_title>&lol9;</brief_title></clinical_study>`;
    // The parser expands no entity defined in terms of others; a reference to one is refused, not kept as text.
    expect(outcomeOf(billionLaughs, 'billion laughs')).toEqual({ rejected: 'snapshot.malformed' });

    const external =
      `<?xml version="1.0"?><!DOCTYPE clinical_study [<!ENTITY secret SYSTEM "file:///etc/passwd">]>` +
      `<clinical_study><id_info><nct_id>NCT00000002</nct_id></id_info><brief_title>&secret;</brief_title></clinical_study>`;
    expect(outcomeOf(external, 'external entity')).toEqual({ rejected: 'snapshot.malformed' });
  });
});
