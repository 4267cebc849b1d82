import type { Clock } from '../ports/clock';
import type { Directory } from '../ports/directory';

/** Users whose answers are kept at most: the approvers and requesters clicking now, with room to spare. */
export const MEMBERSHIP_CACHE_ENTRIES = 1_000;

/**
 * Group membership answers kept for a short time (at most 60 s), because a click must be answered within about
 * 5 s and Graph's checkMemberGroups can be slow. Removal from a group takes effect within the TTL: an answer is never
 * served once it is older than the TTL, its age counted from before the Graph call that gave it.
 *
 * - Concurrent clicks by one person share one Graph call: the first burst after a start (or after the TTL) asks Graph
 *   once per person, not once per click.
 * - An answer past half its TTL is still served, and refreshed in the background by the next click (once), so a person
 *   clicking steadily never waits for Graph; the bound above still holds.
 * - A failed call is not kept: the next click asks again.
 */
export function withMembershipCache(directory: Directory, clock: Clock, ttlMs = 60_000, maxEntries = MEMBERSHIP_CACHE_ENTRIES): Directory {
  if (ttlMs > 60_000) throw new Error('membership answers may be cached for 60 s at most');
  const cache = new Map<string, { at: number; value: readonly string[] }>();
  const asking = new Map<string, Promise<readonly string[]>>();
  const ask = (key: string, userId: string, groupIds: readonly string[]): Promise<readonly string[]> => {
    const running = asking.get(key);
    if (running) return running;
    const at = clock.now().getTime();
    const call = directory.memberOf(userId, groupIds).then((value) => {
      cache.delete(key);
      cache.set(key, { at, value });
      for (const oldest of cache.keys()) {
        if (cache.size <= maxEntries) break;
        cache.delete(oldest);
      }
      return value;
    });
    asking.set(key, call);
    const forget = (): void => void (asking.get(key) === call && asking.delete(key));
    call.then(forget, forget);
    return call;
  };
  return Object.assign(Object.create(directory) as Directory, {
    memberOf: (userId: string, groupIds: readonly string[]): Promise<readonly string[]> => {
      const key = `${userId}|${[...groupIds].sort().join(',')}`;
      const hit = cache.get(key);
      const age = hit ? clock.now().getTime() - hit.at : Infinity;
      if (!hit || age >= ttlMs) return ask(key, userId, groupIds);
      // Refreshed ahead, in the background; a failure leaves the answer to expire at its TTL.
      if (age >= ttlMs / 2) ask(key, userId, groupIds).catch(() => undefined);
      return Promise.resolve(hit.value);
    },
  });
}
