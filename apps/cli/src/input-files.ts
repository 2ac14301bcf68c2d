import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface InputFile {
  /** The path as given, or `-` for standard input. */
  name: string;
  read: () => Promise<Buffer>;
}

const SNAPSHOT_EXTENSIONS = /\.(json|xml|txt|html?|text)$/i;

/** A file of a folder or an entry of an archive that holds a snapshot: a snapshot extension, not hidden. */
export const isSnapshotFileName = (path: string): boolean =>
  SNAPSHOT_EXTENSIONS.test(path) && !basename(path).startsWith('.');

const readStdin = async (): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

/** Files to read from the arguments: files as given, directories expanded (recursively, snapshot extensions only), `-` as stdin. */
export const expandInputs = async (paths: string[]): Promise<InputFile[]> => {
  const files: InputFile[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push({ name: '-', read: readStdin });
      continue;
    }
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      entries
        // A link is read as what it names: a file linked into the folder is one of its files.
        .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isSnapshotFileName(entry.name))
        .map((entry) => join(entry.parentPath, entry.name))
        .sort()
        .forEach((file) => files.push({ name: file, read: () => readFile(file) }));
    } else {
      files.push({ name: path, read: () => readFile(path) });
    }
  }
  return files;
};
