import yazl from 'yazl';
import { studyVersion } from './study-versions.js';

/** NCT IDs of generated studies: `NCT` and eight digits, the first one `series`. */
export const generatedNctIds = (series: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `NCT${series}${String(i + 1).padStart(7, '0')}`);

/**
 * A ZIP archive shaped like the registry's all-studies JSON download: one API v2 study document per
 * file, deflated; `extra` entries (a folder, a non-study file) are added as a real download may hold them.
 */
export const studyArchive = async (
  nctIds: string[],
  extra: { folder?: string; file?: string } = {},
): Promise<Buffer> => {
  const zip = new yazl.ZipFile();
  if (extra.folder) zip.addEmptyDirectory(extra.folder);
  if (extra.file) zip.addBuffer(Buffer.from('nct_id,title\n'), extra.file);
  for (const nctId of nctIds) zip.addBuffer(Buffer.from(studyVersion(0, nctId)), `${nctId}.json`);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
};
