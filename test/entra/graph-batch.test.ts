import type { Client } from '@microsoft/microsoft-graph-client';
import { runBatches, type BatchRequest } from '../../src/entra/graph-batch';
import { createGraphClient } from '../../src/entra/graph-client';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { ID } from '../simulator/graph-client';
import { simulatorCredential } from '../helpers/simulator-token';

const revoke = (id: string, userId: string = ID.megan): BatchRequest => ({ id, method: 'POST', url: `/users/${userId}/revokeSignInSessions` });

describe('runBatches: $batch with adaptive concurrency', () => {
  let sim: RunningSimulator;
  let client: Client;
  let clock = Date.parse('2025-06-15T12:00:00Z');
  const fakeTime = { now: () => clock, sleep: (ms: number) => Promise.resolve(void (clock += ms)), jitterMs: () => 0 };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(clock), throttling: 'graph', identityLimits: { writes: 10, writeWindowMs: 10_000 } });
    client = createGraphClient({ baseUrl: sim.url, credential: simulatorCredential(sim.url), retry: { baseDelayMs: 50, maxRetries: 1 } });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    clock += 60_000;
  });

  it('answers every request once, at most 20 per batch, waiting out the 429s', async () => {
    const units = Array.from({ length: 45 }, (_, i) => ({ requests: [revoke(`r${i}`)] }));
    const progress: number[] = [];
    const run = await runBatches(client, units, { ...fakeTime, onProgress: (n) => progress.push(n) });
    expect(run.answers.size).toBe(45);
    expect([...run.answers.values()].every((a) => a.status === 200 && typeof a.requestId === 'string')).toBe(true);
    // 45 writes through a bucket of 10 per 10 s: at least 5 rounds, and the surplus was refused and resent.
    expect(run.throttled).toBeGreaterThan(0);
    expect(run.roundTrips).toBeGreaterThanOrEqual(5);
    expect(Math.max(...[...run.answers.values()].map((a) => a.attempts))).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(45);
  });

  it('resumes a sequential chain at its first throttled request', async () => {
    const fill = await runBatches(
      client,
      Array.from({ length: 8 }, (_, i) => ({ requests: [revoke(`f${i}`)] })),
      fakeTime,
    );
    expect([...fill.answers.values()].every((a) => a.status === 200)).toBe(true);
    const chain = ['c1', 'c2', 'c3', 'c4'].map((id) => revoke(id));
    const run = await runBatches(client, [{ requests: chain, sequential: true }], fakeTime);
    expect(['c1', 'c2', 'c3', 'c4'].map((id) => run.answers.get(id)?.status)).toEqual([200, 200, 200, 200]);
    expect(run.answers.get('c1')?.attempts).toBe(1);
    expect(run.answers.get('c3')?.attempts).toBe(2);
    expect(run.roundTrips).toBeGreaterThanOrEqual(2);
  });

  it('stops a chain at a final failure: the rest answer 424 and are not resent', async () => {
    const chain = [revoke('ok'), revoke('gone', '00000000-0000-4000-8000-00000000dead'), revoke('after')];
    const run = await runBatches(client, [{ requests: chain, sequential: true }], fakeTime);
    expect(['ok', 'gone', 'after'].map((id) => run.answers.get(id)?.status)).toEqual([200, 404, 424]);
    expect(run.roundTrips).toBe(1);
  });

  it('gives up when a batch is throttled as a whole maxStalls times in a row, and says so in the answers', async () => {
    const units = Array.from({ length: 14 }, (_, i) => ({ requests: [revoke(`m${i}`)] }));
    // The tenant's clock stands still (no refill); only the runner's own clock moves while it waits.
    let runnerClock = 0;
    const run = await runBatches(client, units, {
      maxStalls: 1,
      jitterMs: () => 0,
      now: () => runnerClock,
      sleep: (ms) => Promise.resolve(void (runnerClock += ms)),
    });
    const statuses = [...run.answers.values()].map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('refuses units it cannot send', async () => {
    await expect(runBatches(client, [{ requests: Array.from({ length: 21 }, (_, i) => revoke(`x${i}`)) }])).rejects.toThrow('1 to 20 requests');
    await expect(runBatches(client, [{ requests: [revoke('d')] }, { requests: [revoke('d')] }])).rejects.toThrow('used twice');
  });
});

