import { Injectable } from '@nestjs/common';
import { streamIdOf } from '@app/domain';
import { EventStore, type Sql } from '@app/infrastructure';
import { TrialNotFoundError } from '../trial-not-found.error.js';

/** Whether trialwatch knows a trial: its stream exists (its read models may still be catching up). */
@Injectable()
export class TrialLookup {
  constructor(private readonly eventStore: EventStore) {}

  async assertKnown(nctId: string, sql?: Sql): Promise<number> {
    const version = await this.eventStore.streamVersion(streamIdOf(nctId), sql);
    if (version === 0) throw new TrialNotFoundError(nctId);
    return version;
  }
}
