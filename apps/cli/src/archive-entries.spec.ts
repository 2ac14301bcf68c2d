import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { readArchiveEntries } from './archive-entries.js';
import { expandInputs } from './input-files.js';

const zipOf = async (entries: Record<string, string>): Promise<Buffer> => {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
};

describe('a folder and the same folder zipped read the same files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-archive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes every snapshot extension, a saved page named *.text among them, and skips other and hidden files', async () => {
    const page = 'NCT ID: NCT07197606\n';
    const files = {
      'study.json': '{}',
      'study.xml': '<clinical_study/>',
      'page.txt': page,
      'page.text': page,
      'page.html': '<p></p>',
      'page.htm': '<p></p>',
      'notes.md': '# notes',
      '.hidden.txt': page,
    };
    mkdirSync(join(dir, 'pages'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'pages', name), text);
    writeFileSync(join(dir, 'pages.zip'), await zipOf(files));

    const fromFolder = (await expandInputs([join(dir, 'pages')])).map((file) => file.name.split('/').at(-1));
    const fromArchive: string[] = [];
    for await (const entry of readArchiveEntries(join(dir, 'pages.zip'), { maxBytes: 1 << 20 })) {
      fromArchive.push(entry.name);
    }
    expect(fromFolder).toEqual(['page.htm', 'page.html', 'page.text', 'page.txt', 'study.json', 'study.xml']);
    expect(fromArchive.sort()).toEqual(fromFolder);
  });

  it('reads a file linked into a folder as the file it names', async () => {
    mkdirSync(join(dir, 'elsewhere'));
    mkdirSync(join(dir, 'pages'));
    writeFileSync(join(dir, 'elsewhere', 'study.json'), '{"linked": true}');
    writeFileSync(join(dir, 'pages', 'own.json'), '{}');
    symlinkSync(join(dir, 'elsewhere', 'study.json'), join(dir, 'pages', 'linked.json'));

    const files = await expandInputs([join(dir, 'pages')]);
    expect(files.map((file) => file.name.split('/').at(-1))).toEqual(['linked.json', 'own.json']);
    expect((await files[0]!.read()).toString()).toBe('{"linked": true}');
  });
});