describe('runBatches: transient failures inside $batch', () => {
  let sim: RunningSimulator;
  let client: Client;
  /** Inner requests that reached the tenant, by path (a 424 never reaches it). */
  let reached: string[] = [];
  let clock = 0;
  let waits: number[] = [];
  const fakeTime = {
    now: () => clock,
    sleep: (ms: number) => Promise.resolve(void (waits.push(ms), (clock += ms))),
    jitterMs: () => 0,
    random: () => 0.5,
  };
  const timesReached = (path: string): number => reached.filter((p) => p === path).length;
  const revokePath = (userId: string): string => `/users/${userId}/revokeSignInSessions`;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, onGraphRequest: (r) => void (r.path !== '/$batch' && reached.push(r.path)) });
    client = createGraphClient({ baseUrl: sim.url, credential: simulatorCredential(sim.url), retry: { baseDelayMs: 50, maxRetries: 1 } });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.faults.clear();
    reached = [];
    waits = [];
    clock = 1_000_000;
  });

  it('resends a request answered 503, and only that one: the write that succeeded beside it is not sent again', async () => {
    sim.faults.add({ path: new RegExp(`${ID.alex}/revokeSignInSessions$`), kind: 'error', status: 503, times: 1 });
    const run = await runBatches(client, [{ requests: [revoke('a', ID.alex)] }, { requests: [revoke('m', ID.megan)] }], fakeTime);
    expect([run.answers.get('a')?.status, run.answers.get('m')?.status]).toEqual([200, 200]);
    expect([run.answers.get('a')?.attempts, run.answers.get('m')?.attempts]).toEqual([2, 1]);
    expect([timesReached(revokePath(ID.alex)), timesReached(revokePath(ID.megan))]).toEqual([2, 1]);
    expect(run.resent).toBe(1);
    // No Retry-After: a back-off of its own (500 ms first, jittered between half and all of it).
    expect(waits).toEqual([375]);
  });

  it('waits out the Retry-After of an inner 429 or 503 before resending', async () => {
    sim.faults.add({ path: new RegExp(`${ID.alex}/revokeSignInSessions$`), kind: 'throttle', retryAfterSeconds: 1, times: 1 });
    sim.faults.add({ path: new RegExp(`${ID.patti}/revokeSignInSessions$`), kind: 'error', status: 503, retryAfterSeconds: 2, times: 1 });
    const run = await runBatches(client, [{ requests: [revoke('a', ID.alex)] }, { requests: [revoke('p', ID.patti)] }], fakeTime);
    expect([run.answers.get('a')?.status, run.answers.get('p')?.status]).toEqual([200, 200]);
    // The 429 holds every request for its 1 s; the 503 holds its own request for its 2 s, counted from the same answer.
    expect(waits).toEqual([1000, 1000]);
    expect([run.answers.get('a')?.attempts, run.answers.get('p')?.attempts]).toEqual([2, 2]);
  });

  it('reads an inner Retry-After given as an HTTP date', async () => {
    sim.faults.add({
      path: new RegExp(`${ID.alex}/revokeSignInSessions$`),
      kind: 'error',
      status: 503,
      retryAfter: new Date(clock + 3_000).toUTCString(),
      times: 1,
    });
    const run = await runBatches(client, [{ requests: [revoke('a', ID.alex)] }], fakeTime);
    expect(run.answers.get('a')).toMatchObject({ status: 200, attempts: 2 });
    expect(waits).toEqual([3000]);
  });

  it('resumes a dependsOn chain at the request that failed transiently: the 424s after it go again once, in order', async () => {
    sim.faults.add({ path: new RegExp(`${ID.patti}/revokeSignInSessions$`), kind: 'error', status: 504, times: 1 });
    const chain = [revoke('c1', ID.alex), revoke('c2', ID.patti), revoke('c3', ID.adele)];
    const run = await runBatches(client, [{ requests: chain, sequential: true }], fakeTime);
    expect(['c1', 'c2', 'c3'].map((id) => run.answers.get(id)?.status)).toEqual([200, 200, 200]);
    expect(['c1', 'c2', 'c3'].map((id) => run.answers.get(id)?.attempts)).toEqual([1, 2, 2]);
    // c1 succeeded and is not repeated; c3 was answered 424 without running, then ran once.
    expect(reached).toEqual([revokePath(ID.alex), revokePath(ID.patti), revokePath(ID.patti), revokePath(ID.adele)]);
  });

  it('never resends a neverRepeat request answered 503, nor its dependents', async () => {
    sim.faults.add({ path: new RegExp(`${ID.alex}/revokeSignInSessions$`), kind: 'error', status: 503, times: 1 });
    const chain = [{ ...revoke('once', ID.alex), neverRepeat: true }, revoke('next', ID.megan)];
    const run = await runBatches(client, [{ requests: chain, sequential: true }], fakeTime);
    expect([run.answers.get('once')?.status, run.answers.get('next')?.status]).toEqual([503, 424]);
    expect(run.answers.get('once')?.attempts).toBe(1);
    expect(timesReached(revokePath(ID.alex))).toBe(1);
    expect(run.resent).toBe(0);
  });

  it('gives up at the deadline: no wait ends past it, and the last answer stays', async () => {
    sim.faults.add({ path: new RegExp(`${ID.alex}/revokeSignInSessions$`), kind: 'error', status: 503 });
    const run = await runBatches(client, [{ requests: [revoke('a', ID.alex)] }], { ...fakeTime, deadline: clock + 2_000, maxTransientRetries: 10 });
    expect(run.answers.get('a')?.status).toBe(503);
    expect(run.answers.get('a')?.attempts).toBeGreaterThan(1);
    expect(clock).toBeLessThan(1_000_000 + 2_000);
  });

  it('gives up after maxTransientRetries', async () => {
    sim.faults.add({ path: new RegExp(`${ID.alex}/revokeSignInSessions$`), kind: 'error', status: 502 });
    const run = await runBatches(client, [{ requests: [revoke('a', ID.alex)] }], { ...fakeTime, maxTransientRetries: 2 });
    expect(run.answers.get('a')).toMatchObject({ status: 502, attempts: 3 });
  });

  it('resends a batch lost as a whole (a reset) unit by unit, only the units that may repeat', async () => {
    // The reset comes at the second request of the batch: the first one ran, and runs again (a repeatable POST).
    sim.faults.add({ path: new RegExp(`${ID.patti}/revokeSignInSessions$`), kind: 'reset', times: 1 });
    const tap = { id: 'tap', method: 'POST' as const, url: `/users/${ID.adele}/authentication/temporaryAccessPassMethods`, body: {}, neverRepeat: true };
    const run = await runBatches(client, [{ requests: [revoke('a', ID.alex)] }, { requests: [revoke('p', ID.patti)] }, { requests: [tap] }], fakeTime);
    expect([run.answers.get('a')?.status, run.answers.get('p')?.status]).toEqual([200, 200]);
    expect(run.answers.get('tap')).toMatchObject({ status: 503, attempts: 1 });
    expect(run.roundTrips).toBe(2);
  });

  it('does not resend a user create (not repeatable: a second one would fail or make a second user) answered 503', async () => {
    sim.faults.add({ path: /\/users$/, method: 'POST', kind: 'error', status: 503, times: 1 });
    const body = {
      accountEnabled: true,
      displayName: 'X',
      mailNickname: 'x',
      userPrincipalName: 'x@contoso.com',
      passwordProfile: { password: 'Zq7!mR2#vLp9@xT4' },
    };
    const run = await runBatches(client, [{ requests: [{ id: 'u', method: 'POST', url: '/users', body }] }], fakeTime);
    expect(run.answers.get('u')).toMatchObject({ status: 503, attempts: 1 });
  });
});
