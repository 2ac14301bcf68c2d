export const QUEUES = {
  ingest: 'ingest',
  projections: 'projections',
  maintenance: 'maintenance',
  watchlists: 'watchlists',
  notifications: 'notifications',
  signals: 'signals',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
