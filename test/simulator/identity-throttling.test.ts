import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { DOCUMENTED_IDENTITY_LIMITS, identityCost } from '../../src/simulator/throttling';
import { FIXED_NOW, graph, ID } from './graph-client';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

describe('simulated Graph: identity and access token buckets', () => {
  it('defaults to the documented small-tenant limits per app per tenant', () => {
    expect(DOCUMENTED_IDENTITY_LIMITS).toEqual({ resourceUnits: 3_500, resourceUnitWindowMs: 10_000, writes: 3_000, writeWindowMs: 150_000 });
  });

  it.each([
    ['GET', ['users'], '', { resourceUnits: 2, writes: 0 }],
    ['GET', ['users'], '$select=id', { resourceUnits: 1, writes: 0 }],
    ['GET', ['users', 'x'], '', { resourceUnits: 1, writes: 0 }],
    ['GET', ['users', 'x'], '$expand=manager', { resourceUnits: 2, writes: 0 }],
    ['GET', ['users', 'x'], '$select=id&$top=5', { resourceUnits: 1, writes: 0 }],
    ['POST', ['directory', 'deletedItems', 'x', 'restore'], '', { resourceUnits: 1, writes: 1 }],
    ['DELETE', ['users', 'x', 'authentication', 'fido2Methods', 'y'], '', { resourceUnits: 1, writes: 1 }],
    ['POST', ['users', 'x', 'checkMemberGroups'], '', { resourceUnits: 1, writes: 0 }],
  ] as const)('%s /%s?%s costs %o', (method, segments, query, cost) => {
    expect(identityCost(method, segments, q(query))).toEqual(cost);
  });

  it('refuses limits that are not positive numbers', async () => {
    await expect(startSimulator({ port: 0, throttling: 'graph', identityLimits: { writes: 0 } })).rejects.toThrow('writes must be a positive number');
  });

  describe('with small buckets', () => {
    let sim: RunningSimulator;
    let clock = FIXED_NOW.getTime();
    beforeAll(async () => {
      sim = await startSimulator({
        port: 0,
        now: () => new Date(clock),
        throttling: 'graph',
        identityLimits: { writes: 3, writeWindowMs: 3_000, resourceUnits: 5, resourceUnitWindowMs: 5_000 },
      });
    });
    afterAll(async () => {
      await sim.close();
    });

    it('answers 429 with Retry-After when the write bucket is empty, and refills over time', async () => {
      for (let i = 0; i < 3; i++) expect((await graph(sim, `/users/${ID.megan}/revokeSignInSessions`, { method: 'POST' })).status).toBe(200);
      const throttled = await graph(sim, `/users/${ID.megan}/revokeSignInSessions`, { method: 'POST' });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('1');
      expect(throttled.body.error.code).toBe('TooManyRequests');
      // Reads still have resource units (3 of 5 used by the writes); the refused write took none.
      expect((await graph(sim, `/users/${ID.megan}`)).status).toBe(200);
      expect((await graph(sim, `/users/${ID.megan}`)).status).toBe(200);
      expect((await graph(sim, `/users/${ID.megan}`)).status).toBe(429);
      clock += 1_000;
      expect((await graph(sim, `/users/${ID.megan}/revokeSignInSessions`, { method: 'POST' })).status).toBe(200);
    });

    it('throttles each request inside a $batch on its own, with a Retry-After per inner response', async () => {
      clock += 10_000;
      const requests = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'POST', url: `/users/${ID.megan}/revokeSignInSessions` }));
      const res = await graph(sim, '/$batch', { body: { requests } });
      expect(res.status).toBe(200);
      const byStatus = (res.body.responses as { status: number; headers: Record<string, string> }[]).map((r) => r.status).sort();
      expect(byStatus).toEqual([200, 200, 200, 429, 429]);
      const throttled = (res.body.responses as { status: number; headers: Record<string, string> }[]).filter((r) => r.status === 429);
      for (const r of throttled) expect(r.headers['Retry-After']).toBe('1');
    });

    it('leaves the reports bucket as it was: 5 requests per 10 s', async () => {
      clock += 60_000;
      for (let i = 0; i < 5; i++) expect((await graph(sim, '/auditLogs/directoryAudits?$top=1')).status).toBe(200);
      expect((await graph(sim, '/auditLogs/directoryAudits?$top=1')).status).toBe(429);
    });
  });
});
