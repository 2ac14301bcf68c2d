import { createHash } from 'node:crypto';

/**
 * The advisory lock a matcher pass holds for its transaction, one pass at a time. A filter change takes
 * it too, so that it never commits while a pass that read the filter it replaces goes on to match
 * events committed after it.
 */
export const MATCHING_LOCK_KEY = createHash('sha256')
  .update('notification-matcher')
  .digest()
  .readBigInt64BE(0)
  .toString();
