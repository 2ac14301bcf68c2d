export const QUEUES = {
  ingest: 'ingest',
  projections: 'projections',
  maintenance: 'maintenance',
  watchlists: 'watchlists',
  notifications: 'notifications',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
