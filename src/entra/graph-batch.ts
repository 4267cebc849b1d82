import type { Client } from '@microsoft/microsoft-graph-client';
import { setTimeout as delay } from 'node:timers/promises';
import { sendWrite } from './graph-writes';

/** JSON batching takes at most 20 requests (spec §8). */
export const MAX_BATCH_REQUESTS = 20;

/** One request inside a `$batch`; `url` is relative to the version, e.g. `/users/{id}`. */
export interface BatchRequest {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: object;
  /**
   * A request whose outcome is unknown after a throttle of its whole batch must not be repeated (a TAP create: a
   * second one replaces the pass already handed out). Inner 429s are still resent: Graph refused those before running
   * them.
   */
  readonly neverRepeat?: boolean;
}

/** The final answer to one request. */
export interface BatchAnswer {
  readonly id: string;
  readonly status: number;
  readonly body?: unknown;
  /** The inner response's request id (errors carry one in their body), else the `$batch` request's own. */
  readonly requestId?: string;
  /** How many times it was sent (1 when it went through at once). */
  readonly attempts: number;
}

/**
 * Requests that go together, in order, in one `$batch`: with `sequential`, each depends on the one before
 * (`dependsOn`), which is how Graph runs an ordered chain (alternateMobile before mobile, the default method last).
 * A unit holds at most 20 requests.
 */
export interface BatchUnit {
  readonly requests: readonly BatchRequest[];
  readonly sequential?: boolean;
}

export interface BatchOptions {
  /**
   * Where the batch goes: `POST /v1.0/$batch` or `POST /beta/$batch`. Every inner `url` is relative to that version
   * ("while the absolute URL is https://graph.microsoft.com/v1.0/users, this url is /users": microsoft-graph-docs-contrib
   * concepts/json-batching.md), so one batch cannot mix versions: beta requests go in a batch of their own.
   */
  readonly version?: 'v1.0' | 'beta';
  /** Batches in flight at first (default 2); grows by one after each batch without a 429, halves on a 429. */
  readonly initialConcurrency?: number;
  /** The most batches in flight (default 8). */
  readonly maxConcurrency?: number;
  /**
   * How many batches in a row may be answered with nothing but 429s before the throttled requests keep their 429 as
   * the answer (default 8). While Graph lets some requests through, the run goes on.
   */
  readonly maxStalls?: number;
  /** Called after every batch with the requests answered so far. */
  readonly onProgress?: (answered: number, total: number) => void;
  /** Waits, and tells the time in ms; tests pass a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Extra wait on top of Retry-After, 0..100 ms by default, so instances sharing the bucket do not all come back at once. */
  readonly jitterMs?: () => number;
}

export interface BatchRun {
  readonly answers: ReadonlyMap<string, BatchAnswer>;
  /** HTTP requests sent (one per `$batch`). */
  readonly roundTrips: number;
  /** Inner responses that were 429. */
  readonly throttled: number;
  /** The highest concurrency reached. */
  readonly peakConcurrency: number;
}

