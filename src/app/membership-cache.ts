import type { Clock } from '../ports/clock';
import type { Directory } from '../ports/directory';

/**
 * Group membership answers kept for a short time (at most 60 s), because a click must be answered within about
 * 5 s and Graph's checkMemberGroups can be slow. Removal from a group takes effect within the TTL.
 */
export function withMembershipCache(directory: Directory, clock: Clock, ttlMs = 60_000): Directory {
  if (ttlMs > 60_000) throw new Error('membership answers may be cached for 60 s at most');
  const cache = new Map<string, { at: number; value: readonly string[] }>();
  return Object.assign(Object.create(directory) as Directory, {
    memberOf: async (userId: string, groupIds: readonly string[]): Promise<readonly string[]> => {
      const key = `${userId}|${[...groupIds].sort().join(',')}`;
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = await directory.memberOf(userId, groupIds);
      cache.set(key, { at: now, value });
      return value;
    },
  });
}
