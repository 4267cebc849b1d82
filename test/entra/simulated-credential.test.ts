import { SimulatedTenantCredential } from '../../src/entra/simulated-credential';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { DEMO_APP } from '../helpers/simulator-token';

/** Each token the simulated tenant issues is unique (its `uti`), so the same token twice means it was kept, not asked again. */
describe("the demo's credential: client credentials at the simulated tenant's token endpoint", () => {
  let now = Date.parse('2025-06-18T12:00:00Z');
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(now) });
  });
  afterAll(async () => {
    await sim.close();
  });
  const credential = (secret: string = DEMO_APP.clientSecret): SimulatedTenantCredential =>
    new SimulatedTenantCredential({ authorityHost: sim.url, tenantId: DEMO_APP.tenantId, clientId: DEMO_APP.clientId, clientSecret: secret, now: () => now });

  it('keeps its token until five minutes before it expires, then asks for a new one', async () => {
    const c = credential();
    const [first, concurrent] = await Promise.all([c.getToken(), c.getToken()]);
    expect(concurrent.token).toBe(first.token);
    expect(first.expiresOnTimestamp).toBe(now + 3599_000);
    now += 54 * 60_000;
    expect((await c.getToken()).token).toBe(first.token);
    now += 2 * 60_000;
    expect((await c.getToken()).token).not.toBe(first.token);
  });

  it('says what Entra refused, by code, without the secret', async () => {
    const refused = credential('wrong-secret-value').getToken();
    await expect(refused).rejects.toThrow(/HTTP 401 invalid_client, AADSTS7000215/);
    await expect(refused).rejects.not.toThrow(/wrong-secret-value/);
  });

  it('asks for and keeps one token per scope: Graph\u2019s and the Verified ID Request Service\u2019s, each with its audience and roles', async () => {
    const c = credential();
    const claims = (jwt: string): { aud: string; roles: string[] } =>
      JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud: string; roles: string[] };
    const graph = await c.getToken('https://graph.microsoft.com/.default');
    const vid = await c.getToken('3db474b9-6a0c-4840-96ac-1fceb342124f/.default');
    expect(claims(graph.token).aud).toBe('https://graph.microsoft.com');
    expect(claims(vid.token)).toMatchObject({ aud: '3db474b9-6a0c-4840-96ac-1fceb342124f', roles: ['VerifiableCredential.Create.PresentRequest'] });
    expect((await c.getToken(['3db474b9-6a0c-4840-96ac-1fceb342124f/.default'])).token).toBe(vid.token);
    expect((await c.getToken()).token).toBe(graph.token);
  });
});
