import { gatewayErrors, type GraphHttpError } from './errors';

export type ThrottlingMode = 'off' | 'graph';

interface Window {
  readonly limit: number;
  readonly windowMs: number;
  /** The identity and access reports bucket sends Retry-After; Conditional Access does not (spec §8). */
  readonly retryAfter: boolean;
}

/** Graph's identity and access reports limit: 5 requests per 10 s per app per tenant (audit, sign-ins, method reads). */
const REPORTING: Window = { limit: 5, windowMs: 10_000, retryAfter: true };
/** Identity Protection and Conditional Access: 1 request per second per tenant, no Retry-After. */
const CONDITIONAL_ACCESS: Window = { limit: 1, windowMs: 1_000, retryAfter: false };

/**
 * The identity and access service limits per app per tenant (users, groups, directory objects, deleted items, role
 * management, and here every path that is not a report or Conditional Access): a token bucket of resource units and
 * one of writes. Documented at https://learn.microsoft.com/graph/throttling-limits ("Identity and access service
 * limits"): 3,500 / 5,000 / 8,000 resource units per 10 s for a small / medium / large tenant, and 3,000 writes per
 * 2 min 30 s per app per tenant. The defaults are the small tenant's. Each bucket holds `limit` tokens and refills
 * continuously at `limit / windowMs`, so the sustained rate is the documented one and a full bucket is one window's
 * worth of burst.
 */
export interface IdentityLimits {
  readonly resourceUnits: number;
  readonly resourceUnitWindowMs: number;
  readonly writes: number;
  readonly writeWindowMs: number;
}

export const DOCUMENTED_IDENTITY_LIMITS: IdentityLimits = Object.freeze({
  resourceUnits: 3_500,
  resourceUnitWindowMs: 10_000,
  writes: 3_000,
  writeWindowMs: 150_000,
});

/** POST actions that only read; they cost resource units but no write. */
const READ_ONLY_ACTIONS = new Set(['checkmembergroups', 'checkmemberobjects', 'getmembergroups', 'getmemberobjects', 'getbyids']);

function reportingOrCa(method: string, segments: readonly string[]): { name: string; window: Window } | undefined {
  const [first, second, third] = segments.map((s) => s.toLowerCase());
  if (first === 'auditlogs' || first === 'reports') return { name: 'reporting', window: REPORTING };
  if (first === 'users' && third === 'authentication' && method === 'GET') return { name: 'reporting', window: REPORTING };
  if (first === 'identity' && second === 'conditionalaccess') return { name: 'conditionalAccess', window: CONDITIONAL_ACCESS };
  return undefined;
}

/**
 * The documented cost of one identity and access request: 1 resource unit (2 for listing users), −1 with `$select`,
 * +1 with `$expand`, −1 with `$top` under 20, never below 1; a write also takes one write token.
 */
export function identityCost(method: string, segments: readonly string[], query: URLSearchParams): { resourceUnits: number; writes: number } {
  const lower = segments.map((s) => s.toLowerCase());
  const last = lower[lower.length - 1] ?? '';
  const write = method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && READ_ONLY_ACTIONS.has(last));
  if (write) return { resourceUnits: 1, writes: 1 };
  let units = lower.length === 1 && lower[0] === 'users' ? 2 : 1;
  if (query.has('$select')) units -= 1;
  if (query.has('$expand')) units += 1;
  const top = Number(query.get('$top'));
  if (query.has('$top') && Number.isFinite(top) && top < 20) units -= 1;
  return { resourceUnits: Math.max(1, units), writes: 0 };
}

/** A bucket of `capacity` tokens refilled continuously over `windowMs`. */
class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  /** Milliseconds until `n` tokens are there (0: now), after refilling up to `now`. */
  waitFor(n: number, now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.capacity) / this.windowMs);
    this.at = Math.max(this.at, now);
    return this.tokens >= n ? 0 : Math.ceil(((n - this.tokens) * this.windowMs) / this.capacity);
  }

  take(n: number): void {
    this.tokens -= n;
  }
}

function validLimits(limits: IdentityLimits): IdentityLimits {
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`throttling limit ${key} must be a positive number, got ${String(value)}`);
  }
  return limits;
}

/**
 * Graph's per-app limits on the simulator's clock: sliding windows for the reports and Conditional Access buckets,
 * token buckets (resource units and writes) for identity and access. Off by default so ordinary tests are not
 * slowed; `throttling: 'graph'` turns it on for tests of the bot's batching, caching and back-off. Every request is
 * counted on its own, also inside `$batch` (the batch itself costs nothing), as Graph does.
 */
export class Throttle {
  private readonly windows = new Map<string, number[]>();
  private units!: TokenBucket;
  private writes!: TokenBucket;
  private readonly limits: IdentityLimits;

  constructor(
    private readonly mode: ThrottlingMode,
    private readonly now: () => Date,
    limits: Partial<IdentityLimits> = {},
  ) {
    this.limits = validLimits({ ...DOCUMENTED_IDENTITY_LIMITS, ...limits });
    this.reset();
  }

  /** Counts the request, or returns the 429 to answer with (a refused request does not count). */
  check(method: string, segments: readonly string[], query: URLSearchParams = new URLSearchParams()): GraphHttpError | undefined {
    if (this.mode === 'off') return undefined;
    const at = this.now().getTime();
    const hit = reportingOrCa(method, segments);
    if (hit) return this.checkWindow(hit.name, hit.window, at);
    const cost = identityCost(method, segments, query);
    const wait = Math.max(this.units.waitFor(cost.resourceUnits, at), cost.writes > 0 ? this.writes.waitFor(cost.writes, at) : 0);
    if (wait > 0) return gatewayErrors.throttled(Math.max(1, Math.ceil(wait / 1000)));
    this.units.take(cost.resourceUnits);
    if (cost.writes > 0) this.writes.take(cost.writes);
    return undefined;
  }

  private checkWindow(name: string, window: Window, at: number): GraphHttpError | undefined {
    const recent = (this.windows.get(name) ?? []).filter((t) => t > at - window.windowMs);
    if (recent.length >= window.limit) {
      this.windows.set(name, recent);
      const oldest = recent[0] ?? at;
      return gatewayErrors.throttled(window.retryAfter ? Math.max(1, Math.ceil((oldest + window.windowMs - at) / 1000)) : undefined);
    }
    recent.push(at);
    this.windows.set(name, recent);
    return undefined;
  }

  reset(): void {
    this.windows.clear();
    const at = this.now().getTime();
    this.units = new TokenBucket(this.limits.resourceUnits, this.limits.resourceUnitWindowMs, at);
    this.writes = new TokenBucket(this.limits.writes, this.limits.writeWindowMs, at);
  }
}
