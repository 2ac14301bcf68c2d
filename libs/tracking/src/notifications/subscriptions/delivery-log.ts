export interface DeliveryLogEntry {
  /** The delivery's sequence number in its subscription, as in its payload's `data.sequence`. */
  sequence: number;
  eventId: string;
  nctId: string;
  eventType: string;
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The delivery's state now: pending (retrying), delivered or abandoned. */
  deliveryStatus: string;
}

export interface DeliveryLog {
  subscriptionId: string;
  pending: number;
  delivered: number;
  abandoned: number;
  attempts: DeliveryLogEntry[];
}