interface InnerResponse {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

interface Pending {
  readonly unit: BatchUnit;
  /** Index of the first request of the unit not answered yet. */
  readonly from: number;
}

/** Seconds from a Retry-After header value, or undefined. */
function retryAfterSeconds(headers: Record<string, unknown> | undefined): number | undefined {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after');
  const n = Number(entry?.[1]);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function requestIdOf(inner: InnerResponse): string | undefined {
  const header = Object.entries(inner.headers ?? {}).find(([k]) => k.toLowerCase() === 'request-id')?.[1];
  if (typeof header === 'string' && header) return header;
  const fromBody = (inner.body as { error?: { innerError?: { 'request-id'?: unknown } } } | undefined)?.error?.innerError?.['request-id'];
  return typeof fromBody === 'string' && fromBody ? fromBody : undefined;
}

function validate(units: readonly BatchUnit[]): void {
  const ids = new Set<string>();
  for (const unit of units) {
    if (unit.requests.length === 0 || unit.requests.length > MAX_BATCH_REQUESTS) throw new RangeError(`a batch unit holds 1 to ${MAX_BATCH_REQUESTS} requests, got ${unit.requests.length}`);
    for (const r of unit.requests) {
      if (ids.has(r.id)) throw new RangeError(`batch request id ${r.id} is used twice`);
      ids.add(r.id);
    }
  }
}

/** Packs pending units into batches of at most 20 requests, a unit never split. */
function takeBatch(queue: Pending[]): Pending[] {
  const batch: Pending[] = [];
  let size = 0;
  while (queue.length > 0) {
    const next = queue[0];
    if (!next) break;
    const n = next.unit.requests.length - next.from;
    if (size + n > MAX_BATCH_REQUESTS) break;
    batch.push(next);
    queue.shift();
    size += n;
  }
  return batch;
}

function envelope(batch: readonly Pending[]): object {
  const requests = batch.flatMap(({ unit, from }) =>
    unit.requests.slice(from).map((r, i) => ({
      id: r.id,
      method: r.method,
      url: r.url,
      ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json' } } : {}),
      ...(unit.sequential && i > 0 ? { dependsOn: [unit.requests[from + i - 1]?.id ?? ''] } : {}),
    })),
  );
  return { requests };
}

/**
 * Sends requests through `POST /$batch`, 20 at most per batch, several batches in flight. Graph answers each inner
 * request on its own (the outer status is 200 even when they fail) and throttles each on its own: a 429 inside a batch
 * is not retried by the SDK. Here a throttled request is queued again, everyone waits for the largest Retry-After,
 * and the number of batches in flight halves (it grows again by one per clean batch), so the run settles at the rate
 * Graph allows. A whole batch refused with 429 is resent as it was (nothing in it ran). A batch that fails otherwise
 * (503, network) answers each of its requests with that status: whether a write in it took effect is unknown, and
 * repeating it is the caller's idempotent decision. Only the 429s are resent; every other answer is final.
 */
export async function runBatches(client: Client, units: readonly BatchUnit[], options: BatchOptions = {}): Promise<BatchRun> {
  validate(units);
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const now = options.now ?? Date.now;
  const jitter = options.jitterMs ?? (() => Math.random() * 100);
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 8);
  const maxStalls = Math.max(1, options.maxStalls ?? 8);
  let stalls = 0;
  const total = units.reduce((n, u) => n + u.requests.length, 0);
  const answers = new Map<string, BatchAnswer>();
  const attempts = new Map<string, number>();
  const queue: Pending[] = units.map((unit) => ({ unit, from: 0 }));
  let limit = Math.min(maxConcurrency, Math.max(1, options.initialConcurrency ?? 2));
  let peak = limit;
  let inFlight = 0;
  let roundTrips = 0;
  let throttled = 0;
  let resumeAt = 0;

  const answer = (r: BatchRequest, status: number, inner: InnerResponse | undefined, batchRequestId: string | undefined): void => {
    const requestId = (inner ? requestIdOf(inner) : undefined) ?? batchRequestId;
    answers.set(r.id, { id: r.id, status, ...(inner?.body !== undefined ? { body: inner.body } : {}), ...(requestId ? { requestId } : {}), attempts: attempts.get(r.id) ?? 1 });
  };

  /** Everyone waits for the largest Retry-After; the batches in flight halve once per throttled batch (see send). */
  const backOff = (seconds: number | undefined): void => {
    throttled++;
    resumeAt = Math.max(resumeAt, now() + (seconds ?? 2) * 1000 + jitter());
  };
  const halve = (): void => {
    limit = Math.max(1, Math.floor(limit / 2));
  };

  /** Settles one unit from its inner responses; returns the remainder to resend, if any. */
  const settle = (p: Pending, byId: Map<string, InnerResponse>, batchRequestId: string | undefined): Pending | undefined => {
    const rest = p.unit.requests.slice(p.from);
    for (let i = 0; i < rest.length; i++) {
      const r = rest[i];
      if (!r) continue;
      const inner = byId.get(r.id);
      const status = typeof inner?.status === 'number' ? inner.status : 502;
      if (status === 429 && stalls < maxStalls) {
        backOff(retryAfterSeconds(inner?.headers));
        if (!p.unit.sequential) {
          queue.push({ unit: { requests: [r] }, from: 0 });
          continue;
        }
        // A chain resumes at its first throttled request; the ones after it got 424 and are resent with it.
        return { unit: p.unit, from: p.from + i };
      }
      answer(r, status, inner, batchRequestId);
      if (p.unit.sequential && status >= 400) {
        for (const after of rest.slice(i + 1)) if (!answers.has(after.id)) answer(after, 424, byId.get(after.id), batchRequestId);
        return undefined;
      }
    }
    return undefined;
  };

  const send = async (batch: Pending[]): Promise<void> => {
    for (const p of batch) for (const r of p.unit.requests.slice(p.from)) attempts.set(r.id, (attempts.get(r.id) ?? 0) + 1);
    roundTrips++;
    let responses: InnerResponse[];
    let batchRequestId: string | undefined;
    try {
      const sent = await sendWrite(client.api('/$batch').version(options.version ?? 'v1.0'), 'POST', envelope(batch));
      batchRequestId = sent.requestId;
      responses = ((sent.body as { responses?: InnerResponse[] } | undefined)?.responses ?? []).filter((r) => typeof r === 'object' && r !== null);
    } catch (e) {
      const status = typeof (e as { statusCode?: unknown }).statusCode === 'number' ? (e as { statusCode: number }).statusCode : 503;
      const canResend = batch.every((p) => p.unit.requests.slice(p.from).every((r) => !r.neverRepeat));
      if (status === 429 && canResend && ++stalls <= maxStalls) {
        const header = (e as { headers?: { get?: (name: string) => string | null } }).headers?.get?.('Retry-After');
        backOff(retryAfterSeconds({ 'retry-after': header ?? undefined }));
        halve();
        queue.unshift(...batch);
        return;
      }
      const failedId = typeof (e as { requestId?: unknown }).requestId === 'string' ? (e as { requestId: string }).requestId : undefined;
      for (const p of batch) for (const r of p.unit.requests.slice(p.from)) answer(r, status > 0 ? status : 503, undefined, failedId);
      return;
    }
    const byId = new Map(responses.map((r) => [String(r.id), r]));
    stalls = responses.length > 0 && responses.every((r) => r.status === 429) ? stalls + 1 : 0;
    const before = throttled;
    for (const p of batch) {
      const again = settle(p, byId, batchRequestId);
      if (again) queue.push(again);
    }
    if (throttled === before) {
      limit = Math.min(maxConcurrency, limit + 1);
      peak = Math.max(peak, limit);
    } else halve();
    options.onProgress?.(answers.size, total);
  };

  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (queue.length === 0 && inFlight === 0) return resolve();
      const wait = resumeAt - now();
      if (wait > 0) {
        if (inFlight === 0) void sleep(wait).then(pump, reject);
        return;
      }
      while (inFlight < limit && queue.length > 0) {
        const batch = takeBatch(queue);
        inFlight++;
        send(batch).then(
          () => {
            inFlight--;
            pump();
          },
          (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
        );
      }
    };
    pump();
  });
  return { answers, roundTrips, throttled, peakConcurrency: peak };
}
