import { groupConsecutive, snapshotKey, toRecordedChanges, trialPagePath } from './recorded-change.js';
import { LEGACY_PAIR } from './testing/recorded-changes.js';

const stored = (type: string, metadata: Record<string, unknown> | null) => ({
  eventId: 'e1',
  type,
  schemaVersion: 1,
  streamVersion: 1,
  data: { from: 'RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null },
  metadata,
  occurredAt: '2020-01-01T00:00:00.000Z',
  recordedAt: '2026-01-15T10:00:00.000Z',
});

describe('recorded changes', () => {
  it('reads stored events as domain events with the snapshot they came from', () => {
    const sha = 'c'.repeat(64);
    const [change] = toRecordedChanges([stored('trial.overall-status-changed', { contentSha256: sha })]);
    expect(change).toMatchObject({
      eventId: 'e1',
      contentSha256: sha,
      event: { type: 'trial.overall-status-changed', data: { to: 'COMPLETED' } },
    });
  });

  it('leaves out event types it does not know, and snapshot ids that are not SHA-256', () => {
    expect(toRecordedChanges([stored('trial.teleported', {})])).toEqual([]);
    expect(
      toRecordedChanges([stored('trial.overall-status-changed', { contentSha256: '../etc' })])[0]!.contentSha256,
    ).toBeNull();
    expect(toRecordedChanges([stored('trial.overall-status-changed', null)])[0]!.contentSha256).toBeNull();
  });

  it('groups the changes each snapshot brought, keeping their order', () => {
    const groups = groupConsecutive(LEGACY_PAIR, snapshotKey);
    expect(groups.map((group) => group.map((change) => change.streamVersion))).toEqual([[1], [2, 3, 4, 5, 6]]);
    expect(groupConsecutive([1, 1, 2, 1], String)).toEqual([[1, 1], [2], [1]]);
    expect(groupConsecutive([], String)).toEqual([]);
  });

  it('links a trial page by its NCT ID', () => {
    expect(trialPagePath('NCT00513591')).toBe('/ui/trials/NCT00513591');
  });
});
