import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { mayRepeat } from './graph-request-match';
import { methodOf, urlOf } from './middleware-context';
import { backOffMs, realTiming, retryAfterMs, type Timing } from '../resilience';

/** How hard the Graph client tries before it gives a failure back to the step that asked. */
export interface RetryPolicy {
  /** Repeats after the first attempt. */
  readonly maxRetries: number;
  /** The first back-off when Graph sends no Retry-After; it doubles on each repeat, with jitter. */
  readonly baseDelayMs: number;
  /** The longest single wait. A Retry-After above it is not waited out: the caller reports throttling and the wait. */
  readonly maxDelayMs: number;
  /** One attempt's limit: a slower answer is abandoned (and repeated when the request may be repeated). */
  readonly attemptTimeoutMs: number;
  /** The whole request's limit, attempts and waits together; no wait is started that would end past it. */
  readonly deadlineMs: number;
}

/** Graph's authentication-methods APIs time out after 60 s themselves (spec §1.1); nothing waits longer than that. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, attemptTimeoutMs: 30_000, deadlineMs: 60_000 };

/** Statuses Graph documents as transient: throttled, bad gateway, unavailable, gateway timeout. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Whether the client may repeat a request by itself is its registry entry's `mayRepeat` (graph-requests.ts): one
 * rule for the single-request retries here and the `$batch` runner.
 */
export { mayRepeat } from './graph-request-match';

/** The request got no answer: the connection failed or was reset. The SDK turns the name into GraphError.code. */
export class GraphConnectionError extends Error {
  constructor() {
    super('The connection to Microsoft Graph failed before an answer arrived.');
    this.name = 'ClientConnectionFailed';
  }
}

/** The request got no answer within the attempt's time limit. */
export class GraphTimeoutError extends Error {
  constructor(readonly afterMs: number) {
    super(`Microsoft Graph did not answer within ${Math.round(afterMs / 1000)} s.`);
    this.name = 'ClientTimeout';
  }
}

/**
 * Replaces the SDK's RetryHandler, which retries only on a status (a reset connection or a hung request is thrown
 * straight back) and has no overall limit. This one gives each attempt a time limit, repeats what `mayRepeat` allows
 * after 429/502/503/504, a reset or a timeout, honours Retry-After, backs off exponentially with jitter otherwise,
 * and stops at `maxRetries` or the deadline. The last answer (or error) goes back to the caller, which maps it.
 */
export class ResilientRetryHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly timing: Timing = realTiming,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('ResilientRetryHandler has no next middleware');
    const repeatable = mayRepeat(methodOf(context), urlOf(context));
    const started = this.timing.now();
    const callerSignal = context.options?.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      const left = this.policy.deadlineMs - (this.timing.now() - started);
      const limit = Math.max(1, Math.min(this.policy.attemptTimeoutMs, left));
      const timeout = AbortSignal.timeout(limit);
      context.options = { ...context.options, signal: callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout };
      context.response = undefined;
      let failure: Error | undefined;
      try {
        await next.execute(context);
      } catch (e) {
        if (callerSignal?.aborted) throw e;
        failure = timeout.aborted ? new GraphTimeoutError(limit) : new GraphConnectionError();
      } finally {
        context.options = { ...context.options, signal: callerSignal };
      }
      // Set by the fetch handler during next.execute (TypeScript cannot see that).
      const answer = context.response as Response | undefined;
      const status = failure ? undefined : answer?.status;
      const transient = failure !== undefined || (status !== undefined && TRANSIENT_STATUSES.has(status));
      const wait = transient && repeatable && attempt < this.policy.maxRetries ? this.waitBefore(attempt, answer, failure) : undefined;
      const fits = wait !== undefined && this.timing.now() - started + wait < this.policy.deadlineMs;
      if (!fits) {
        if (failure) throw failure;
        return;
      }
      // An answer we do not read must still be drained, or its connection is not reused.
      if (answer) await answer.arrayBuffer().catch(() => undefined);
      await this.timing.sleep(wait);
    }
  }

  /** Retry-After when Graph sent one (not waited for above maxDelayMs), else exponential back-off with jitter. */
  private waitBefore(attempt: number, response: Response | undefined, failure: Error | undefined): number | undefined {
    const asked = failure ? undefined : retryAfterMs(response?.headers.get('Retry-After'), this.timing.now());
    if (asked !== undefined) return asked > this.policy.maxDelayMs ? undefined : asked + this.timing.random() * Math.min(1000, asked * 0.1);
    return backOffMs(attempt, this.policy.baseDelayMs, () => this.timing.random(), this.policy.maxDelayMs);
  }
}
