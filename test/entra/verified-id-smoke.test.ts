import type { TokenCredential } from '@azure/identity';
import { smoke } from '../../scripts/smoke';
import { verifiedIdTokenRow } from '../../src/entra/verified-id-smoke';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { simulatorCredential } from '../helpers/simulator-token';
import { simulatorVerifiedIdSettings, walletControl } from '../helpers/verified-id';

const CHECK = 'Verified ID Request Service token';

/** `npm run smoke` with Verified ID configured: the Request Service token and its roles (read-only, no request is created). */
describe('npm run smoke: the Verified ID Request Service token', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(async () => {
    await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
  });

  const row = (output: string): string => output.split('\n').find((l) => l.includes(CHECK)) ?? '(no row)';

  it('is OK when the token\u2019s roles include VerifiableCredential.Create.PresentRequest, and no request is created', async () => {
    const { output } = await smoke({ SIMULATOR_URL: sim.url });
    expect(row(output)).toMatch(/^OK +Verified ID Request Service token .*granted: VerifiableCredential.Create.PresentRequest$/);
    expect(sim.verifiedId.requests.size).toBe(0);
  });

  it('is MISSING, with the permission to grant, when the role is not granted', async () => {
    await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: ['VerifiableCredential.Create.IssueRequest'] });
    const { code, output } = await smoke({ SIMULATOR_URL: sim.url });
    expect(code).toBe(1);
    expect(row(output)).toMatch(
      /^MISSING +Verified ID .*the token's roles \(VerifiableCredential.Create.IssueRequest\) include neither VerifiableCredential.Create.PresentRequest nor VerifiableCredential.Create.All$/,
    );
    expect(output).toContain(
      'Grant VerifiableCredential.Create.PresentRequest on "Verifiable Credentials Service Request" (appId 3db474b9-6a0c-4840-96ac-1fceb342124f)',
    );
  });

  it('accepts VerifiableCredential.Create.All', async () => {
    await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: ['VerifiableCredential.Create.All'] });
    const r = await verifiedIdTokenRow(simulatorCredential(sim.url), simulatorVerifiedIdSettings(sim, 'http://127.0.0.1:9/cb'));
    expect(r).toMatchObject({ status: 'OK', detail: 'granted: VerifiableCredential.Create.All' });
  });

  it('says what to set up when no token can be had, and is not checked when Verified ID is off or the token has no roles', async () => {
    const settings = simulatorVerifiedIdSettings(sim, 'http://127.0.0.1:9/cb');
    const refusing: TokenCredential = { getToken: () => Promise.reject(new Error('AADSTS500011: The resource principal named 3db474b9-… was not found.')) };
    const missing = await verifiedIdTokenRow(refusing, settings);
    expect(missing).toMatchObject({ status: 'MISSING', detail: expect.stringContaining('AADSTS500011') });
    expect(missing.fix).toMatch(/^Set up Verified ID in the tenant/);
    expect(await verifiedIdTokenRow(refusing, undefined)).toMatchObject({ status: 'NOT CHECKED' });
    const opaque: TokenCredential = { getToken: () => Promise.resolve({ token: 'not-a-jwt', expiresOnTimestamp: 0 }) };
    expect(await verifiedIdTokenRow(opaque, settings)).toMatchObject({ status: 'NOT CHECKED', detail: 'the token carries no roles claim' });
  });
});
