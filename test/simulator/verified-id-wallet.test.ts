import { createVerifiedIdService } from '../../src/entra/verified-id-client';
import type { PresentationRequestCreated } from '../../src/ports/verified-id';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { photoClaimValue, subjectDid } from '../../src/simulator/verified-id/wallet';
import { simulatorCredential } from '../helpers/simulator-token';
import { TEST_NOW } from '../helpers/test-clock';
import { simulatorVerifiedIdSettings, startCallbackReceiver, walletControl, type CallbackReceiver } from '../helpers/verified-id';

const AUTHORITY = 'did:web:verifiedid.entra.microsoft.com:5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10:0b1d2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const API_KEY = 'api-key-7f3a9c0d1e2b4a5c6d7e8f9a0b1c2d3e';

/**
 * The wallet controls and the callbacks of the simulated Request Service (shared/spec/verified-id.md §2, §7.5): a test
 * plays the user holding Authenticator; a tiny HTTP server plays the bot's callback endpoint.
 */
describe('simulated Verified ID: the wallet and its callbacks', () => {
  let sim: RunningSimulator;
  let receiver: CallbackReceiver;
  let nowMs = TEST_NOW.getTime();
  let counter = 0;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(nowMs) });
    receiver = await startCallbackReceiver();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.status = 200;
    nowMs = TEST_NOW.getTime();
  });

  async function newRequest(upn = 'lee@contoso.com', threshold = 85): Promise<PresentationRequestCreated & { state: string }> {
    const service = createVerifiedIdService(
      simulatorVerifiedIdSettings(sim, receiver.url, { faceMatchThreshold: threshold }),
      simulatorCredential(sim.url, () => new Date(nowMs)),
    );
    counter += 1;
    const state = `state-${counter}-0123456789abcdef`;
    return { ...(await service.createPresentationRequest({ state, apiKey: API_KEY, userPrincipalNames: [upn] })), state };
  }

  async function control(requestId: string, action: string, body?: unknown): ReturnType<typeof walletControl> {
    const res = await walletControl(sim, 'POST', `requests/${requestId}/${action}`, body);
    await sim.verifiedId.callbacks.idle();
    return res;
  }

  it('retrieve sends request_retrieved with exactly the request\u2019s headers, as JSON', async () => {
    const r = await newRequest();
    const res = await control(r.requestId, 'retrieve');
    expect(res.status).toBe(202);
    expect(receiver.received).toHaveLength(1);
    const [cb] = receiver.received;
    expect(cb?.body).toEqual({ requestId: r.requestId, requestStatus: 'request_retrieved', state: r.state });
    expect(cb?.headers['api-key']).toBe(API_KEY);
    expect(cb?.headers['content-type']).toBe('application/json');
    expect(cb?.headers['authorization']).toBeUndefined();
  });

  it('present with the user\u2019s own card and a passing score sends presentation_verified as \u00a72.2, with the photo and subject', async () => {
    const r = await newRequest();
    await control(r.requestId, 'retrieve');
    expect((await control(r.requestId, 'present', { cardId: 'lee-employee', faceScore: 91.5 })).status).toBe(202);
    const last = receiver.received[1]?.body;
    expect(last).toEqual({
      requestId: r.requestId,
      requestStatus: 'presentation_verified',
      state: r.state,
      subject: subjectDid('lee-employee'),
      verifiedCredentialsData: [
        {
          issuer: AUTHORITY,
          type: ['VerifiableCredential', 'VerifiedEmployee'],
          claims: {
            revocationId: 'lee@contoso.com',
            displayName: 'Lee Gu',
            givenName: 'Lee',
            surname: 'Gu',
            jobTitle: 'Director',
            mail: 'lee@contoso.com',
            photo: photoClaimValue('lee-employee'),
          },
          credentialState: { revocationStatus: 'VALID' },
          domainValidation: { url: 'https://contoso.com/' },
          issuanceDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          expirationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          faceCheck: { matchConfidenceScore: 91.5, sourcePhotoQuality: 'HIGH' },
        },
      ],
    });
    // Seed times are relative: issued 120 days before the story day, valid 180 days.
    const data = (last?.verifiedCredentialsData as { issuanceDate: string; expirationDate: string }[])[0];
    expect(Date.parse(data?.expirationDate ?? '') - Date.parse(data?.issuanceDate ?? '')).toBe(180 * 86_400_000);
    expect(Date.parse(data?.issuanceDate ?? '')).toBeLessThan(TEST_NOW.getTime() - 119 * 86_400_000);
    // Presenting again is refused: the request is done.
    expect((await control(r.requestId, 'present', { cardId: 'lee-employee', faceScore: 91.5 })).status).toBe(409);
  });

  const failures: readonly [string, unknown, string][] = [
    ['below the threshold', { cardId: 'lee-employee', faceScore: 84.9 }, 'Match confidence score failing to meet the threshold.'],
    ['a revoked card', { cardId: 'lee-employee-revoked', faceScore: 95 }, 'The credential has been revoked.'],
    ['another issuer\u2019s card', { cardId: 'lee-other-issuer', faceScore: 95 }, 'The credential issuer is not accepted.'],
    [
      'a card whose linked domain is not verified',
      {
        credential: {
          type: 'VerifiedEmployee',
          issuer: AUTHORITY,
          claims: { revocationId: 'lee@contoso.com' },
          issuanceDate: '2026-01-01T00:00:00Z',
          expirationDate: '2027-01-01T00:00:00Z',
          domainUrl: 'https://contoso.com/',
          domainVerified: false,
        },
        faceScore: 95,
      },
      'The issuer\u2019s linked domain is not verified.',
    ],
    [
      'an expired card',
      {
        credential: {
          type: 'VerifiedEmployee',
          issuer: AUTHORITY,
          claims: { revocationId: 'LEE@contoso.com' },
          issuanceDate: '2026-01-01T00:00:00Z',
          expirationDate: '2026-06-30T00:00:00Z',
          domainUrl: 'https://contoso.com/',
        },
        faceScore: 95,
      },
      'The credential has expired.',
    ],
  ];

  it.each(failures)('present with %s sends presentation_error claimValidationError, without a score', async (_, body, message) => {
    const r = await newRequest();
    expect((await control(r.requestId, 'present', body)).status).toBe(202);
    expect(receiver.received.map((c) => c.body)).toEqual([
      { requestId: r.requestId, requestStatus: 'presentation_error', state: r.state, error: { code: 'claimValidationError', message } },
    ]);
  });

  it('a card issued inside the compromise window still verifies: only the bot knows the window', async () => {
    const r = await newRequest();
    await control(r.requestId, 'present', { cardId: 'lee-employee-in-window', faceScore: 97 });
    const data = (receiver.received[0]?.body.verifiedCredentialsData as { issuanceDate: string }[])[0];
    expect(receiver.received[0]?.body.requestStatus).toBe('presentation_verified');
    // The Monday of the story week, 02:26:41 UTC: after Lee's methods were changed at 02:14.
    expect(data?.issuanceDate).toBe('2026-11-16T02:26:41Z');
  });

  it('a card naming another user is never offered: the control refuses and nothing is sent', async () => {
    const r = await newRequest();
    const res = await control(r.requestId, 'present', { cardId: 'lee-names-johanna', faceScore: 95 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/would not offer this card.*revocationId/);
    const idv = await control(r.requestId, 'present', { cardId: 'lee-idv', faceScore: 95 });
    expect(idv.body.error.message).toMatch(/not a VerifiedEmployee/);
    expect(receiver.received).toHaveLength(0);
    // The constraint is case-insensitive: the request for LEE@CONTOSO.COM is answered by lee@contoso.com's card.
    const upper = await newRequest('LEE@CONTOSO.COM');
    expect((await control(upper.requestId, 'present', { cardId: 'lee-employee', faceScore: 90 })).status).toBe(202);
  });

  it('error sends presentation_error with the given code; duplicate re-sends the last callback unchanged', async () => {
    const r = await newRequest();
    await control(r.requestId, 'error', { code: 'userCanceled', message: 'The user declined.' });
    await control(r.requestId, 'duplicate');
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.body).toEqual(receiver.received[0]?.body);
    expect(receiver.received[0]?.body).toEqual({
      requestId: r.requestId,
      requestStatus: 'presentation_error',
      state: r.state,
      error: { code: 'userCanceled', message: 'The user declined.' },
    });
    expect(receiver.received[1]?.headers['api-key']).toBe(API_KEY);
    const fresh = await newRequest();
    expect((await control(fresh.requestId, 'duplicate')).status).toBe(409);
  });

  it('expire sends nothing and refuses the user afterwards; so does the simulator\u2019s clock passing expiry', async () => {
    const r = await newRequest();
    expect((await control(r.requestId, 'expire')).status).toBe(200);
    expect((await control(r.requestId, 'retrieve')).status).toBe(409);
    expect((await control(r.requestId, 'present', { cardId: 'lee-employee', faceScore: 90 })).status).toBe(409);
    const later = await newRequest();
    nowMs += 299_000;
    expect((await control(later.requestId, 'retrieve')).status).toBe(202);
    nowMs += 1_000;
    const late = await control(later.requestId, 'present', { cardId: 'lee-employee', faceScore: 90 });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/expired/);
    expect(receiver.received.map((c) => c.body.requestStatus)).toEqual(['request_retrieved']);
  });

  it('lists requests with each callback\u2019s outcome, never the api-key, the state or the callback URL', async () => {
    const r = await newRequest();
    receiver.status = 401;
    await control(r.requestId, 'retrieve');
    const list = await walletControl(sim, 'GET', 'requests');
    const mine = (list.body.value as { requestId: string }[]).find((x) => x.requestId === r.requestId);
    expect(mine).toMatchObject({
      state: 'retrieved',
      targetUpns: ['lee@contoso.com'],
      faceMatchThreshold: 85,
      callbackHeaderNames: ['api-key'],
      callbacks: [{ requestStatus: 'request_retrieved', outcome: 401 }],
    });
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(r.state);
    expect(text).not.toContain(receiver.url);
  });

  it('records an unreachable callback URL as such', async () => {
    const service = createVerifiedIdService(
      simulatorVerifiedIdSettings(sim, 'http://127.0.0.1:9/api/verifiedid/callback'),
      simulatorCredential(sim.url, () => new Date(nowMs)),
    );
    const r = await service.createPresentationRequest({ state: 'state-unreachable-0123456789', apiKey: API_KEY, userPrincipalNames: ['lee@contoso.com'] });
    await control(r.requestId, 'retrieve');
    expect(sim.verifiedId.requests.get(r.requestId)?.callbacks).toEqual([
      { requestStatus: 'request_retrieved', sentAt: TEST_NOW.toISOString(), outcome: 'unreachable' },
    ]);
  });

  it('tells the demo\u2019s story: every own card issued long before any incident, Lee\u2019s later card inside his compromise window', () => {
    const audits = sim.tenant.audits.map((a) => ({ at: Date.parse(a.activityDateTime), targets: a.targetResources.map((t) => t.userPrincipalName ?? '') }));
    const firstIncident = Math.min(...audits.filter((a) => a.at > TEST_NOW.getTime() - 30 * 86_400_000).map((a) => a.at));
    const upns = new Set(
      [...sim.tenant.users.values(), ...sim.tenant.deletedUsers.values()].map((u) =>
        'originalUserPrincipalName' in u ? u.originalUserPrincipalName : u.userPrincipalName,
      ),
    );
    for (const card of sim.verifiedId.wallet.cards) {
      expect(upns).toContain(card.holder);
      if (card.id.endsWith('-employee')) {
        expect(card.claims['revocationId']).toBe(card.holder);
        expect(Date.parse(card.issuanceDate)).toBeLessThan(firstIncident);
      }
    }
    const leeChanges = audits.filter((a) => a.targets.includes('lee@contoso.com')).map((a) => a.at);
    const inWindow = sim.verifiedId.wallet.cards.find((c) => c.id === 'lee-employee-in-window');
    expect(Date.parse(inWindow?.issuanceDate ?? '')).toBeGreaterThan(Math.min(...leeChanges));
    expect(Date.parse(inWindow?.issuanceDate ?? '')).toBeLessThan(TEST_NOW.getTime());
  });

  it('the wallet holds a card per demo user and Lee\u2019s scenario cards', async () => {
    const wallet = await walletControl(sim, 'GET', 'wallet');
    const ids = (wallet.body.value as { id: string }[]).map((c) => c.id);
    expect(wallet.body.authority).toBe(AUTHORITY);
    for (const user of ['megan', 'alex', 'patti', 'adele', 'lee', 'diego', 'nestor', 'johanna', 'grady', 'ravi']) expect(ids).toContain(`${user}-employee`);
    expect(ids).toEqual(expect.arrayContaining(['lee-employee-in-window', 'lee-employee-revoked', 'lee-other-issuer', 'lee-names-johanna', 'lee-idv']));
  });
});
