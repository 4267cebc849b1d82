import type { Activity } from 'botbuilder';
import type { ThreadRef } from '../../src/domain/case';
import { PacedThreadPoster, teamsFailure, type PacingOptions } from '../../src/teams/paced-thread-poster';
import type { Timing } from '../../src/resilience';
import type { ThreadPoster } from '../../src/teams/thread-poster';
import { recordingLogger, type LogLine } from '../helpers/bot-harness';

/** Virtual time: sleeping moves the clock, nothing really waits. */
function virtualClock(): Timing & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
}

/** A Teams connector that records when (in virtual time) each send reached it, and fails as scripted. */
class FakeConnector implements ThreadPoster {
  readonly sends: { at: number; kind: 'post' | 'update'; thread: string; activityId: string; text: string }[] = [];
  private next = 0;
  constructor(
    private readonly clock: Timing,
    readonly failures: Error[] = [],
  ) {}
  private record(kind: 'post' | 'update', thread: ThreadRef, activityId: string, activity: Partial<Activity>): void {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sends.push({ at: this.clock.now(), kind, thread: thread.conversationId, activityId, text: activity.text ?? '' });
  }
  async post(thread: ThreadRef, activity: Partial<Activity>): Promise<string | undefined> {
    await Promise.resolve();
    this.record('post', thread, `m${this.next + 1}`, activity);
    return `m${++this.next}`;
  }
  async update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    await Promise.resolve();
    this.record('update', thread, activityId, activity);
  }
  memberIds(): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(new Map());
  }
}

/** Shaped like the Bot Framework connector's RestError. */
function restError(statusCode: number, retryAfter?: string): Error {
  const error = new Error(`HTTP ${statusCode}`) as Error & { statusCode: number; response: { headers: { get(name: string): string | undefined } } };
  error.statusCode = statusCode;
  error.response = { headers: { get: (name) => (name.toLowerCase() === 'retry-after' ? retryAfter : undefined) } };
  return error;
}

const thread = (id: string): ThreadRef => ({ channelId: 'msteams', serviceUrl: 'https://smba.example/', conversationId: id, tenantId: 't' });
const OPTIONS: PacingOptions = { perSecond: 7, maxRetries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

function setUp(failures: Error[] = []) {
  const clock = virtualClock();
  const connector = new FakeConnector(clock, failures);
  const logs: LogLine[] = [];
  return { clock, connector, logs, poster: new PacedThreadPoster(connector, recordingLogger(logs), OPTIONS, clock) };
}

/** The most sends any one-second window of one thread saw. */
function busiestSecond(sends: readonly { at: number; thread: string }[], threadId: string): number {
  const times = sends.filter((s) => s.thread === threadId).map((s) => s.at);
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
}

describe('PacedThreadPoster: Teams sends at the per-thread pace', () => {
  it('sends at most 7 per second per thread, in order, and answers every caller', async () => {
    const { connector, poster } = setUp();
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => poster.post(thread('A'), { text: `n${i}` })));
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
    expect(connector.sends.map((s) => s.text)).toEqual(Array.from({ length: 30 }, (_, i) => `n${i}`));
    expect(busiestSecond(connector.sends, 'A')).toBe(7);
  });

  it('paces each thread on its own', async () => {
    const { connector, poster } = setUp();
    await Promise.all([
      ...Array.from({ length: 7 }, () => poster.post(thread('A'), { text: 'a' })),
      ...Array.from({ length: 7 }, () => poster.post(thread('B'), { text: 'b' })),
    ]);
    expect(connector.sends.filter((s) => s.thread === 'B').every((s) => s.at === 0)).toBe(true);
    expect(connector.sends.filter((s) => s.thread === 'A').every((s) => s.at === 0)).toBe(true);
  });

  it('merges edits of the same message still waiting: the latest wins, every caller is answered', async () => {
    const { connector, poster } = setUp();
    const burst = Array.from({ length: 7 }, (_, i) => poster.post(thread('A'), { text: `fill${i}` }));
    const edits = [1, 2, 3, 4].map((v) => poster.update(thread('A'), 'card-1', { text: `v${v}` }));
    const other = poster.update(thread('A'), 'card-2', { text: 'other' });
    await Promise.all([...burst, ...edits, other]);
    const cardEdits = connector.sends.filter((s) => s.activityId === 'card-1');
    expect(cardEdits.map((s) => s.text)).toEqual(['v4']);
    expect(connector.sends.filter((s) => s.activityId === 'card-2').map((s) => s.text)).toEqual(['other']);
  });

  it('does not merge into an edit already sent: a later edit is sent too, after it', async () => {
    const { connector, poster } = setUp();
    await poster.update(thread('A'), 'card-1', { text: 'v1' });
    await poster.update(thread('A'), 'card-1', { text: 'v2' });
    expect(connector.sends.map((s) => s.text)).toEqual(['v1', 'v2']);
  });

  it.each([429, 412, 502, 504])('repeats a send Teams answered %i, after Retry-After when given', async (status) => {
    const { clock, connector, poster, logs } = setUp([restError(status, status === 429 ? '2' : undefined)]);
    expect(await poster.post(thread('A'), { text: 'hello' })).toBe('m1');
    expect(connector.sends.map((s) => s.text)).toEqual(['hello']);
    expect(clock.sleeps).toEqual([status === 429 ? 2000 : 375]);
    expect(logs).toContainEqual(expect.objectContaining({ message: 'Teams send repeated', fields: expect.objectContaining({ status }) }));
  });

  it('gives up after maxRetries and hands the last error to the caller', async () => {
    const { connector, poster, clock } = setUp([restError(502), restError(502), restError(502), restError(502)]);
    await expect(poster.update(thread('A'), 'card-1', { text: 'x' })).rejects.toThrow('HTTP 502');
    expect(connector.sends).toEqual([]);
    expect(clock.sleeps).toEqual([375, 750, 1500]);
  });

  it('does not repeat other failures (403 bot not in the conversation, 400)', async () => {
    const { connector, poster } = setUp([restError(403), restError(400)]);
    await expect(poster.post(thread('A'), { text: 'x' })).rejects.toThrow('HTTP 403');
    await expect(poster.post(thread('A'), { text: 'y' })).rejects.toThrow('HTTP 400');
    expect(await poster.post(thread('A'), { text: 'z' })).toBe('m1');
    expect(connector.sends.map((s) => s.text)).toEqual(['z']);
  });

  it('reads status and Retry-After from a connector error, and nothing from anything else', () => {
    expect(teamsFailure(restError(429, '3'), 0)).toEqual({ status: 429, retryAfterMs: 3000 });
    expect(teamsFailure(restError(429, 'Thu, 01 Jan 1970 00:00:04 GMT'), 1000)).toEqual({ status: 429, retryAfterMs: 3000 });
    expect(teamsFailure(new Error('socket hang up'), 0)).toEqual({});
    expect(teamsFailure(undefined, 0)).toEqual({});
  });
});
