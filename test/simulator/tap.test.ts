import { createHash } from 'node:crypto';
import { startSimulator } from '../../src/simulator';
import { dumpState, FIXED_NOW, fixedClock, graph, ID, values, useResetSimulator } from './graph-client';

describe('simulated Graph: Temporary Access Pass', () => {
  const sim = useResetSimulator();

  const taps = `/users/${ID.adele}/authentication/temporaryAccessPassMethods`;

  it('creates a pass with the policy defaults and returns it once', async () => {
    const before = sim().tenant.audits.length;
    const res = await graph(sim(), taps, { method: 'POST', body: {} });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      '@odata.context': `${sim().url}/v1.0/$metadata#users('${ID.adele}')/authentication/temporaryAccessPassMethods/$entity`,
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
      lifetimeInMinutes: 60,
      isUsableOnce: false,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
      startDateTime: FIXED_NOW.toISOString(),
      createdDateTime: FIXED_NOW.toISOString(),
    });
    expect(res.body.temporaryAccessPass).toMatch(/^\S{8}$/);
    const listed = values((await graph(sim(), taps)).body);
    expect(listed).toEqual([expect.objectContaining({ id: res.body.id, temporaryAccessPass: null, isUsable: true })]);
    expect((await graph(sim(), `${taps}/${String(res.body.id)}`)).body.temporaryAccessPass).toBeNull();
    expect(sim().tenant.audits.slice(before)).toEqual([
      expect.objectContaining({
        activityDisplayName: 'Admin registered security info',
        resultReason: 'Admin registered temporary access pass method for user',
        loggedByService: 'Authentication Methods',
        initiatedBy: { app: expect.objectContaining({ appId: ID.botApp }) },
      }),
    ]);
  });

  it('keeps only a hash of the pass', async () => {
    const res = await graph(sim(), taps, { method: 'POST', body: { lifetimeInMinutes: 120 } });
    const pass = String(res.body.temporaryAccessPass);
    const state = dumpState(sim());
    expect(state.includes(pass)).toBe(false);
    expect(state.includes(createHash('sha256').update(pass).digest('hex'))).toBe(true);
  });

  it('honours startDateTime, lifetime and isUsableOnce within the policy', async () => {
    const start = new Date(FIXED_NOW.getTime() + 3600_000).toISOString();
    const res = await graph(sim(), taps, { method: 'POST', body: { startDateTime: start, lifetimeInMinutes: 480, isUsableOnce: true } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ startDateTime: start, lifetimeInMinutes: 480, isUsableOnce: true, isUsable: false, methodUsabilityReason: 'NotYetValid' });
  });

  it.each([30, 481, 43200])('refuses a lifetime of %i minutes outside the tenant policy (60-480)', async (lifetimeInMinutes) => {
    const res = await graph(sim(), taps, { method: 'POST', body: { lifetimeInMinutes } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'badRequest', message: 'Invalid LifetimeInMinutes specified. The valid range between 60 and 480.' });
    expect(values((await graph(sim(), taps)).body)).toHaveLength(0);
  });

  it('refuses unknown properties in the request', async () => {
    const res = await graph(sim(), taps, { method: 'POST', body: { temporaryAccessPass: 'ChooseMine1!' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('badRequest');
  });

  it('keeps one pass per user: a new pass replaces the old one', async () => {
    const first = await graph(sim(), taps, { method: 'POST', body: {} });
    const second = await graph(sim(), taps, { method: 'POST', body: {} });
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.temporaryAccessPass).not.toBe(first.body.temporaryAccessPass);
    expect(values((await graph(sim(), taps)).body).map((m) => m.id)).toEqual([second.body.id]);
    // Grady's seeded pass expired long ago; it is still listed, unusable.
    expect(values((await graph(sim(), `/users/${ID.grady}/authentication/temporaryAccessPassMethods`)).body)).toEqual([
      expect.objectContaining({ isUsable: false, methodUsabilityReason: 'Expired', temporaryAccessPass: null }),
    ]);
  });

  it('lets the user sign in with the pass it was given, once when one-time', async () => {
    const created = await graph(sim(), taps, { method: 'POST', body: { isUsableOnce: true } });
    const signIn = (temporaryAccessPass: string) =>
      graph(sim(), `/_simulator/users/${ID.adele}/sign-in`, {
        version: '',
        headers: { 'Content-Type': 'application/json' },
        method: 'POST',
        body: { method: 'temporaryAccessPass', temporaryAccessPass },
      });
    const wrong = await signIn('not-the-pass');
    expect(wrong.body.status.errorCode).not.toBe(0);
    const right = await signIn(String(created.body.temporaryAccessPass));
    expect(right.status).toBe(201);
    expect(right.body.status.errorCode).toBe(0);
    expect(values((await graph(sim(), taps)).body)[0]).toMatchObject({ isUsable: false, methodUsabilityReason: 'OneTimeUsed' });
    expect((await signIn(String(created.body.temporaryAccessPass))).body.status.errorCode).not.toBe(0);
  });

  it('publishes the TAP policy', async () => {
    const res = await graph(sim(), '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
      id: 'TemporaryAccessPass',
      state: 'enabled',
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      isUsableOnce: false,
      defaultLength: 8,
    });
  });

  it('follows a seed with a stricter policy', async () => {
    const { loadDemoSeed } = await import('../../src/simulator');
    const seed = loadDemoSeed();
    seed.authenticationMethodsPolicy.temporaryAccessPass = {
      state: 'enabled',
      defaultLifetimeInMinutes: 120,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 240,
      isUsableOnce: true,
      defaultLength: 12,
    };
    const strict = await startSimulator({ seed, now: fixedClock });
    try {
      const res = await graph(strict, taps, { method: 'POST', body: {} });
      expect(res.body).toMatchObject({ lifetimeInMinutes: 120, isUsableOnce: true });
      expect(String(res.body.temporaryAccessPass)).toHaveLength(12);
      const multi = await graph(strict, taps, { method: 'POST', body: { isUsableOnce: false } });
      expect(multi.status).toBe(400);
      expect((await graph(strict, taps, { method: 'POST', body: { lifetimeInMinutes: 300 } })).body.error.message).toBe(
        'Invalid LifetimeInMinutes specified. The valid range between 60 and 240.',
      );
    } finally {
      await strict.close();
    }
  });
});
