import type { Activity } from 'botbuilder';
import type { ThreadRef } from '../domain/case';
import type { Logger } from '../ports/logger';
import { backOffMs, realTiming, retryAfterFrom, type HeaderSource, type Timing } from '../resilience';
import type { ThreadPoster } from './thread-poster';

export interface PacingOptions {
  /** Sends (posts and edits) per thread per second. Teams allows a bot about 7 per second per thread. */
  readonly perSecond: number;
  /** Repeats of a send Teams answered 429, 412, 502 or 504. */
  readonly maxRetries: number;
  /** First back-off without Retry-After; doubles per repeat, with jitter. */
  readonly baseDelayMs: number;
  /** The longest single wait, Retry-After included. */
  readonly maxDelayMs: number;
}

/** Teams' per-thread limit for a bot is 7 sends in 1 s (also 8 / 2 s, 60 / 30 s): spec teams.md §10. */
export const DEFAULT_PACING: PacingOptions = { perSecond: 7, maxRetries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** Teams answers that are worth repeating (spec teams.md §10: retry 429, 412, 502 and 504 with back-off and jitter). */
const RETRYABLE = new Set([429, 412, 502, 504]);

/** The HTTP status and Retry-After (seconds or an HTTP date, from `now`) of a connector error (RestError from the Bot Framework connector client). */
export function teamsFailure(error: unknown, now: number): { status?: number; retryAfterMs?: number } {
  const e = error as { statusCode?: unknown; response?: { headers?: HeaderSource } } | undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const retryAfterMs = retryAfterFrom(e?.response?.headers, now);
  return { ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

interface Waiter {
  resolve(value: string | undefined): void;
  reject(error: unknown): void;
}

type Job =
  | { readonly kind: 'post'; readonly thread: ThreadRef; readonly activity: Partial<Activity>; readonly waiters: Waiter[] }
  | { readonly kind: 'update'; readonly thread: ThreadRef; readonly activityId: string; activity: Partial<Activity>; readonly waiters: Waiter[] };

interface Lane {
  readonly queue: Job[];
  /** When the last sends went out, for the sliding one-second window. */
  readonly sent: number[];
  running: boolean;
}

/**
 * Sends to a thread at Teams' pace: one queue per thread, at most `perSecond` sends in any second, edits of the same
 * message still waiting in the queue merged into one (the latest wins, every caller is answered when it is sent),
 * and 429/412/502/504 repeated after Retry-After or a jittered back-off. Other failures, and a send that still fails
 * after the repeats, go back to the caller, which decides (ThreadCards logs and carries on: the case is saved).
 */
export class PacedThreadPoster implements ThreadPoster {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly inner: ThreadPoster,
    private readonly logger: Logger,
    private readonly options: PacingOptions = DEFAULT_PACING,
    private readonly clock: Timing = realTiming,
  ) {}

  post(thread: ThreadRef, activity: Partial<Activity>): Promise<string | undefined> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'post', thread, activity, waiters: [{ resolve, reject }] }));
  }

  async update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    await new Promise<string | undefined>((resolve, reject) => {
      const lane = this.lane(thread);
      const waiting = lane.queue.find((j): j is Extract<Job, { kind: 'update' }> => j.kind === 'update' && j.activityId === activityId);
      if (waiting) {
        waiting.activity = activity;
        waiting.waiters.push({ resolve, reject });
        return;
      }
      this.enqueue({ kind: 'update', thread, activityId, activity, waiters: [{ resolve, reject }] });
    });
  }

  memberIds(thread: ThreadRef, aadObjectIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return this.inner.memberIds(thread, aadObjectIds);
  }

  private lane(thread: ThreadRef): Lane {
    let lane = this.lanes.get(thread.conversationId);
    if (!lane) {
      lane = { queue: [], sent: [], running: false };
      this.lanes.set(thread.conversationId, lane);
    }
    return lane;
  }

  private enqueue(job: Job): void {
    const lane = this.lane(job.thread);
    lane.queue.push(job);
    if (!lane.running) {
      lane.running = true;
      void this.drain(job.thread.conversationId, lane);
    }
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    for (let job = lane.queue.shift(); job; job = lane.queue.shift()) {
      try {
        const id = await this.sendWithRetries(lane, job);
        for (const w of job.waiters) w.resolve(id);
      } catch (error) {
        for (const w of job.waiters) w.reject(error);
      }
    }
    lane.running = false;
    // A lane is forgotten only once its window is empty, so a burst right after cannot exceed the pace.
    const now = this.clock.now();
    if (lane.sent.every((t) => t <= now - 1000)) this.lanes.delete(key);
  }

  private async sendWithRetries(lane: Lane, job: Job): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      await this.waitForSlot(lane);
      lane.sent.push(this.clock.now());
      try {
        if (job.kind === 'post') return await this.inner.post(job.thread, job.activity);
        await this.inner.update(job.thread, job.activityId, job.activity);
        return job.activityId;
      } catch (error) {
        const { status, retryAfterMs } = teamsFailure(error, this.clock.now());
        if (status === undefined || !RETRYABLE.has(status) || attempt >= this.options.maxRetries) throw error;
        const { baseDelayMs, maxDelayMs } = this.options;
        const wait = Math.min(maxDelayMs, retryAfterMs ?? backOffMs(attempt, baseDelayMs, () => this.clock.random(), maxDelayMs));
        this.logger.info('Teams send repeated', { status, attempt: attempt + 1, waitMs: Math.round(wait), kind: job.kind });
        await this.clock.sleep(wait);
      }
    }
  }

  /** Waits until fewer than `perSecond` sends went out in the last second. */
  private async waitForSlot(lane: Lane): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (lane.sent.length > 0 && (lane.sent[0] ?? 0) <= now - 1000) lane.sent.shift();
      if (lane.sent.length < this.options.perSecond) return;
      await this.clock.sleep((lane.sent[0] ?? now) + 1000 - now);
    }
  }
}
