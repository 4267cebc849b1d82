import { parseConfig } from '../../src/config';
import { createVerifiedIdDeps } from '../../src/entra/verified-id-deps';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { RecordingLogger } from '../fakes/recording-logger';
import { minimalProductionEnv } from '../helpers/production-env';
import { TEST_NOW } from '../helpers/test-clock';

/** What src/index.ts hands composeBot as `edges.verifiedId`: built from config.verifiedId with the Graph credential settings. */
describe('createVerifiedIdDeps: the Verified ID client as the composition root builds it', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => TEST_NOW });
  });
  afterAll(async () => {
    await sim.close();
  });
  const clock = { now: () => TEST_NOW };

  it('in the demo: the simulated Request Service, through the simulated tenant\u2019s token endpoint as Graph, calling back the bot\u2019s port', async () => {
    const deps = createVerifiedIdDeps(parseConfig({ SIMULATOR_URL: sim.url, PORT: '4100' }), clock, new RecordingLogger());
    expect(deps?.maxAttempts).toBe(3);
    expect(deps?.policy).toMatchObject({ faceMatchThreshold: 85, credentialType: 'VerifiedEmployee', linkedDomains: ['contoso.com'] });
    const created = await deps!.service.createPresentationRequest({
      state: 'state-wiring-0123456789abcdef',
      apiKey: 'key-wiring-0123456789abcdef',
      userPrincipalNames: ['lee@contoso.com'],
    });
    expect(sim.verifiedId.requests.get(created.requestId)?.request.callback.url).toBe('http://127.0.0.1:4100/api/verifiedid/callback');
    expect(created.expiresAt).toBe(new Date(TEST_NOW.getTime() + 300_000).toISOString());
  });

  it('is undefined when Verified ID is off (production without VERIFIED_ID_AUTHORITY)', () => {
    const production = parseConfig(minimalProductionEnv());
    expect(createVerifiedIdDeps(production, clock, new RecordingLogger())).toBeUndefined();
  });
});
