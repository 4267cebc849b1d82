import type { Client } from '@microsoft/microsoft-graph-client';
import { setTimeout as delay } from 'node:timers/promises';
import { sendWrite } from './graph-writes';
import { graphRequest } from './graph-path';
import { mayRepeatInBatch, UnregisteredGraphRequestError } from './graph-request-match';
import { REQUESTS } from './graph-requests';
import { TRANSIENT_STATUSES } from './retry-middleware';
import { backOffMs, fitsDeadline, realTiming, retryAfterFrom, type HeaderSource } from '../resilience';

/** JSON batching takes at most 20 requests (spec §8). */
export const MAX_BATCH_REQUESTS = 20;

/** One request inside a `$batch`; `url` is relative to the version, e.g. `/users/{id}`. */
export interface BatchRequest {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: object;
  /**
   * A request whose outcome is unknown after a failure must not be repeated (a TAP create: a second one replaces the
   * pass already handed out): not after a throttle or failure of its whole batch, not after its own 502/503/504. Inner
   * 429s are still resent: Graph refused those before running them.
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
  /**
   * When the run must be over, on the `now` clock (the caller's step deadline). No wait is started that would end
   * past it: a request still failing then keeps its last answer (429, 503...). None by default.
   */
  readonly deadline?: number;
  /** How many times a request answered 502/503/504 (or lost with its whole batch) is sent again (default 4). */
  readonly maxTransientRetries?: number;
  /** The first back-off after a 502/503/504 without Retry-After (default 500 ms); it doubles per repeat, with jitter. */
  readonly baseDelayMs?: number;
  /** In [0, 1): spreads that back-off (Math.random by default). */
  readonly random?: () => number;
}

export interface BatchRun {
  readonly answers: ReadonlyMap<string, BatchAnswer>;
  /** HTTP requests sent (one per `$batch`). */
  readonly roundTrips: number;
  /** Inner responses that were 429. */
  readonly throttled: number;
  /** Requests sent again after a 502/503/504 of their own or of their whole batch. */
  readonly resent: number;
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
  /** Not to be sent before this time (`now` clock): the back-off after a 502/503/504. */
  readonly notBefore?: number;
}

/**
 * Whether a request may be sent again after a transient answer that does not say it did not run (its own 502, 503 or
 * 504, or its whole batch lost): the retry middleware's rule for single requests (reads, deletes, repeatable POSTs),
 * and never a request marked `neverRepeat`.
 */
function mayResend(r: BatchRequest, version: 'v1.0' | 'beta'): boolean {
  return !r.neverRepeat && mayRepeatInBatch(r.method, version, r.url);
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
    if (unit.requests.length === 0 || unit.requests.length > MAX_BATCH_REQUESTS)
      throw new RangeError(`a batch unit holds 1 to ${MAX_BATCH_REQUESTS} requests, got ${unit.requests.length}`);
    for (const r of unit.requests) {
      if (ids.has(r.id)) throw new RangeError(`batch request id ${r.id} is used twice`);
      ids.add(r.id);
    }
  }
}

