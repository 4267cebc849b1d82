import { Faults } from '../../src/simulator/faults';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { FIXED_NOW, fixedClock, graph, ID } from './graph-client';

describe('simulated Graph: fault injection', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: fixedClock });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    sim.faults.clear();
  });

  it('adds latency to matching requests, the given number of times', async () => {
    // The delay each request gets is decided by the fault list; no clock is read here (no timing in tests).
    const faults = new Faults();
    faults.add({ path: /\/users\/adele@contoso\.com$/, kind: 'latency', ms: 250, times: 2 });
    expect(faults.apply('GET', '/v1.0/users/lee@contoso.com').delayMs).toBe(0);
    expect(faults.apply('GET', '/v1.0/users/adele@contoso.com').delayMs).toBe(250);
    expect(faults.apply('GET', '/v1.0/users/adele@contoso.com').delayMs).toBe(250);
    expect(faults.apply('GET', '/v1.0/users/adele@contoso.com').delayMs).toBe(0);
    // Through the running simulator: the slowed request still succeeds, and the fault is used up.
    sim.faults.add({ path: /\/users\/adele@contoso\.com$/, kind: 'latency', ms: 20, times: 1 });
    expect((await graph(sim, '/users/adele@contoso.com')).status).toBe(200);
    expect(sim.faults.list()).toHaveLength(0);
  });

  it('throttles with 429, Retry-After and Graph’s body, then recovers', async () => {
    sim.faults.add({ path: /\/auditLogs\//, kind: 'throttle', retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await graph(sim, '/auditLogs/directoryAudits');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body.error).toMatchObject({
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: { code: '429', 'request-id': res.headers.get('request-id') },
      });
    }
    expect((await graph(sim, '/auditLogs/directoryAudits')).status).toBe(200);
  });

  it('fails with a 5xx only for the method given, until cleared', async () => {
    sim.faults.add({ method: 'POST', path: /revokeSignInSessions/, kind: 'error', status: 503 });
    const failed = await graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST' });
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('serviceNotAvailable');
    expect((await graph(sim, `/users/${ID.lee}`)).status).toBe(200);
    expect((await graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST' })).status).toBe(503);
    sim.faults.clear();
    expect((await graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST' })).status).toBe(200);
  });

  it.each([
    [500, undefined, 'generalException'],
    [504, undefined, 'gatewayTimeout'],
    [403, 'Authorization_RequestDenied', 'Authorization_RequestDenied'],
  ])('answers an injected %i with code %s → %s, and changes nothing', async (status, code, expected) => {
    const before = sim.tenant.audits.length;
    sim.faults.add({ path: /\/users\/[^/]+$/, kind: 'error', status, code, times: 1 });
    const res = await graph(sim, `/users/${ID.lee}`, { method: 'PATCH', body: { jobTitle: 'Should not happen' } });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(expected);
    expect(sim.tenant.users.get(ID.lee)?.jobTitle).toBe('Director');
    expect(sim.tenant.audits.length).toBe(before);
  });

  it('applies faults to requests inside a batch, each on its own', async () => {
    sim.faults.add({ path: /\/users\/lee@contoso\.com$/, kind: 'throttle', retryAfterSeconds: 3 });
    const res = await graph(sim, '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/users/lee@contoso.com' },
          { id: '2', method: 'GET', url: '/users/adele@contoso.com' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.responses).toEqual([
      expect.objectContaining({ id: '1', status: 429, headers: expect.objectContaining({ 'Retry-After': '3' }) }),
      expect.objectContaining({ id: '2', status: 200 }),
    ]);
  });

  it('is reachable over HTTP: add, list, fire, clear', async () => {
    const control = (method: string, body?: unknown) =>
      graph(sim, '/_simulator/faults', { version: '', method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body });
    const added = await control('POST', { path: 'checkMemberGroups', kind: 'error', status: 500, times: 1 });
    expect(added.status).toBe(201);
    expect(added.body.id).toEqual(expect.any(String));
    expect((await control('GET')).body.value).toEqual([
      expect.objectContaining({ id: added.body.id, kind: 'error', status: 500, path: 'checkMemberGroups', remaining: 1 }),
    ]);
    const check = () => graph(sim, `/users/${ID.megan}/checkMemberGroups`, { body: { groupIds: [ID.helpdeskGroup] } });
    expect((await check()).status).toBe(500);
    expect((await check()).status).toBe(200);
    await control('POST', { path: '.*', kind: 'latency', ms: 1 });
    expect((await control('DELETE')).status).toBe(204);
    expect(sim.faults.list()).toHaveLength(0);
    expect((await control('POST', { path: '(', kind: 'error', status: 500 })).status).toBe(400);
    expect((await control('POST', { path: 'x', kind: 'explode' })).status).toBe(400);
  });

  it('validates faults added in code', () => {
    expect(() => sim.faults.add({ path: /x/, kind: 'error', status: 200 })).toThrow(RangeError);
    expect(() => sim.faults.add({ path: /x/, kind: 'latency', ms: 1, times: 0 })).toThrow(RangeError);
    expect(() => sim.faults.add({ path: /x/, kind: 'error', status: 503, rate: 0 })).toThrow(RangeError);
    expect(() => sim.faults.add({ path: /x/, kind: 'error', status: 503, rate: 1.5 })).toThrow(RangeError);
    expect(() => sim.faults.seed(1.5)).toThrow(RangeError);
    expect(sim.faults.list()).toHaveLength(0);
  });

  it('resets the connection without answering and without processing the request', async () => {
    const before = sim.tenant.audits.length;
    const revokedAt = sim.tenant.users.get(ID.lee)?.signInSessionsValidFromDateTime;
    sim.faults.add({ method: 'POST', path: /revokeSignInSessions/, kind: 'reset', times: 1 });
    await expect(graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST' })).rejects.toThrow(/fetch failed/);
    expect(sim.tenant.audits.length).toBe(before);
    expect(sim.tenant.users.get(ID.lee)?.signInSessionsValidFromDateTime).toBe(revokedAt);
    expect((await graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST' })).status).toBe(200);
  });

  it('fails a seeded fraction of matching requests, the same ones for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      sim.faults.seed(42);
      sim.faults.add({ path: /\/users\/adele@contoso\.com$/, kind: 'error', status: 503, rate: 0.2 });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await graph(sim, '/users/adele@contoso.com')).status);
      sim.faults.clear();
      return statuses;
    };
    const first = await run();
    const failed = first.filter((s) => s === 503).length;
    expect(first.every((s) => s === 200 || s === 503)).toBe(true);
    // 200 draws at 20%: the expected 40 failures, give or take what a fair generator produces.
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(60);
    expect(await run()).toEqual(first);
    // Requests the rate does not match are never failed.
    sim.faults.add({ path: /\/users\/adele@contoso\.com$/, kind: 'error', status: 503, rate: 0.5 });
    expect((await graph(sim, `/users/${ID.lee}`)).status).toBe(200);
  });

  it('counts only the requests a rate fault hit towards times', async () => {
    sim.faults.seed(7);
    sim.faults.add({ path: /\/users\/adele@contoso\.com$/, kind: 'throttle', retryAfterSeconds: 0, rate: 0.3, times: 3 });
    let throttled = 0;
    for (let i = 0; i < 100; i++) if ((await graph(sim, '/users/adele@contoso.com')).status === 429) throttled++;
    expect(throttled).toBe(3);
    expect(sim.faults.list()).toHaveLength(0);
  });

  it('takes rate, reset and the seed over HTTP and refuses bad values', async () => {
    const post = (path: string, body: unknown) => graph(sim, path, { version: '', method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect((await post('/_simulator/faults/seed', { seed: 3 })).status).toBe(200);
    expect((await post('/_simulator/faults/seed', { seed: 'x' })).status).toBe(400);
    expect((await post('/_simulator/faults', { path: 'x', kind: 'error', status: 503, rate: 2 })).status).toBe(400);
    expect((await post('/_simulator/faults', { path: 'x', kind: 'reset', ms: 3 })).status).toBe(400);
    const added = await post('/_simulator/faults', { path: 'lee@contoso\\.com$', kind: 'reset', rate: 1 });
    expect(added.status).toBe(201);
    expect(sim.faults.list()).toEqual([expect.objectContaining({ kind: 'reset', rate: 1 })]);
    await expect(graph(sim, '/users/lee@contoso.com')).rejects.toThrow(/fetch failed/);
  });
});

describe('simulated Graph: Graph-like throttling', () => {
  let sim: RunningSimulator;
  let clock = FIXED_NOW.getTime();
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(clock), throttling: 'graph' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('allows 5 reporting reads per 10 seconds, then 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await graph(sim, '/auditLogs/directoryAudits?$top=1')).status).toBe(200);
    expect((await graph(sim, `/users/${ID.adele}/authentication/methods`)).status).toBe(200);
    expect((await graph(sim, '/reports/authenticationMethods/userRegistrationDetails')).status).toBe(200);
    const throttled = await graph(sim, '/auditLogs/signIns');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('10');
    expect(throttled.body.error.code).toBe('TooManyRequests');
    // Other workloads are not in this bucket.
    expect((await graph(sim, `/users/${ID.adele}`)).status).toBe(200);
    clock += 4_000;
    expect((await graph(sim, '/auditLogs/signIns')).headers.get('retry-after')).toBe('6');
    clock += 6_000;
    expect((await graph(sim, '/auditLogs/signIns')).status).toBe(200);
  });

  it('allows Conditional Access reads once per second, without Retry-After', async () => {
    clock += 60_000;
    expect((await graph(sim, '/identity/conditionalAccess/policies')).status).toBe(200);
    const throttled = await graph(sim, '/identity/conditionalAccess/policies');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeNull();
    clock += 1_000;
    expect((await graph(sim, '/identity/conditionalAccess/policies')).status).toBe(200);
  });

  it('forgets the windows on reset', async () => {
    clock += 60_000;
    for (let i = 0; i < 5; i++) await graph(sim, '/auditLogs/directoryAudits?$top=1');
    expect((await graph(sim, '/auditLogs/directoryAudits?$top=1')).status).toBe(429);
    await graph(sim, '/_simulator/reset', { version: '', method: 'POST', headers: {} });
    expect((await graph(sim, '/auditLogs/directoryAudits?$top=1')).status).toBe(200);
  });
});
