import { eventually } from '../support/test-environment.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';
import type { Findings } from './fault-checks.js';
import type { StoredEvent } from './stream-checks.js';

/**
 * Waits (a while) for a webhook of every stored event: events without one are lost, a webhook-id
 * reused for another event is a duplicate. `delivered`: how many distinct webhook-ids arrived.
 */
export const checkWebhooks = async (
  events: StoredEvent[],
  receiver: WebhookReceiver,
): Promise<Findings & { delivered: number }> => {
  let duplicated = 0;
  const causes: string[] = [];
  const eventIds = new Set(events.map((event) => event.event_id));
  await eventually(
    async () => [...eventIds].every((id) => receiver.accepted().some((webhook) => webhook.id === id)),
    180_000,
    250,
  ).catch(() => undefined);
  const delivered = new Set(receiver.accepted().map((webhook) => webhook.id));
  const lost = [...eventIds].filter((id) => !delivered.has(id)).length;
  if (lost) causes.push(`${lost} events without a webhook`);
  const bodies = new Map<string, string>();
  for (const webhook of receiver.accepted()) {
    const earlier = bodies.get(webhook.id);
    if (earlier !== undefined && JSON.parse(earlier).data.eventId !== JSON.parse(webhook.body).data.eventId) {
      duplicated += 1;
      causes.push(`webhook-id ${webhook.id} reused for another event`);
    }
    bodies.set(webhook.id, webhook.body);
  }
  return { lost, duplicated, causes, delivered: delivered.size };
};
