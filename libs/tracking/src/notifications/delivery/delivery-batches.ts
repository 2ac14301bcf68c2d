import type { DeliveryRound } from './webhook-deliverer.js';

/** Runs one pass over several subscriptions: each one's round, null where another worker holds it. */
export type DeliverMany = (subscriptionIds: string[]) => Promise<Map<string, DeliveryRound | null>>;

interface Waiting {
  subscriptionId: string;
  resolve: (round: DeliveryRound | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the delivery jobs running at once into shared passes. A job starts a pass of its own while
 * fewer than `sessions` are running (so a lone delivery never waits); otherwise it joins the next pass,
 * which takes every job waiting when a running one ends. Under a fan-out, passes grow to the job
 * concurrency, and their statements (locks, pages, records) are shared by all their subscriptions.
 */
export class DeliveryBatches {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly deliverMany: DeliverMany,
    private readonly sessions: number,
  ) {}

  deliver(subscriptionId: string): Promise<DeliveryRound | null> {
    const round = this.wait(subscriptionId);
    this.next();
    return round;
  }

  /** Several subscriptions at once: they wait together, so a free session takes them into one pass. */
  async deliverGroup(subscriptionIds: readonly string[]): Promise<Map<string, DeliveryRound | null>> {
    const rounds = subscriptionIds.map((subscriptionId) => this.wait(subscriptionId));
    this.next();
    const settled = await Promise.all(rounds);
    return new Map(subscriptionIds.map((subscriptionId, index) => [subscriptionId, settled[index]!]));
  }

  private wait(subscriptionId: string): Promise<DeliveryRound | null> {
    return new Promise((resolve, reject) => this.waiting.push({ subscriptionId, resolve, reject }));
  }

  private next(): void {
    if (this.running >= this.sessions || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.waiting.length);
    this.running += 1;
    this.deliverMany(batch.map((entry) => entry.subscriptionId))
      .then(
        (rounds) => {
          for (const entry of batch) entry.resolve(rounds.get(entry.subscriptionId) ?? null);
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        this.running -= 1;
        this.next();
      });
  }
}
