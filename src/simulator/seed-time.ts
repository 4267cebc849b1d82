/**
 * Seed times are written relative to the simulator's clock (`{ "daysAgo": 1, "time": "10:05:00" }`, UTC) so that the
 * demo stories always fall inside the 30-day audit window and keep their hour of day. They count back from the story
 * day (see `storyDay`), not from today, so that they also keep their weekday: triage weighs working hours and days,
 * and a story that moved with the calendar would read differently on a Monday than on a Wednesday. An absolute ISO
 * string is also accepted, for tests that want a fixed instant.
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

/** The weekday relative seed times count back from (Date.getUTCDay: 0 = Sunday ... 3 = Wednesday). */
export const STORY_WEEKDAY = 3;

/**
 * The story day: midnight UTC of the most recent Wednesday on or before `now` (UTC). `daysAgo: 1` is then always a
 * Tuesday and `daysAgo: 2` always a Monday, whatever day the demo or a test runs, and every time with `daysAgo >= 1`
 * is in the past at any hour. The price: the story is 1 to 7 days older than `daysAgo` says, so a seed keeps the times
 * that must stay inside the 30-day audit window at `daysAgo <= 22`.
 */
export function storyDay(now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const back = (now.getUTCDay() - STORY_WEEKDAY + 7) % 7;
  return new Date(today - back * DAY_MS);
}

/** Resolves one seed time against `now`: the UTC calendar day `daysAgo` days before the story day, at `time` UTC. */
export function resolveSeedTime(value: SeedTime, now: Date): string {
  if (typeof value === 'string') return new Date(value).toISOString();
  const [h = 0, m = 0, s = 0] = value.time.split(':').map(Number);
  return new Date(storyDay(now).getTime() - value.daysAgo * DAY_MS + ((h * 60 + m) * 60 + s) * 1000).toISOString();
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
