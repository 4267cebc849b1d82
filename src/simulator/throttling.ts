import { gatewayErrors, type GraphHttpError } from './errors';

export type ThrottlingMode = 'off' | 'graph';

interface Bucket {
  readonly limit: number;
  readonly windowMs: number;
  /** The identity and access reports bucket sends Retry-After; Conditional Access does not (spec §8). */
  readonly retryAfter: boolean;
}

/** Graph's identity and access reports limit: 5 requests per 10 s per app per tenant (audit, sign-ins, method reads). */
const REPORTING: Bucket = { limit: 5, windowMs: 10_000, retryAfter: true };
/** Identity Protection and Conditional Access: 1 request per second per tenant, no Retry-After. */
const CONDITIONAL_ACCESS: Bucket = { limit: 1, windowMs: 1_000, retryAfter: false };

function bucketOf(method: string, segments: readonly string[]): { name: string; bucket: Bucket } | undefined {
  const [first, second, third] = segments.map((s) => s.toLowerCase());
  if (first === 'auditlogs' || first === 'reports') return { name: 'reporting', bucket: REPORTING };
  if (first === 'users' && third === 'authentication' && method === 'GET') return { name: 'reporting', bucket: REPORTING };
  if (first === 'identity' && second === 'conditionalaccess') return { name: 'conditionalAccess', bucket: CONDITIONAL_ACCESS };
  return undefined;
}

/**
 * Graph's tight per-app limits, as sliding windows on the simulator's clock. Off by default so ordinary tests are
 * not slowed; `throttling: 'graph'` turns it on for tests of the bot's batching, caching and back-off.
 */
export class Throttle {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly mode: ThrottlingMode,
    private readonly now: () => Date,
  ) {}

  /** Counts the request, or returns the 429 to answer with (a refused request does not count). */
  check(method: string, segments: readonly string[]): GraphHttpError | undefined {
    if (this.mode === 'off') return undefined;
    const hit = bucketOf(method, segments);
    if (!hit) return undefined;
    const at = this.now().getTime();
    const recent = (this.windows.get(hit.name) ?? []).filter((t) => t > at - hit.bucket.windowMs);
    if (recent.length >= hit.bucket.limit) {
      this.windows.set(hit.name, recent);
      const oldest = recent[0] ?? at;
      return gatewayErrors.throttled(hit.bucket.retryAfter ? Math.max(1, Math.ceil((oldest + hit.bucket.windowMs - at) / 1000)) : undefined);
    }
    recent.push(at);
    this.windows.set(hit.name, recent);
    return undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}
