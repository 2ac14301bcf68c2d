import { Injectable } from '@nestjs/common';
import { Clock, EventStore, type OpenTransaction, OpenTransactions } from '@app/infrastructure';

export interface Liveness {
  /** The oldest open write transaction on the PostgreSQL server, or null when none is open. */
  oldestTransaction: OpenTransaction | null;
  /**
   * How long committed events have waited behind an open transaction, unreadable for projections,
   * the webhook matcher and the live stream (0 when nothing is held).
   */
  projectionsHeldSeconds: number;
  /** When the first of those events was recorded, or null. */
  heldSince: string | null;
}

/** Whether readers of the global order can make progress, and if not, which transaction stops them. */
@Injectable()
export class LivenessProbe {
  constructor(
    private readonly openTransactions: OpenTransactions,
    private readonly eventStore: EventStore,
    private readonly clock: Clock,
  ) {}

  async read(): Promise<Liveness> {
    const [oldestTransaction, held] = await Promise.all([
      this.openTransactions.oldest(),
      this.eventStore.heldBehindOpenTransaction(),
    ]);
    return {
      oldestTransaction,
      projectionsHeldSeconds: held ? Math.max(0, (this.clock.now().getTime() - held.since.getTime()) / 1000) : 0,
      heldSince: held?.since.toISOString() ?? null,
    };
  }
}
