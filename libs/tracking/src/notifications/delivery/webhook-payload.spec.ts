import type { StoredEvent } from '@app/infrastructure';
import { webhookPayload } from './webhook-payload.js';

const event = (data: unknown): StoredEvent => ({
  globalPosition: '42',
  transactionId: '1001',
  streamId: 'trial-NCT04811651',
  streamVersion: 3,
  eventId: '5c2d3f0e-8f7b-4b9e-9a55-1f7c5e2d8a10',
  type: 'trial.overall-status-changed',
  schemaVersion: 1,
  data,
  metadata: {},
  occurredAt: new Date('2022-05-25T00:00:00Z'),
  recordedAt: new Date('2026-01-15T10:00:00Z'),
});

describe('webhook payloads', () => {
  it('carry their sequence number, the event, its field changes, both dates, its cursor and links to the history', () => {
    const payload = JSON.parse(
      webhookPayload(
        event({ from: 'RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null }),
        '7',
        'https://tw.example',
        65536,
      ),
    );
    expect(payload).toEqual({
      type: 'trial.overall-status-changed',
      timestamp: '2026-01-15T10:00:00.000Z',
      data: expect.objectContaining({
        sequence: 7,
        eventId: '5c2d3f0e-8f7b-4b9e-9a55-1f7c5e2d8a10',
        nctId: 'NCT04811651',
        streamVersion: 3,
        globalPosition: '42',
        cursor: '1001.42',
        occurredAt: '2022-05-25T00:00:00.000Z',
        recordedAt: '2026-01-15T10:00:00.000Z',
        changes: [{ field: 'overallStatus', from: 'RECRUITING', to: 'COMPLETED' }],
        links: expect.objectContaining({ history: 'https://tw.example/trials/NCT04811651/history' }),
      }),
    });
  });

  it('stay within the size bound by leaving out the event data, with a link to fetch it', () => {
    const huge = { from: 'RECRUITING', to: 'x'.repeat(100_000), whyStopped: null, lastKnownStatus: null };
    const body = webhookPayload(event(huge), '8', 'https://tw.example', 4096);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    expect(JSON.parse(body).data).toMatchObject({
      sequence: 8,
      truncated: true,
      links: { events: 'https://tw.example/trials/NCT04811651/events' },
    });
  });
});
