/**
 * The one home of how the bot waits before it tries again, for Graph requests (the retry middleware, the `$batch`
 * runner, the TAP create) and Teams sends (the paced poster) alike: reading Retry-After (delta-seconds or an HTTP date,
 * RFC 9110 §10.2.3), exponential back-off with "equal jitter", whether a wait fits a deadline, and the time source
 * these waits use. Which request may be repeated stays with its registry entry (src/entra/graph-requests.ts); how many
 * times and how long stays with each caller's policy.
 */

/** The time and randomness of waits: the real ones in production, virtual ones in tests (no real sleeping). */
export interface Timing {
  /** Milliseconds on a monotonic-enough clock (Date.now in production). */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1). */
  readonly random: () => number;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Retry-After (seconds, or an HTTP date measured from `now`) as milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | number | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Headers as the clients hand them over: a Fetch `Headers`-like object, or a plain record (a `$batch` inner response). */
export type HeaderSource = { get?: (name: string) => string | null | undefined } | Record<string, unknown> | undefined;

/** Retry-After from either form of headers, case-insensitively, as milliseconds. */
export function retryAfterFrom(headers: HeaderSource, now: number): number | undefined {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return retryAfterMs((headers.get as (name: string) => string | null | undefined)('retry-after'), now);
  const value = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  return typeof value === 'string' || typeof value === 'number' ? retryAfterMs(value, now) : undefined;
}

/**
 * The back-off before repeat number `attempt` (0 for the first repeat) when no Retry-After was given: exponential from
 * `baseDelayMs`, capped at `maxDelayMs`, with "equal jitter" (half fixed, half random) so that clients sharing a
 * throttling bucket do not all come back at once.
 */
export function backOffMs(attempt: number, baseDelayMs: number, random: () => number, maxDelayMs = Number.POSITIVE_INFINITY): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * The pause between two attempts of writers that just collided (a conditional write that lost): "full jitter", a
 * random wait up to a ceiling that doubles per attempt from 1 ms to `maxMs`, so that they spread out at once.
 */
export function collisionPauseMs(attempt: number, maxMs: number, random: () => number): number {
  return random() * Math.min(maxMs, 2 ** Math.max(0, attempt));
}

/** Whether a wait of `ms` starting at `now` ends before `deadline` (no deadline: always). */
export function fitsDeadline(now: number, ms: number, deadline: number | undefined): boolean {
  return deadline === undefined || now + ms < deadline;
}