/** Packs pending units that are due into batches of at most 20 requests, in queue order, a unit never split. */
function takeBatch(queue: Pending[], now: number): Pending[] {
  const batch: Pending[] = [];
  let size = 0;
  for (let i = 0; i < queue.length;) {
    const next = queue[i];
    if (!next) break;
    const n = next.unit.requests.length - next.from;
    if ((next.notBefore ?? 0) > now) {
      i++;
      continue;
    }
    if (size + n > MAX_BATCH_REQUESTS) break;
    batch.push(next);
    queue.splice(i, 1);
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
 * request on its own, with its own status and headers (the outer status is 200 even when they fail), throttles each
 * on its own, and answers 424 for the dependents of a failed request in a `dependsOn` chain (microsoft-graph-docs-contrib
 * concepts/json-batching.md); the SDK retries nothing inside a batch. Here:
 * - a throttled request (inner 429) is queued again, everyone waits for the largest Retry-After, and the number of
 *   batches in flight halves (it grows again by one per clean batch), so the run settles at the rate Graph allows;
 * - a request answered 502/503/504 is queued again on its own after its Retry-After (seconds or HTTP date) or a
 *   jittered exponential back-off, if it may be repeated (`mayResend`: never a `neverRepeat` request);
 * - a chain resumes at its first such request, the 424 dependents after it resent with it in their order; what
 *   succeeded before it is never sent again;
 * - a whole batch refused with 429 is resent as it was (nothing in it ran); a whole batch lost otherwise (503, 504, a
 *   reset, a timeout: some of it may have run) is resent unit by unit, only the units whose every request may repeat.
 * No wait is started that would end past `deadline`; every answer not resent is final, with its own status.
 */
export async function runBatches(client: Client, units: readonly BatchUnit[], options: BatchOptions = {}): Promise<BatchRun> {
  validate(units);
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const now = options.now ?? realTiming.now;
  const jitter = options.jitterMs ?? (() => realTiming.random() * 100);
  const random = options.random ?? realTiming.random;
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 8);
  const maxStalls = Math.max(1, options.maxStalls ?? 8);
  const maxTransientRetries = Math.max(0, options.maxTransientRetries ?? 4);
  const version = options.version ?? 'v1.0';
  const baseDelayMs = Math.max(0, options.baseDelayMs ?? 500);
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
  let resent = 0;
  let resumeAt = 0;

  const answer = (r: BatchRequest, status: number, inner: InnerResponse | undefined, batchRequestId: string | undefined): void => {
    const requestId = (inner ? requestIdOf(inner) : undefined) ?? batchRequestId;
    answers.set(r.id, {
      id: r.id,
      status,
      ...(inner?.body !== undefined ? { body: inner.body } : {}),
      ...(requestId ? { requestId } : {}),
      attempts: attempts.get(r.id) ?? 1,
    });
  };

  /** Whether a wait of `ms` starting now ends before the deadline. */
  const fits = (ms: number): boolean => fitsDeadline(now(), ms, options.deadline);
  /** Retry-After when given, else exponential back-off from the request's attempts so far, with jitter. */
  const waitBefore = (retryAfter: number | undefined, sentTimes: number): number =>
    retryAfter !== undefined ? retryAfter + jitter() : backOffMs(sentTimes - 1, baseDelayMs, random);
  /** Whether a request (or a unit, by its most-sent request) may still go again after a transient failure. */
  const retriesLeft = (sentTimes: number): boolean => sentTimes <= maxTransientRetries;

  /** Everyone waits for the largest Retry-After; the batches in flight halve once per throttled batch (see send). */
  const backOff = (ms: number | undefined): void => {
    throttled++;
    resumeAt = Math.max(resumeAt, now() + (ms ?? 2000) + jitter());
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
      const asked = retryAfterFrom(inner?.headers, now());
      if (status === 429 && stalls < maxStalls && fits(asked ?? 2000)) {
        backOff(asked);
        if (!p.unit.sequential) {
          queue.push({ unit: { requests: [r] }, from: 0 });
          continue;
        }
        // A chain resumes at its first throttled request; the ones after it got 424 and are resent with it.
        return { unit: p.unit, from: p.from + i };
      }
      const sentTimes = attempts.get(r.id) ?? 1;
      if (status !== 429 && TRANSIENT_STATUSES.has(status) && mayResend(r, version) && retriesLeft(sentTimes)) {
        const wait = waitBefore(asked, sentTimes);
        if (fits(wait)) {
          resent++;
          if (!p.unit.sequential) {
            queue.push({ unit: { requests: [r] }, from: 0, notBefore: now() + wait });
            continue;
          }
          // Likewise a chain resumes at its first request that failed transiently, its 424 dependents after it.
          return { unit: p.unit, from: p.from + i, notBefore: now() + wait };
        }
      }
      answer(r, status, inner, batchRequestId);
      if (p.unit.sequential && status >= 400) {
        for (const after of rest.slice(i + 1)) if (!answers.has(after.id)) answer(after, 424, byId.get(after.id), batchRequestId);
        return undefined;
      }
    }
    return undefined;
  };

  /** The whole batch failed: each unit is resent if all of it may be, else answered with the failure. */
  const settleLost = (batch: readonly Pending[], status: number, retryAfter: number | undefined, failedId: string | undefined): void => {
    const transient = status <= 0 || TRANSIENT_STATUSES.has(status);
    for (const p of batch) {
      const rest = p.unit.requests.slice(p.from);
      const sentTimes = Math.max(...rest.map((r) => attempts.get(r.id) ?? 1));
      if (transient && rest.every((r) => mayResend(r, version)) && retriesLeft(sentTimes)) {
        const wait = waitBefore(retryAfter, sentTimes);
        if (fits(wait)) {
          resent += rest.length;
          queue.push({ ...p, notBefore: now() + wait });
          continue;
        }
      }
      for (const r of rest) answer(r, status > 0 ? status : 503, undefined, failedId);
    }
  };

  const send = async (batch: Pending[]): Promise<void> => {
    for (const p of batch) for (const r of p.unit.requests.slice(p.from)) attempts.set(r.id, (attempts.get(r.id) ?? 0) + 1);
    roundTrips++;
    let responses: InnerResponse[];
    let batchRequestId: string | undefined;
    try {
      const sent = await sendWrite(graphRequest(client, version === 'beta' ? REQUESTS.batchBeta : REQUESTS.batchV1), 'POST', envelope(batch));
      batchRequestId = sent.requestId;
      responses = ((sent.body as { responses?: InnerResponse[] } | undefined)?.responses ?? []).filter((r) => typeof r === 'object' && r !== null);
    } catch (e) {
      // A request the registry does not hold is a bug, not a lost batch.
      if (e instanceof UnregisteredGraphRequestError) throw e;
      // No status: the connection failed or the attempt timed out (the retry middleware never repeats a POST $batch).
      const status = typeof (e as { statusCode?: unknown }).statusCode === 'number' ? (e as { statusCode: number }).statusCode : 0;
      const asked = retryAfterFrom((e as { headers?: HeaderSource }).headers, now());
      const canResend = batch.every((p) => p.unit.requests.slice(p.from).every((r) => !r.neverRepeat));
      if (status === 429 && canResend && stalls < maxStalls && fits(asked ?? 2000)) {
        stalls++;
        backOff(asked);
        halve();
        queue.unshift(...batch);
        return;
      }
      const failedId = typeof (e as { requestId?: unknown }).requestId === 'string' ? (e as { requestId: string }).requestId : undefined;
      settleLost(batch, status, asked, failedId);
      options.onProgress?.(answers.size, total);
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
      while (inFlight < limit) {
        const batch = takeBatch(queue, now());
        if (batch.length === 0) break;
        inFlight++;
        send(batch).then(
          () => {
            inFlight--;
            pump();
          },
          (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
        );
      }
      // Nothing in flight and nothing due: sleep until the earliest back-off ends.
      if (inFlight === 0 && queue.length > 0) void sleep(Math.max(0, Math.min(...queue.map((p) => p.notBefore ?? 0)) - now())).then(pump, reject);
    };
    pump();
  });
  return { answers, roundTrips, throttled, resent, peakConcurrency: peak };
}
