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
  const eventIdOf = (webhook: { body: string }): string => JSON.parse(webhook.body).data.eventId;
  const arrived = () => new Set(receiver.accepted().map(eventIdOf));
  await eventually(
    async () => {
      const seen = arrived();
      return [...eventIds].every((id) => seen.has(id));
    },
    180_000,
    250,
  ).catch(() => undefined);
  const seen = arrived();
  const lost = [...eventIds].filter((id) => !seen.has(id)).length;
  if (lost) causes.push(`${lost} events without a webhook`);
  const eventOfMessage = new Map<string, string>();
  for (const webhook of receiver.accepted()) {
    const earlier = eventOfMessage.get(webhook.id);
    if (earlier !== undefined && earlier !== eventIdOf(webhook)) {
      duplicated += 1;
      causes.push(`webhook-id ${webhook.id} reused for another event`);
    }
    eventOfMessage.set(webhook.id, eventIdOf(webhook));
  }
  return { lost, duplicated, causes, delivered: eventOfMessage.size };
};
