export const QUEUES = {
  ingest: 'ingest',
  projections: 'projections',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
