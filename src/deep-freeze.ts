/**
 * Freezes `value` and everything reachable from it, and returns it. Objects handed out from a cache to many callers are
 * frozen so that one caller's change cannot reach the next: in strict mode (all of src) a write throws a TypeError where
 * it is made, instead of corrupting what every later caller reads. An object already frozen is taken as frozen all the way
 * down (what this function froze is), which also ends cycles.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
