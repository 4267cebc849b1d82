import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { GraphConnectionError, GraphTimeoutError, mayRepeat, ResilientRetryHandler, type RetryPolicy } from '../../src/entra/retry-middleware';
import { retryAfterMs, type Timing } from '../../src/resilience';

describe('which Graph requests the client repeats by itself', () => {
  it.each([
    ['GET', 'https://graph.microsoft.com/v1.0/users/u1', true],
    // Not a request the bot makes (the registry holds no HEAD), so never repeated.
    ['HEAD', 'https://graph.microsoft.com/v1.0/users/u1', false],
    ['GET', 'https://graph.microsoft.com/v1.0/users/u1/authentication/methods?$skiptoken=abc', true],
    ['GET', 'https://graph.microsoft.com/v1.0/groups', false],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/checkMemberGroups', true],
    ['DELETE', 'https://graph.microsoft.com/v1.0/users/u1/authentication/fido2Methods/f1', true],
    ['POST', 'https://graph.microsoft.com/v1.0/directory/deletedItems/u1/restore', true],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/revokeSignInSessions', true],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/authentication/temporaryAccessPassMethods', false],
    ['POST', 'https://graph.microsoft.com/v1.0/users', false],
    // The password PATCH: the identical body sets the same password.
    ['PATCH', 'https://graph.microsoft.com/v1.0/users/u1', true],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/revokeSignInSessions/../../u2/authentication/temporaryAccessPassMethods', false],
  ])('%s %s → %s', (method, url, repeated) => {
    expect(mayRepeat(method, url)).toBe(repeated);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-4', now)).toBeUndefined();
  });
});

type Answer = { status: number; headers?: Record<string, string> } | 'reset' | 'hang';

/** The fetch end of the chain, answering from a script; counts what it was sent. */
class ScriptedFetch implements Middleware {
  calls = 0;
  constructor(private readonly script: Answer[]) {}
  async execute(context: Context): Promise<void> {
    const answer = this.script[Math.min(this.calls, this.script.length - 1)] ?? { status: 200 };
    this.calls++;
    if (answer === 'reset') throw new TypeError('fetch failed');
    if (answer === 'hang') {
      await new Promise((_, reject) => context.options?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      return;
    }
    context.response = new Response(answer.status === 204 ? null : '{}', { status: answer.status, headers: answer.headers ?? {} });
  }
}

/** A clock that moves only when the handler sleeps; every wait is recorded. */
function fakeTiming(random = 0.5): Timing & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => random,
  };
}

const POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 10_000, attemptTimeoutMs: 5_000, deadlineMs: 30_000 };

async function send(script: Answer[], request: { method: string; url: string }, policy: Partial<RetryPolicy> = {}, timing = fakeTiming()) {
  const fetch = new ScriptedFetch(script);
  const handler = new ResilientRetryHandler({ ...POLICY, ...policy }, timing);
  handler.setNext(fetch);
  const context: Context = { request: request.url, options: { method: request.method } };
  let error: unknown;
  try {
    await handler.execute(context);
  } catch (e) {
    error = e;
  }
  return { status: context.response?.status, calls: fetch.calls, waits: timing.waits, error };
}

const READ = { method: 'GET', url: 'https://graph.microsoft.com/v1.0/users/u1/authentication/methods' };
const TAP = { method: 'POST', url: 'https://graph.microsoft.com/v1.0/users/u1/authentication/temporaryAccessPassMethods' };

