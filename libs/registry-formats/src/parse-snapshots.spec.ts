import { readFileSync } from 'node:fs';
import { factsOf } from '@app/domain';
import { fixtureFiles, fixturePath, readFixture, RECEIVED_AT } from '../../../test/support/fixtures.js';
import { REGISTRY_PAGES, registryPageHtml, registryPageText } from '../../../test/support/registry-page-fixtures.js';
import { SnapshotParseError } from './errors.js';
import { detectFormat, parseSnapshots, sha256Hex } from './parse-snapshots.js';

const parse = (content: string | Uint8Array, options: Partial<Parameters<typeof parseSnapshots>[1]> = {}) =>
  parseSnapshots(content, { receivedAt: RECEIVED_AT, ...options });

const expectRejection = (content: string | Uint8Array, code: string, message: RegExp, options = {}) => {
  try {
    parse(content, options);
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotParseError);
    expect(error).toMatchObject({ code, kind: 'invalid' });
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}, but the content parsed`);
};

describe('parseSnapshots: every format, detected automatically', () => {
  it.each([
    ['ctgov-api-v2', 'NCT00973089.json', 'ctgov-api-v2-json', 'NCT00973089'],
    ['ctgov-api-v2', 'NCT02210780.json', 'ctgov-api-v2-json', 'NCT02210780'],
    ['ctgov-api-v2', 'NCT06171568.json', 'ctgov-api-v2-json', 'NCT06171568'],
    ['ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml', 'ctgov-legacy-xml', 'NCT00513591'],
    ['ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml', 'ctgov-legacy-xml', 'NCT00513591'],
    ['registry-pages', '000_9a6c380331072caa.txt', 'registry-mirror-text', 'NCT06518902'],
    ['registry-pages', '001_62d3a4c51b163d2a.txt', 'registry-mirror-text', 'NCT07197606'],
    ['registry-pages', '002_d185bd8e963bc08b.txt', 'ctgov-classic-text', 'NCT04811651'],
    ['registry-pages', '003_3bc531e48d6f61f9.txt', 'veeva-text', 'NCT05292625'],
    ['registry-pages', '004_e3c06c917fab1162.txt', 'registry-mirror-text', 'NCT06360861'],
    ['registry-pages-html', '002_d185bd8e963bc08b.html', 'ctgov-classic-html', 'NCT04811651'],
    ['registry-pages-html', '003_3bc531e48d6f61f9.html', 'veeva-html', 'NCT05292625'],
  ])('%s/%s is read as %s', (folder, file, format, nctId) => {
    const content = readFileSync(fixturePath(folder, file));
    const [snapshot, ...rest] = parse(content);
    expect(rest).toEqual([]);
    expect(snapshot).toMatchObject({ nctId, source: { format, contentSha256: sha256Hex(content) } });
  });

  it('reads every fixture file the repository carries', () => {
    const folders = ['ctgov-api-v2', 'ctgov-legacy-xml', 'registry-pages', 'registry-pages-html'];
    const files = folders.flatMap((folder) =>
      fixtureFiles(folder, '')
        .filter((name) => !name.endsWith('.md'))
        .map((name) => [folder, name]),
    );
    expect(files).toHaveLength(15);
    for (const [folder, name] of files) expect(parse(readFixture(folder!, name!))).toHaveLength(1);
  });

  it('gives each page as HTML the same facts as its saved text', () => {
    for (const page of REGISTRY_PAGES) {
      expect(factsOf(parse(registryPageHtml(page))[0]!)).toEqual(factsOf(parse(registryPageText(page))[0]!));
    }
  });

  it('yields one snapshot per study of an API v2 search page', () => {
    const studies = ['NCT00973089', 'NCT02210780', 'NCT06171568'].map((id) =>
      JSON.parse(readFixture('ctgov-api-v2', `${id}.json`)),
    );
    const snapshots = parse(JSON.stringify({ studies, nextPageToken: 'abc' }));
    expect(snapshots.map((snapshot) => snapshot.nctId)).toEqual(['NCT00973089', 'NCT02210780', 'NCT06171568']);
  });

  it('refuses a search page with a study it cannot read, saying which study', () => {
    const studies = ['NCT00973089', 'NCT02210780', 'NCT06171568'].map((id) =>
      JSON.parse(readFixture('ctgov-api-v2', `${id}.json`)),
    );
    delete studies[1].protocolSection.identificationModule.nctId;
    expectRejection(JSON.stringify({ studies }), 'snapshot.missing-nct-id', /^Study 2 of the search page's 3: .*nctId/);
    studies[1] = { hasResults: false };
    expectRejection(JSON.stringify({ studies }), 'snapshot.not-a-trial-record', /^Study 2 of the search page's 3: /);
    studies[1] = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    studies[2].protocolSection.identificationModule.briefTitle = 'Lone \ud800 surrogate';
    expectRejection(
      JSON.stringify({ studies }),
      'snapshot.malformed',
      /NCT06171568's briefTitle holds half of a UTF-16/,
    );
  });

  it('reads a history version document ({ studyVersion, study })', () => {
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT00973089.json'));
    expect(parse(JSON.stringify({ studyVersion: 3, study }))[0]!.nctId).toBe('NCT00973089');
  });

  it('takes the observation time from the caller, else the document, else the time received', () => {
    const xml = readFixture('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml');
    expect(parse(xml)[0]!.source.observedAt).toBe('2016-06-29T00:00:00.000Z');
    expect(parse(xml, { observedAt: '2016-07-01T12:00:00.000Z' })[0]!.source.observedAt).toBe(
      '2016-07-01T12:00:00.000Z',
    );
    expect(parse(registryPageText('003_3bc531e48d6f61f9'))[0]!.source.observedAt).toBe(RECEIVED_AT);
  });

  it('reads a page as the format it is told', () => {
    const [snapshot] = parse(registryPageHtml('002_d185bd8e963bc08b'), { format: 'ctgov-classic-html' });
    expect(snapshot!.source.format).toBe('ctgov-classic-html');
  });

  it('reads a page saved in the encoding it declares (GBK, as Chinese Windows saves "ANSI") with the characters it holds', () => {
    // GBK's two-byte codes, read off the platform's own decoder.
    const gbkCodes = new Map<string, number[]>();
    const gbk = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        const character = gbk.decode(Uint8Array.of(lead, trail));
        if (character.length === 1 && !gbkCodes.has(character)) gbkCodes.set(character, [lead, trail]);
      }
    }
    const toGbk = (text: string): Uint8Array =>
      Uint8Array.from(
        [...text].flatMap((character) => (character < '\u0080' ? [character.charCodeAt(0)] : gbkCodes.get(character)!)),
      );
    const html = registryPageHtml('002_d185bd8e963bc08b').replace('<meta charset="utf-8">', '<meta charset="gbk">');
    const utf8 = parse(Buffer.from(html, 'utf8'))[0]!;
    expect(utf8.eligibility!.criteria).toContain('group A(6-24 hours)\u3001group B');
    expect(factsOf(parse(toGbk(html))[0]!)).toEqual(factsOf(utf8));
    const xml = readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml')
      .replace('encoding="UTF-8"', 'encoding="GBK"')
      .replace('Duke Autoimmunity in Pregnancy Registry</brief_title>', '\u675c\u514b\u5927\u5b66</brief_title>');
    expect(parse(toGbk(xml))[0]!.briefTitle).toBe('\u675c\u514b\u5927\u5b66');
  });

  it('reads a file saved as UTF-16 with its byte-order mark (Notepad\'s "Unicode") as its UTF-8 copy reads', () => {
    const xml = readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml').replace(
      'Duke Autoimmunity in Pregnancy Registry</brief_title>',
      'Registre \u00e9tude \u675c\u514b</brief_title>',
    );
    const utf8 = parse(Buffer.from(xml, 'utf8'))[0]!;
    const littleEndian = Buffer.concat([Uint8Array.of(0xff, 0xfe), Buffer.from(xml, 'utf16le')]);
    const bigEndian = Buffer.from(littleEndian).swap16();
    expect(parse(littleEndian)[0]!.briefTitle).toBe('Registre \u00e9tude \u675c\u514b');
    expect(factsOf(parse(littleEndian)[0]!)).toEqual(factsOf(utf8));
    expect(factsOf(parse(bigEndian)[0]!)).toEqual(factsOf(utf8));
    // The mark, then bytes that are not UTF-16 (half a surrogate pair): refused, not misread.
    expectRejection(Uint8Array.of(0xff, 0xfe, 0x3c, 0x00, 0x00, 0xd8, 0x3e, 0x00), 'snapshot.malformed', /UTF-16LE/);
  });

  it('refuses a document in an encoding it declares but trialwatch cannot read, naming it', () => {
    const html = registryPageHtml('002_d185bd8e963bc08b').replace(
      '<meta charset="utf-8">',
      '<meta charset="x-unheard-of">',
    );
    expectRejection(
      Buffer.concat([Buffer.from(html, 'utf8'), Uint8Array.of(0xa1, 0xa2)]),
      'snapshot.malformed',
      /x-unheard-of/,
    );
  });

  it('reads a page saved as Windows-1252 ("ANSI") with the same characters as its UTF-8 copy', () => {
    // Characters outside Latin-1 as "?", then one right single quote, which Windows-1252 writes as byte 0x92.
    const text = readFixture('registry-pages', '002_d185bd8e963bc08b.txt')
      .replace(/[^\u0000-\u00ff]/g, '?')
      .replace("Parkinson's", 'Parkinson\u2019s');
    const utf8 = parse(Buffer.from(text, 'utf8'))[0]!;
    const ansi = parse(Buffer.from(text.replace('\u2019', '\u0092'), 'latin1'))[0]!;
    expect(utf8.eligibility!.criteria).toContain('Parkinson\u2019s');
    expect(ansi.eligibility!.criteria).toBe(utf8.eligibility!.criteria);
  });

  it('reads bytes that are not UTF-8 in the charset their Content-Type names, and UTF-8 as UTF-8 whatever it names', () => {
    const text = readFixture('registry-pages', '002_d185bd8e963bc08b.txt').replace(/[^\u0000-\u007f]/g, '?');
    const polish = text.replace("Parkinson's", 'Parkinson (Łódź)');
    const windows1250 = Buffer.from(text.replace("Parkinson's", 'Parkinson (\xa3\xf3d\x9f)'), 'latin1');
    const utf8 = parse(Buffer.from(polish, 'utf8'))[0]!;
    expect(utf8.eligibility!.criteria).toContain('Parkinson (Łódź)');
    expect(factsOf(parse(windows1250, { mediaType: 'text/plain; charset="Windows-1250"' })[0]!)).toEqual(factsOf(utf8));
    // Clients that label every body ISO-8859-1 by default: UTF-8 bytes are still read as UTF-8.
    expect(parse(Buffer.from(polish, 'utf8'), { mediaType: 'text/plain; charset=ISO-8859-1' })[0]).toEqual(utf8);
    expectRejection(windows1250, 'snapshot.malformed', /charset "x-unheard-of"/, {
      mediaType: 'text/plain; charset=x-unheard-of',
    });
    // An odd number of bytes is no UTF-16.
    expectRejection(
      Buffer.concat([Buffer.from(polish, 'utf16le'), Uint8Array.of(0x41)]),
      'snapshot.malformed',
      /UTF-16LE/i,
      {
        mediaType: 'text/plain; charset=utf-16le',
      },
    );
    expectRejection(Buffer.from(polish, 'utf16le'), 'snapshot.binary', /binary/);
  });

  it('detects formats by their content', () => {
    expect(detectFormat('  {"protocolSection": {}}')).toBe('json');
    expect(detectFormat('<?xml version="1.0"?><clinical_study>')).toBe('legacy-xml');
    expect(detectFormat('<!DOCTYPE html><html><body>')).toBe('html');
    expect(detectFormat('NCT ID: NCT06518902')).toBe('text');
  });
});

describe('parseSnapshots: other identifiers, merged NCT IDs and FDA regulation', () => {
  const org = (id: string) => ({ id, type: 'ORG_STUDY_ID', domain: null });
  const untyped = (id: string) => ({ id, type: null, domain: null });

  it.each([
    [
      'ctgov-api-v2',
      'NCT06171568.json',
      [org('APHP230528'), { id: '2023-A00386-39', type: 'OTHER', domain: 'IDRCB' }],
      [],
      false,
    ],
    ['ctgov-api-v2', 'NCT00973089.json', [org('LSA001-HMO-CTIL')], [], null],
    ['ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml', [org('Pro00000756')], [], false],
    ['ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml', [org('Pro00000756')], [], null],
    ['registry-pages', '000_9a6c380331072caa.txt', [org('MSCTAISP-01')], null, null],
    [
      'registry-pages',
      '004_e3c06c917fab1162.txt',
      [{ id: 'IR.TUMS.MEDICINE.REC.1400.197', type: 'OTHER_GRANT', domain: null }, org('1400-1-233-51589')],
      null,
      null,
    ],
    ['registry-pages', '002_d185bd8e963bc08b.txt', [untyped('k(2019)46')], null, false],
    ['registry-pages', '003_3bc531e48d6f61f9.txt', [untyped('VinmecISC1809')], null, null],
  ])('%s/%s', (folder, file, secondaryIds, nctIdAliases, fdaRegulated) => {
    const [snapshot] = parse(readFileSync(fixturePath(folder, file)));
    expect({
      secondaryIds: snapshot!.secondaryIds,
      nctIdAliases: snapshot!.nctIdAliases,
      fdaRegulated: snapshot!.fdaRegulated,
    }).toEqual({ secondaryIds, nctIdAliases, fdaRegulated });
  });

  it('reads merged NCT IDs and the drug and device flags of an API v2 record', () => {
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT06171568.json'));
    study.protocolSection.identificationModule.nctIdAliases = ['nct01111111', 'NCT02222222'];
    study.protocolSection.oversightModule.isFdaRegulatedDevice = true;
    const [snapshot] = parse(JSON.stringify(study));
    expect(snapshot).toMatchObject({ nctIdAliases: ['NCT01111111', 'NCT02222222'], fdaRegulated: true });
  });

  it('reads secondary IDs, aliases and the 2017 flags of legacy XML', () => {
    const xml = readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml')
      .replace(
        '<nct_id>NCT00513591</nct_id>',
        '<secondary_id>2007-001234-56</secondary_id><nct_id>NCT00513591</nct_id><nct_alias>NCT00000042</nct_alias>',
      )
      .replace(
        '<has_dmc>No</has_dmc>',
        '<has_dmc>No</has_dmc><is_fda_regulated_drug>Yes</is_fda_regulated_drug><is_fda_regulated_device>No</is_fda_regulated_device>',
      );
    const [snapshot] = parse(xml);
    expect(snapshot).toMatchObject({
      secondaryIds: [org('Pro00000756'), untyped('2007-001234-56')],
      nctIdAliases: ['NCT00000042'],
      fdaRegulated: true,
    });
  });

  it('a fields= document that asks for none of them leaves them unknown', () => {
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT06171568.json'));
    delete study.derivedSection;
    delete study.protocolSection.identificationModule.orgStudyIdInfo;
    delete study.protocolSection.identificationModule.secondaryIdInfos;
    delete study.protocolSection.oversightModule;
    const [snapshot] = parse(JSON.stringify(study));
    expect(snapshot).toMatchObject({ secondaryIds: null, nctIdAliases: null, fdaRegulated: null });
  });
});

describe('parseSnapshots: bad input gets a typed error naming the problem', () => {
  it('refuses an empty file', () => {
    expectRejection('', 'snapshot.empty', /empty/);
    expectRejection('  \n\t ', 'snapshot.empty', /empty/);
  });

  it('refuses binary data', () => {
    expectRejection(
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'snapshot.binary',
      /binary/,
    );
  });

  it('refuses truncated JSON, saying it cannot be parsed', () => {
    const json = readFixture('ctgov-api-v2', 'NCT02210780.json');
    expectRejection(json.slice(0, json.length / 2), 'snapshot.malformed', /JSON cannot be parsed/);
  });

  it('refuses JSON that is not a study', () => {
    expectRejection('{"hello": "world"}', 'snapshot.not-a-trial-record', /protocolSection/);
    expectRejection('{"studies": []}', 'snapshot.not-a-trial-record', /no studies/);
  });

  it('refuses legacy XML without nct_id, naming the element', () => {
    const xml = readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml').replace(/<nct_id>[^<]*<\/nct_id>/, '');
    expectRejection(xml, 'snapshot.missing-nct-id', /<nct_id>/);
  });

  it('refuses XML that is not a clinical study', () => {
    expectRejection(
      '<?xml version="1.0"?><rss><channel></channel></rss>',
      'snapshot.not-a-trial-record',
      /clinical_study/,
    );
  });

  it('refuses a page of some other site', () => {
    const news =
      '<html><head><title>Health news</title></head><body><h1>New stroke study</h1><p>NCT01234567 is recruiting.</p></body></html>';
    expectRejection(news, 'snapshot.not-a-trial-record', /HTML page is not a trial record/);
    expectRejection('Weather today: sunny.\nTomorrow: rain.', 'snapshot.not-a-trial-record', /not a trial record/);
  });

  it('refuses a record holding a NUL character written as \\u0000, naming the field', () => {
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    study.protocolSection.conditionsModule.conditions[0] = 'Asthma\u0000';
    expectRejection(JSON.stringify(study), 'snapshot.malformed', /conditions\[0\] holds a NUL character/);
    study.protocolSection.conditionsModule.conditions[0] = 'Asthma';
    study.protocolSection.contactsLocationsModule.locations[1].city = 'Bo\u0000ston';
    expectRejection(
      JSON.stringify(study),
      'snapshot.malformed',
      /^The record's locations\[1\]\.city holds a NUL character/,
    );
  });

  it('refuses a record holding half of a surrogate pair written as \\ud800, naming the field', () => {
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    study.protocolSection.identificationModule.briefTitle = 'A \ud800 title';
    expectRejection(JSON.stringify(study), 'snapshot.malformed', /briefTitle holds half of a UTF-16 surrogate pair/);
    // A whole pair is a character like any other.
    study.protocolSection.identificationModule.briefTitle = 'A \ud83d\ude00 title';
    expect(parse(JSON.stringify(study))[0]!.briefTitle).toBe('A \u{1F600} title');
  });

  it('refuses a 20 MB file before reading it', () => {
    const huge = Buffer.alloc(20 * 1024 * 1024, 0x20);
    expectRejection(huge, 'snapshot.too-large', /20971520 bytes; the limit is 16777216/);
  });
});
