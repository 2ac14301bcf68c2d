export const QUEUES = {
  ingest: 'ingest',
  projections: 'projections',
  maintenance: 'maintenance',
  watchlists: 'watchlists',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
