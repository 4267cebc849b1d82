import { randomUUID } from 'node:crypto';
import { GraphHttpError, gatewayErrors } from './errors';

interface FaultMatch {
  /** HTTP method to match (any when omitted). */
  readonly method?: string;
  /** Tested against the decoded request path including the version, e.g. /v1.0/users/adele@contoso.com. */
  readonly path: RegExp;
  /** Apply this many times, then remove the fault (forever when omitted). */
  readonly times?: number;
  /**
   * The fraction of matching requests it applies to, in (0, 1] (every one when omitted). Drawn from the injector's
   * seedable random source, so a run with the same seed and the same requests fails the same ones. A request the
   * draw spares does not count towards `times`.
   */
  readonly rate?: number;
}

export type FaultSpec = FaultMatch &
  (
    | { readonly kind: 'latency'; readonly ms: number }
    | { readonly kind: 'throttle'; readonly retryAfterSeconds: number }
    | {
        readonly kind: 'error';
        readonly status: number;
        readonly code?: string;
        readonly message?: string;
        readonly retryAfterSeconds?: number;
        /** A Retry-After sent as given, e.g. an HTTP date (Graph may send either form); not with `retryAfterSeconds`, not on a 429. */
        readonly retryAfter?: string;
      }
    /** The connection is closed without an answer (the client sees a socket reset); the request is not processed. */
    | { readonly kind: 'reset' }
  );

/** Hooks that make the simulated tenant misbehave on purpose, for resilience tests and demos. */
export interface FaultInjector {
  /** Adds a fault and returns its id. */
  add(spec: FaultSpec): string;
  remove(id: string): boolean;
  clear(): void;
  /** Restarts the random source that decides `rate` faults. */
  seed(seed: number): void;
  list(): readonly (FaultSpec & { readonly id: string; readonly remaining: number | undefined; readonly hits: number })[];
}

/** What the faults decided for one request. */
export interface FaultOutcome {
  readonly delayMs: number;
  readonly error?: GraphHttpError;
  /** Close the connection instead of answering. */
  readonly reset?: true;
}

const DEFAULT_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'BadRequest', message: 'Bad request.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
  403: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  404: { code: 'Request_ResourceNotFound', message: 'The requested resource does not exist.' },
  409: { code: 'Directory_ConcurrencyViolation', message: 'Another operation on this object is in progress. Retry the request.' },
  500: { code: 'generalException', message: 'An internal server error occurred.' },
  502: { code: 'badGateway', message: 'The gateway received an invalid response.' },
  503: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable. Please retry later.' },
  504: { code: 'gatewayTimeout', message: 'The gateway did not receive a response in time.' },
};

interface Entry {
  readonly id: string;
  readonly spec: FaultSpec;
  remaining: number | undefined;
  /** How many requests it has applied to. */
  hits: number;
}

function validate(spec: FaultSpec): void {
  if (spec.rate !== undefined && !(spec.rate > 0 && spec.rate <= 1)) throw new RangeError('fault rate must be in (0, 1]');
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) throw new RangeError('fault times must be a positive integer');
  if (spec.kind === 'latency' && !(spec.ms >= 0)) throw new RangeError('latency ms must be >= 0');
  if (spec.kind === 'throttle' && !(spec.retryAfterSeconds >= 0)) throw new RangeError('retryAfterSeconds must be >= 0');
  if (spec.kind === 'error' && !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599))
    throw new RangeError('error status must be 400-599');
  if (spec.kind === 'error' && spec.retryAfter !== undefined && (spec.retryAfterSeconds !== undefined || spec.status === 429))
    throw new RangeError('retryAfter is for errors other than 429, instead of retryAfterSeconds');
}

function errorFor(spec: FaultSpec): GraphHttpError | undefined {
  if (spec.kind === 'throttle') return gatewayErrors.throttled(spec.retryAfterSeconds);
  if (spec.kind !== 'error') return undefined;
  if (spec.status === 429) return gatewayErrors.throttled(spec.retryAfterSeconds);
  const fallback = DEFAULT_ERRORS[spec.status] ?? { code: 'UnknownError', message: 'The simulated tenant was told to fail this request.' };
  const retryAfter = spec.retryAfter ?? (spec.retryAfterSeconds === undefined ? undefined : String(spec.retryAfterSeconds));
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
  return new GraphHttpError(spec.status, spec.code ?? fallback.code, spec.message ?? fallback.message, headers);
}

/** mulberry32: a small, fast, seedable generator; reproducibility matters here, not quality. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault list of one running simulator. */
export class Faults implements FaultInjector {
  private entries: Entry[] = [];
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  seed(seed: number): void {
    if (!Number.isInteger(seed)) throw new RangeError('fault seed must be an integer');
    this.random = seededRandom(seed);
  }

  add(spec: FaultSpec): string {
    validate(spec);
    // A global or sticky regex keeps state between test() calls; faults must match the same way every time.
    const path = new RegExp(spec.path.source, spec.path.flags.replace(/[gy]/g, ''));
    const id = randomUUID();
    this.entries.push({ id, spec: { ...spec, path }, remaining: spec.times, hits: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    return this.entries.length < before;
  }

  clear(): void {
    this.entries = [];
  }

  list(): readonly (FaultSpec & { readonly id: string; readonly remaining: number | undefined; readonly hits: number })[] {
    return this.entries.map((e) => ({ ...e.spec, id: e.id, remaining: e.remaining, hits: e.hits }));
  }

  /**
   * Latencies add up; the first matching throttle, error or reset answers the request. Each use counts down `times`.
   * A `rate` fault draws once per matching request it could still apply to.
   */
  apply(method: string, path: string): FaultOutcome {
    let delayMs = 0;
    let error: GraphHttpError | undefined;
    let reset = false;
    for (const entry of [...this.entries]) {
      const { spec } = entry;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method) continue;
      if (!spec.path.test(path)) continue;
      if (spec.kind !== 'latency' && (error || reset)) continue;
      if (spec.rate !== undefined && this.random() >= spec.rate) continue;
      entry.hits += 1;
      if (spec.kind === 'latency') delayMs += spec.ms;
      else if (spec.kind === 'reset') reset = true;
      else error = errorFor(spec);
      if (entry.remaining !== undefined) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.remove(entry.id);
      }
    }
    if (reset) return { delayMs, reset: true };
    return error ? { delayMs, error } : { delayMs };
  }
}
