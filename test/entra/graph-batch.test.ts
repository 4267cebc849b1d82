import type { Client } from '@microsoft/microsoft-graph-client';
import { SimulatedTenantCredential } from '../../src/entra/credentials';
import { runBatches, type BatchRequest } from '../../src/entra/graph-batch';
import { createGraphClient } from '../../src/entra/graph-client';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { ID } from '../simulator/graph-client';

const revoke = (id: string, userId: string = ID.megan): BatchRequest => ({ id, method: 'POST', url: `/users/${userId}/revokeSignInSessions` });

describe('runBatches: $batch with adaptive concurrency', () => {
  let sim: RunningSimulator;
  let client: Client;
  let clock = Date.parse('2025-06-15T12:00:00Z');
  const fakeTime = { now: () => clock, sleep: (ms: number) => Promise.resolve(void (clock += ms)), jitterMs: () => 0 };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(clock), throttling: 'graph', identityLimits: { writes: 10, writeWindowMs: 10_000 } });
    client = createGraphClient({ baseUrl: sim.url, credential: new SimulatedTenantCredential(), retry: { baseDelayMs: 50, maxRetries: 1 } });
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
    const fill = await runBatches(client, Array.from({ length: 8 }, (_, i) => ({ requests: [revoke(`f${i}`)] })), fakeTime);
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
    const run = await runBatches(client, units, { maxStalls: 1, jitterMs: () => 0, now: () => runnerClock, sleep: (ms) => Promise.resolve(void (runnerClock += ms)) });
    const statuses = [...run.answers.values()].map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('refuses units it cannot send', async () => {
    await expect(runBatches(client, [{ requests: Array.from({ length: 21 }, (_, i) => revoke(`x${i}`)) }])).rejects.toThrow('1 to 20 requests');
    await expect(runBatches(client, [{ requests: [revoke('d')] }, { requests: [revoke('d')] }])).rejects.toThrow('used twice');
  });
});