describe('the Graph client retry handler', () => {
  it('waits what Retry-After asks (plus at most 10% jitter) and then succeeds', async () => {
    const r = await send([{ status: 429, headers: { 'Retry-After': '2' } }, { status: 200 }], READ);
    expect(r).toMatchObject({ status: 200, calls: 2, error: undefined });
    expect(r.waits).toHaveLength(1);
    expect(r.waits[0]).toBeGreaterThanOrEqual(2000);
    expect(r.waits[0]).toBeLessThanOrEqual(2200);
  });

  it('backs off exponentially with jitter on 503/504/502 without Retry-After, and gives the last answer back after maxRetries', async () => {
    const low = await send([{ status: 503 }, { status: 504 }, { status: 502 }, { status: 503 }, { status: 200 }], READ, {}, fakeTiming(0));
    expect(low).toMatchObject({ status: 503, calls: 4 });
    expect(low.waits).toEqual([500, 1000, 2000]);
    const high = await send([{ status: 503 }], READ, {}, fakeTiming(0.999));
    expect(high.waits.map(Math.round)).toEqual([1000, 1999, 3998]);
  });

  it('never waits longer than maxDelayMs for the back-off, and does not wait out a Retry-After above it', async () => {
    const capped = await send([{ status: 503 }], READ, { maxRetries: 6, deadlineMs: 1_000_000 }, fakeTiming(0.999));
    expect(Math.max(...capped.waits)).toBeLessThanOrEqual(10_000);
    const long = await send([{ status: 429, headers: { 'Retry-After': '60' } }, { status: 200 }], READ);
    expect(long).toMatchObject({ status: 429, calls: 1, waits: [] });
  });

  it('starts no wait that would end past the deadline', async () => {
    const r = await send([{ status: 429, headers: { 'Retry-After': '4' } }], READ, { deadlineMs: 10_000 });
    expect(r).toMatchObject({ status: 429, calls: 3 });
    expect(r.waits.reduce((a, b) => a + b, 0)).toBeLessThan(10_000);
  });

  it('repeats a read after a reset connection, and throws a connection error when resets outlast the retries', async () => {
    expect(await send(['reset', 'reset', { status: 200 }], READ)).toMatchObject({ status: 200, calls: 3 });
    const failed = await send(['reset'], READ);
    expect(failed.calls).toBe(4);
    expect(failed.error).toBeInstanceOf(GraphConnectionError);
  });

  it('abandons an attempt that takes longer than attemptTimeoutMs and repeats the read', async () => {
    const r = await send(['hang', { status: 200 }], READ, { attemptTimeoutMs: 20 });
    expect(r).toMatchObject({ status: 200, calls: 2 });
    const failed = await send(['hang'], READ, { attemptTimeoutMs: 20, maxRetries: 1 });
    expect(failed.error).toBeInstanceOf(GraphTimeoutError);
  });

  it.each<[string, Answer]>([
    ['503', { status: 503 }],
    ['429 with Retry-After', { status: 429, headers: { 'Retry-After': '1' } }],
    ['a reset connection', 'reset'],
  ])('sends a TAP create exactly once, even after %s', async (_label, first) => {
    const r = await send([first, { status: 201 }], TAP);
    expect(r.calls).toBe(1);
    expect(r.waits).toEqual([]);
    if (typeof first === 'object') expect(r.status).toBe(first.status);
    else expect(r.error).toBeInstanceOf(GraphConnectionError);
  });

  it('sends a TAP create once when it times out', async () => {
    const r = await send(['hang', { status: 201 }], TAP, { attemptTimeoutMs: 20 });
    expect(r.calls).toBe(1);
    expect(r.error).toBeInstanceOf(GraphTimeoutError);
  });

  it('does not repeat 4xx answers other than 429, or a success', async () => {
    expect(await send([{ status: 403 }, { status: 200 }], READ)).toMatchObject({ status: 403, calls: 1 });
    expect(
      await send([{ status: 404 }, { status: 200 }], { method: 'DELETE', url: 'https://graph.microsoft.com/v1.0/users/u1/authentication/fido2Methods/f1' }),
    ).toMatchObject({ status: 404, calls: 1 });
    expect(await send([{ status: 204 }], { method: 'DELETE', url: 'https://graph.microsoft.com/v1.0/users/u1/authentication/fido2Methods/f1' })).toMatchObject({
      status: 204,
      calls: 1,
    });
  });
});
