import { Injectable } from '@nestjs/common';
import { streamIdOf } from '@app/domain';
import { Database, type Sql } from '@app/infrastructure';
import { TrialNotFoundError } from './trial-not-found.error.js';

/** Whether trialwatch knows a trial: its stream exists (its read models may still be catching up). */
@Injectable()
export class TrialLookup {
  constructor(private readonly database: Database) {}

  async assertKnown(nctId: string, sql: Sql = this.database): Promise<number> {
    const [row] = await sql.query<{ version: number }>('SELECT version FROM streams WHERE stream_id = $1', [
      streamIdOf(nctId),
    ]);
    if (!row) throw new TrialNotFoundError(nctId);
    return row.version;
  }
}
