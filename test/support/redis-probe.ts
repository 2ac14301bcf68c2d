import { Redis } from 'ioredis';

/** Deletes every key of one installation (its prefix): what FLUSHALL does to it, without touching anyone else's keys. */
export const flushPrefix = async (redisUrl: string, prefix: string): Promise<number> => {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
};
