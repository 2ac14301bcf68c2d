import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig, Clock, Database } from '@app/infrastructure';
import { sha256Hex, SnapshotParseError } from '@app/registry-formats';
import { AcceptSnapshotCommand } from '../accept-snapshot/accept-snapshot.command.js';

const SNAPSHOT_FILE = /\.(json|xml|txt|html?)$/i;
/** What `read` answers for a path that has become a symbolic link. */
const SYMBOLIC_LINK = Symbol('symbolic link');
/** A file modified this recently may still be being written. */
const SETTLE_MS = 2_000;

export interface ScanReport {
  accepted: number;
  rejected: number;
}

/** Ingests each new file of the drop folder once: a file is new while its (path, content) pair has not been seen. */
@Injectable()
export class DropFolderScanner {
  private readonly logger = new Logger(DropFolderScanner.name);
  /** Files passed over (path, size and modification time), so each is reported once, not at every scan. */
  private readonly passedOver = new Set<string>();

  constructor(
    private readonly commandBus: CommandBus,
    private readonly database: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async scan(): Promise<ScanReport> {
    const folder = this.config.dropFolder;
    const report: ScanReport = { accepted: 0, rejected: 0 };
    if (!folder) return report;
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    const now = this.clock.now().getTime();
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(entry.parentPath, entry.name);
      const name = relative(folder, path);
      // Not followed: whoever may write the folder would have the worker read, keep and serve any file it can
      // read. Said for a link of any name, as a link to a folder of snapshots has no snapshot's extension.
      if (entry.isSymbolicLink()) {
        this.passOver(
          `${name} link`,
          `Drop folder file ${name} skipped: a symbolic link is not followed; copy or move the file in`,
        );
        continue;
      }
      if (!SNAPSHOT_FILE.test(entry.name)) continue;
      if (!entry.isFile()) continue;
      // A file that cannot be read is passed over, said once; the files after it are still read.
      const content = await this.read(path, name, now);
      if (content === SYMBOLIC_LINK) {
        this.passOver(
          `${name} link`,
          `Drop folder file ${name} skipped: a symbolic link is not followed; copy or move the file in`,
        );
        continue;
      }
      if (!content) continue;
      const sha256 = sha256Hex(content);
      const [seen] = await this.database.query('SELECT 1 FROM drop_folder_files WHERE path = $1 AND sha256 = $2', [
        name,
        sha256,
      ]);
      if (seen) continue;
      let ingestionId: string | null;
      let outcome = 'accepted';
      try {
        ingestionId = (
          await this.commandBus.execute(new AcceptSnapshotCommand({ content, mediaType: null, source: 'drop-folder' }))
        ).ingestionId;
        report.accepted += 1;
      } catch (error) {
        if (!(error instanceof SnapshotParseError)) throw error;
        ingestionId = (error.details['ingestionId'] as string | undefined) ?? null;
        outcome = 'rejected';
        report.rejected += 1;
        this.logger.warn(`Drop folder file ${name} rejected: ${error.message}`);
      }
      await this.database.execute(
        `INSERT INTO drop_folder_files (path, sha256, ingestion_id, outcome) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [name, sha256, ingestionId, outcome],
      );
    }
    return report;
  }

  /**
   * The file's content once it has settled; null (said once per version of the file) when it is too large
   * or unreadable. Opened without following a link and read from what was opened: a file listed as a
   * plain one and since swapped for a link (or a pipe) is not read through it.
   */
  private async read(path: string, name: string, now: number): Promise<Buffer | null | typeof SYMBOLIC_LINK> {
    let version = name;
    let file;
    try {
      file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') return SYMBOLIC_LINK;
      this.passOver(version, `Drop folder file ${name} cannot be read: ${(error as Error).message}`);
      return null;
    }
    try {
      const info = await file.stat();
      if (!info.isFile()) return null;
      if (now - info.mtimeMs < SETTLE_MS) return null;
      version = `${name} ${info.size} ${info.mtimeMs}`;
      // Refused unread, as POST /snapshots refuses it (snapshot.too-large, not kept).
      if (info.size > this.config.maxSnapshotBytes) {
        this.passOver(
          version,
          `Drop folder file ${name} skipped: snapshot.too-large: ${info.size} bytes, the limit is ${this.config.maxSnapshotBytes} (MAX_SNAPSHOT_BYTES)`,
        );
        return null;
      }
      return await file.readFile();
    } catch (error) {
      this.passOver(version, `Drop folder file ${name} cannot be read: ${(error as Error).message}`);
      return null;
    } finally {
      await file.close();
    }
  }

  private passOver(version: string, message: string): void {
    if (this.passedOver.has(version)) return;
    this.passedOver.add(version);
    this.logger.warn(message);
  }
}
