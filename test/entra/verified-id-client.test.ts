import type { AccessToken, TokenCredential } from '@azure/identity';
import { createVerifiedIdService, VERIFIED_ID_SCOPE, type VerifiedIdClientOptions } from '../../src/entra/verified-id-client';
import { VerifiedIdError, type PresentationRequestInput } from '../../src/ports/verified-id';
import type { Timing } from '../../src/resilience';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import type { VerifiedIdSettings } from '../../src/verified-id-settings';
import { RecordingLogger } from '../fakes/recording-logger';
import { simulatorCredential } from '../helpers/simulator-token';
import { TEST_NOW } from '../helpers/test-clock';
import { simulatorVerifiedIdSettings, walletControl } from '../helpers/verified-id';

const CALLBACK = 'http://127.0.0.1:9/api/verifiedid/callback-secret-path';
const INPUT: PresentationRequestInput = {
  state: 'state-5e1f0a9b8c7d6e5f4a3b2c1d',
  apiKey: 'key-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  userPrincipalNames: ['lee@contoso.com'],
};

/** Virtual time: sleeping moves the clock and is recorded; nothing waits for real. The simulator and the token share it. */
function virtualTiming(start: number): Timing & { t: number; sleeps: number[] } {
  const timing = {
    t: start,
    sleeps: [] as number[],
    now: () => timing.t,
    sleep: (ms: number) => {
      timing.sleeps.push(ms);
      timing.t += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
  return timing;
}

/** Counts what the adapter asks of the credential: how often, and for which scope. */
function countingCredential(inner: TokenCredential): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: (scope: string | string[]): Promise<AccessToken | null> => {
      scopes.push(String(scope));
      return inner.getToken(scope);
    },
  };
}

