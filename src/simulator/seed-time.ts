/**
 * Seed times are written relative to the simulator's clock (`{ "daysAgo": 1, "time": "10:05:00" }`, UTC) so that the
 * demo stories always fall inside the 30-day audit window and keep their hour of day. An absolute ISO string is also
 * accepted, for tests that want a fixed instant.
 */
export type SeedTime = { daysAgo: number; time: string } | string;

/** Replaces every seed time in T by the ISO string it resolves to. */
export type Resolved<T> = T extends { daysAgo: number; time: string }
  ? string
  : T extends (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;

const DAY_MS = 86_400_000;

/** Resolves one seed time against `now`: the UTC calendar day `daysAgo` days before now, at `time` UTC. */
export function resolveSeedTime(value: SeedTime, now: Date): string {
  if (typeof value === 'string') return new Date(value).toISOString();
  const [h = 0, m = 0, s = 0] = value.time.split(':').map(Number);
  const day = new Date(now.getTime() - value.daysAgo * DAY_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m, s)).toISOString();
}

function isRelativeTime(value: object): value is { daysAgo: number; time: string } {
  const keys = Object.keys(value);
  return keys.length === 2 && 'daysAgo' in value && 'time' in value;
}

/**
 * Resolves every relative seed time inside a parsed seed. Strings are left alone: absolute times are already ISO
 * strings, and no other seed value has the `{daysAgo, time}` shape.
 */
export function resolveSeedTimes<T>(value: T, now: Date): Resolved<T> {
  return walk(value, now) as Resolved<T>;
}

function walk(value: unknown, now: Date): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, now));
  if (typeof value === 'object' && value !== null) {
    if (isRelativeTime(value)) return resolveSeedTime(value, now);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, now)]));
  }
  return value;
}
