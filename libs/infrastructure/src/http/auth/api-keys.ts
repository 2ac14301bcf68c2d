import { createHash, timingSafeEqual } from 'node:crypto';

export type ApiKeyScope = 'read' | 'admin';

export interface ApiKey {
  /** A label for logs and rate limits; never the key itself. */
  name: string;
  scope: ApiKeyScope;
  sha256: Buffer;
}

const hash = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * `API_KEYS`: comma-separated `scope:key` or `name:scope:key` entries, e.g. `admin:…,ci:read:…`.
 * Only hashes are kept; keys are compared in constant time.
 */
export const parseApiKeys = (raw: string): { keys: ApiKey[]; problems: string[] } => {
  const problems: string[] = [];
  const keys = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry, index): ApiKey[] => {
      const parts = entry.split(':');
      const [name, scope, key] = parts.length === 3 ? parts : [`key-${index + 1}`, parts[0], parts.slice(1).join(':')];
      if (scope !== 'read' && scope !== 'admin') {
        problems.push(`API_KEYS entry ${index + 1}: the scope must be read or admin`);
        return [];
      }
      if (!key || key.length < 16) {
        problems.push(`API_KEYS entry ${index + 1}: a key needs at least 16 characters`);
        return [];
      }
      return [{ name: name!, scope, sha256: hash(key) }];
    });
  return { keys, problems };
};

export const findApiKey = (keys: readonly ApiKey[], presented: string): ApiKey | null => {
  const digest = hash(presented);
  return keys.find((key) => timingSafeEqual(key.sha256, digest)) ?? null;
};

export const allows = (key: ApiKey, needed: ApiKeyScope): boolean => key.scope === 'admin' || needed === 'read';