describe('the Verified ID Request Service adapter, against the simulated Request Service over HTTP', () => {
  let sim: RunningSimulator;
  let timing: ReturnType<typeof virtualTiming>;
  beforeAll(async () => {
    timing = virtualTiming(TEST_NOW.getTime());
    sim = await startSimulator({ port: 0, now: () => new Date(timing.t) });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    timing.t += 10_000; // a fresh second for the rate limiter of each new service
    timing.sleeps.length = 0;
    sim.faults.clear();
  });

  function service(overrides: Partial<VerifiedIdSettings> = {}, options: VerifiedIdClientOptions = {}, credential?: TokenCredential) {
    const cred = credential ?? simulatorCredential(sim.url, () => new Date(timing.t));
    return createVerifiedIdService(simulatorVerifiedIdSettings(sim, CALLBACK, overrides), cred, { timing, ...options });
  }

  async function refusal(promise: Promise<unknown>): Promise<VerifiedIdError> {
    try {
      await promise;
    } catch (e) {
      if (e instanceof VerifiedIdError) return e;
      throw e;
    }
    throw new Error('expected a VerifiedIdError');
  }

  it('creates a request: the payload is accepted, expiresAt is the service\u2019s expiry as ISO', async () => {
    const created = await service().createPresentationRequest(INPUT);
    expect(created.url).toBe(
      `openid-vc://?request_uri=${sim.url}/verifiedid/v1.0/5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10/verifiableCredentials/presentationRequests/${created.requestId}`,
    );
    expect(created.expiresAt).toBe(new Date(Math.floor(timing.t / 1000) * 1000 + 300_000).toISOString());
    const kept = sim.verifiedId.requests.get(created.requestId)?.request;
    expect(kept).toEqual({
      authority: 'did:web:verifiedid.entra.microsoft.com:5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10:0b1d2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b',
      includeQRCode: false,
      clientName: 'IT Helpdesk',
      callback: { url: CALLBACK, state: INPUT.state, headers: { 'api-key': INPUT.apiKey } },
      requestedCredentials: [
        {
          type: 'VerifiedEmployee',
          acceptedIssuers: ['did:web:verifiedid.entra.microsoft.com:5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10:0b1d2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b'],
          constraints: [{ claimName: 'revocationId', values: ['lee@contoso.com'] }],
          allowRevoked: false,
          validateLinkedDomain: true,
          faceCheck: { sourcePhotoClaimName: 'photo', matchConfidenceThreshold: 85 },
        },
      ],
    });
  });

  it('asks for the Request Service scope once and keeps the token until five minutes before it expires', async () => {
    const credential = countingCredential(simulatorCredential(sim.url, () => new Date(timing.t)));
    const s = service({}, {}, credential);
    await s.createPresentationRequest(INPUT);
    timing.t += 2_000;
    await s.createPresentationRequest(INPUT);
    expect(credential.scopes).toEqual([VERIFIED_ID_SCOPE]);
    timing.t += 55 * 60_000; // the simulated tenant's tokens live 3599 s
    await s.createPresentationRequest(INPUT);
    expect(credential.scopes).toEqual([VERIFIED_ID_SCOPE, VERIFIED_ID_SCOPE]);
  });

  it('maps a 400 to badRequest with the field, never the values sent', async () => {
    const logger = new RecordingLogger();
    const e = await refusal(service({ authority: 'did:web:verifiedid.fabrikam.com' }, { logger }).createPresentationRequest(INPUT));
    expect(e).toMatchObject({ failure: 'badRequest', innerCode: 'badOrMissingField', serviceRequestId: expect.any(String) });
    expect(e.message).toBe('The Verified ID Request Service refused the presentation request (HTTP 400 badRequest/badOrMissingField, field authority).');
    const logged = JSON.stringify(logger.lines);
    expect(logged).toContain('badOrMissingField');
    for (const secret of [INPUT.apiKey, INPUT.state, CALLBACK]) expect(`${logged}${e.message}`).not.toContain(secret);
  });

  it('maps 401 and 403 without retrying, and asks for a new token after a 401', async () => {
    const credential = countingCredential(simulatorCredential(sim.url, () => new Date(timing.t)));
    const s = service({}, {}, credential);
    sim.faults.add({ path: /createPresentationRequest/, kind: 'error', status: 401, times: 1 });
    expect(await refusal(s.createPresentationRequest(INPUT))).toMatchObject({ failure: 'unauthorized', innerCode: 'tokenError' });
    timing.t += 1_000;
    await s.createPresentationRequest(INPUT);
    expect(credential.scopes).toHaveLength(2);
    timing.t += 1_000;
    sim.faults.add({ path: /createPresentationRequest/, kind: 'error', status: 403, times: 3 });
    expect(await refusal(s.createPresentationRequest(INPUT))).toMatchObject({ failure: 'forbidden', innerCode: 'tokenError' });
    expect(sim.faults.list()[0]?.hits).toBe(1);
    expect(timing.sleeps).toEqual([]);
  });

  it('refuses as forbidden when the app lacks VerifiableCredential.Create.PresentRequest', async () => {
    await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: [] });
    try {
      expect(await refusal(service().createPresentationRequest(INPUT))).toMatchObject({ failure: 'forbidden' });
    } finally {
      await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: ['VerifiableCredential.Create.PresentRequest'] });
    }
  });

  it('waits out a 429\u2019s Retry-After when it fits the budget, on virtual time', async () => {
    sim.faults.add({ path: /createPresentationRequest/, kind: 'error', status: 429, retryAfterSeconds: 1, times: 1 });
    const created = await service().createPresentationRequest(INPUT);
    expect(created.requestId).toEqual(expect.any(String));
    expect(timing.sleeps).toEqual([1000]);
  });

  it('gives up at once as throttled, with retryAfterMs, when the Retry-After does not fit the budget', async () => {
    sim.faults.add({ path: /createPresentationRequest/, kind: 'error', status: 429, retryAfterSeconds: 5, times: 1 });
    const e = await refusal(service().createPresentationRequest(INPUT));
    expect(e).toMatchObject({ failure: 'throttled', innerCode: 'transientError', retryAfterMs: 5000 });
    expect(timing.sleeps).toEqual([]);
  });

  it('backs off on a 503 without Retry-After until the budget is spent, then reports unavailable', async () => {
    sim.faults.add({ path: /createPresentationRequest/, kind: 'error', status: 503 });
    const e = await refusal(service({}, { budgetMs: 3000, baseDelayMs: 250 }).createPresentationRequest(INPUT));
    expect(e).toMatchObject({ failure: 'unavailable', innerCode: 'transientError' });
    // Equal jitter with random 0.5: 187.5, 375, 750 ms while each still ends before the 3 s deadline (1500 would not);
    // before the third attempt the 2-a-second limiter holds it 437.5 ms, the rest of the first attempt's second.
    expect(timing.sleeps).toEqual([187.5, 375, 437.5, 750]);
    expect(timing.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(3000);
  });

  it('stops waiting for a hung service after the attempt timeout', async () => {
    sim.faults.add({ path: /createPresentationRequest/, kind: 'latency', ms: 2_000, times: 1 });
    const e = await refusal(service({}, { attemptTimeoutMs: 100 }).createPresentationRequest(INPUT));
    expect(e).toMatchObject({ failure: 'unavailable' });
    expect(e.message).toBe('The Verified ID Request Service did not answer within 100 ms.');
  });

  it('sends at most two requests a second from one process, refusing as throttled what would wait past the budget', async () => {
    const s = service({}, { budgetMs: 400 });
    await s.createPresentationRequest(INPUT);
    await s.createPresentationRequest(INPUT);
    const before = sim.verifiedId.requests.size;
    const e = await refusal(s.createPresentationRequest(INPUT));
    expect(e).toMatchObject({ failure: 'throttled', retryAfterMs: 1000 });
    expect(sim.verifiedId.requests.size).toBe(before);
    // With a budget that covers the wait, the third waits for the window instead.
    const patient = service({}, { budgetMs: 3000 });
    await patient.createPresentationRequest(INPUT);
    await patient.createPresentationRequest(INPUT);
    await patient.createPresentationRequest(INPUT);
    expect(timing.sleeps).toEqual([1000]);
  });

  it('gives up on a token request that outlasts the budget (the credential is handed an abort signal)', async () => {
    const hanging: TokenCredential = {
      getToken: (_scopes, options) =>
        new Promise((_, reject) => options?.abortSignal?.addEventListener('abort', () => reject(new Error('the token request was aborted')))),
    };
    const e = await refusal(service({}, { budgetMs: 50 }, hanging).createPresentationRequest(INPUT));
    expect(e).toMatchObject({ failure: 'unauthorized' });
    expect(e.message).toBe('No token for the Verified ID Request Service: the token request was aborted');
  });

  it('reports a credential that cannot get a token as unauthorized', async () => {
    const broken: TokenCredential = { getToken: () => Promise.reject(new Error('AADSTS7000215 invalid client secret')) };
    expect(await refusal(service({}, {}, broken).createPresentationRequest(INPUT))).toMatchObject({ failure: 'unauthorized' });
  });
});
