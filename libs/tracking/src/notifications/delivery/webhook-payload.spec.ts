import type { StoredEvent } from '@app/infrastructure';
import { webhookPayload, webhookPayloads } from './webhook-payload.js';

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
      ).toString('utf8'),
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
    expect(body.length).toBeLessThanOrEqual(4096);
    expect(JSON.parse(body.toString('utf8')).data).toMatchObject({
      sequence: 8,
      truncated: true,
      links: { events: 'https://tw.example/trials/NCT04811651/events' },
    });
  });
});

describe('webhook payloads of one event for many subscriptions', () => {
  const change = event({ from: 'RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null });
  /** What serialising each body on its own gives: the reference the shared serialisation must match. */
  const serialisedAlone = (sequence: number, withEvent: boolean) => {
    const full = JSON.parse(webhookPayload(change, '1', 'https://tw.example', 65536).toString('utf8'));
    const { changes, event: data, links, ...summary } = full.data;
    return JSON.stringify({
      type: full.type,
      timestamp: full.timestamp,
      data: withEvent
        ? { ...summary, sequence, changes, event: data, links }
        : { ...summary, sequence, links, truncated: true },
    });
  };

  it('give each subscription its own sequence number, first in data, in the body serialising it alone gives', () => {
    const bodies = webhookPayloads(change, 'https://tw.example', 65536);
    for (const sequence of [1, 42, 1_000_000]) {
      const body = bodies(String(sequence)).toString('utf8');
      expect(JSON.parse(body)).toEqual(JSON.parse(serialisedAlone(sequence, true)));
      expect(body.startsWith('{"type":"trial.overall-status-changed","timestamp":')).toBe(true);
      expect(body).toContain(`"data":{"sequence":${sequence},"eventId":`);
    }
  });

  it('leave the event data out of exactly the bodies whose longer sequence number would pass the bound', () => {
    const bound = webhookPayload(change, '99', 'https://tw.example', 65536).length;
    const bodies = webhookPayloads(change, 'https://tw.example', bound);
    expect(bodies('99').length).toBe(bound);
    expect(JSON.parse(bodies('99').toString('utf8')).data.event).toEqual(change.data);
    const longer = bodies('100');
    expect(longer.length).toBeLessThanOrEqual(bound);
    expect(JSON.parse(longer.toString('utf8')).data).toEqual(JSON.parse(serialisedAlone(100, false)).data);
  });

  it('are the UTF-8 of that text, characters beyond ASCII included, and bound it in bytes', () => {
    const sites = event({
      added: [{ facility: 'Assistance Publique - Hôpitaux de Paris', city: 'São Paulo', note: '≥ 18 years, 😀' }],
    });
    const bodies = webhookPayloads(sites, 'https://tw.example', 65536);
    const body = bodies('12');
    const text = body.toString('utf8');
    expect(Buffer.from(text, 'utf8').equals(body)).toBe(true);
    expect(JSON.parse(text).data).toMatchObject({ sequence: 12, event: sites.data });
    expect(text.length).toBeLessThan(body.length);
    const bound = body.length;
    expect(webhookPayloads(sites, 'https://tw.example', bound)('12').equals(body)).toBe(true);
    expect(
      JSON.parse(webhookPayloads(sites, 'https://tw.example', bound - 1)('12').toString('utf8')).data,
    ).toMatchObject({ sequence: 12, truncated: true });
  });
});
