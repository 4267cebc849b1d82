import { presentationRequestPayload } from '../../src/entra/verified-id-client';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { appToken } from '../helpers/simulator-token';
import { TEST_NOW } from '../helpers/test-clock';
import { postPresentationRequest, requestServiceToken, simulatorVerifiedIdSettings, walletControl } from '../helpers/verified-id';

/** A request body a test mutates field by field: parsed JSON, typed loosely on purpose. */
type Loose = ReturnType<typeof JSON.parse>;

/** The simulated Request Service's endpoint (shared/spec/verified-id.md §1, §7.5): tokens, validation, §1.3 errors, faults. */
describe('simulated Verified ID Request Service: createPresentationRequest', () => {
  let sim: RunningSimulator;
  let token: string;
  const now = TEST_NOW.getTime();
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(now) });
    token = await requestServiceToken(sim);
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => sim.faults.clear());

  const valid = (): Loose =>
    JSON.parse(
      JSON.stringify(
        presentationRequestPayload(simulatorVerifiedIdSettings(sim, 'http://127.0.0.1:9/api/verifiedid/callback'), {
          state: 'state-0123456789abcdef',
          apiKey: 'key-0123456789abcdef',
          userPrincipalNames: ['lee@contoso.com'],
        }),
      ),
    );

  it('accepts the bot\u2019s payload: 201 with requestId, an openid-vc url and expiry 300 s after the simulator\u2019s now', async () => {
    const res = await postPresentationRequest(sim, valid(), token);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['expiry', 'requestId', 'url']);
    expect(res.body.url).toBe(
      `openid-vc://?request_uri=${sim.url}/verifiedid/v1.0/5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10/verifiableCredentials/presentationRequests/${res.body.requestId}`,
    );
    expect(res.body.expiry).toBe(now / 1000 + 300);
    // includeQRCode: true adds the data URL.
    const withQr = await postPresentationRequest(sim, { ...valid(), includeQRCode: true }, token);
    expect(withQr.body.qrCode).toMatch(/^data:image\/png;base64,/);
  });

  const mutations: readonly [string, (b: Loose) => void, string][] = [
    ['authority missing', (b) => delete b.authority, 'authority'],
    ['authority of another tenant', (b) => (b.authority = 'did:web:verifiedid.fabrikam.com'), 'authority'],
    ['registration.clientName missing', (b) => delete b.registration.clientName, 'registration.clientName'],
    ['callback missing', (b) => delete b.callback, 'callback'],
    ['callback.url missing', (b) => delete b.callback.url, 'callback.url'],
    ['callback.url not a URL', (b) => (b.callback.url = 'not a url'), 'callback.url'],
    ['callback.state missing', (b) => delete b.callback.state, 'callback.state'],
    ['callback header other than api-key/Authorization', (b) => (b.callback.headers['x-extra'] = '1'), 'callback.headers'],
    ['requestedCredentials empty', (b) => (b.requestedCredentials = []), 'requestedCredentials'],
    ['requestedCredentials missing', (b) => delete b.requestedCredentials, 'requestedCredentials'],
    ['type missing', (b) => delete b.requestedCredentials[0].type, 'requestedCredentials[0].type'],
    [
      'threshold 49',
      (b) => (b.requestedCredentials[0].configuration.validation.faceCheck.matchConfidenceThreshold = 49),
      'requestedCredentials[0].configuration.validation.faceCheck.matchConfidenceThreshold',
    ],
    [
      'threshold 101',
      (b) => (b.requestedCredentials[0].configuration.validation.faceCheck.matchConfidenceThreshold = 101),
      'requestedCredentials[0].configuration.validation.faceCheck.matchConfidenceThreshold',
    ],
    [
      'threshold not whole',
      (b) => (b.requestedCredentials[0].configuration.validation.faceCheck.matchConfidenceThreshold = 85.5),
      'requestedCredentials[0].configuration.validation.faceCheck.matchConfidenceThreshold',
    ],
    [
      'sourcePhotoClaimName missing',
      (b) => delete b.requestedCredentials[0].configuration.validation.faceCheck.sourcePhotoClaimName,
      'requestedCredentials[0].configuration.validation.faceCheck.sourcePhotoClaimName',
    ],
    ['includeReceipt with Face Check', (b) => (b.includeReceipt = true), 'includeReceipt'],
    ['constraint with values and contains', (b) => (b.requestedCredentials[0].constraints[0].contains = 'lee'), 'requestedCredentials[0].constraints[0]'],
  ];

  it.each(mutations)('refuses %s with 400 badRequest / badOrMissingField naming the field', async (_, mutate, target) => {
    const body = valid();
    mutate(body);
    const res = await postPresentationRequest(sim, body, token);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      requestId: expect.any(String),
      date: expect.any(String),
      mscv: expect.any(String),
      error: { code: 'badRequest', message: 'The request is invalid.', innererror: { code: 'badOrMissingField', message: expect.any(String), target } },
    });
  });

  it('refuses a body that is not JSON, without a request being kept', async () => {
    const before = sim.verifiedId.requests.size;
    const res = await postPresentationRequest(sim, '{not json', token);
    expect(res.status).toBe(400);
    expect(res.body.error.innererror.code).toBe('badOrMissingField');
    expect(sim.verifiedId.requests.size).toBe(before);
  });

  it('refuses no token, a Graph token and a token without the PresentRequest role; accepts VerifiableCredential.Create.All', async () => {
    const none = await postPresentationRequest(sim, valid(), undefined);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'unauthorized', innererror: { code: 'tokenError' } });
    const graphToken = await appToken(sim.url);
    expect((await postPresentationRequest(sim, valid(), graphToken)).status).toBe(401);
    try {
      expect((await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: ['VerifiableCredential.Create.IssueRequest'] })).status).toBe(200);
      const issueOnly = await postPresentationRequest(sim, valid(), await requestServiceToken(sim));
      expect(issueOnly.status).toBe(403);
      expect(issueOnly.body.error).toMatchObject({ code: 'forbidden', innererror: { code: 'tokenError' } });
      await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: ['VerifiableCredential.Create.All'] });
      expect((await postPresentationRequest(sim, valid(), await requestServiceToken(sim))).status).toBe(201);
    } finally {
      await walletControl(sim, 'PUT', 'permissions', { verifiedIdPermissions: ['VerifiableCredential.Create.PresentRequest'] });
    }
  });

  it('answers injected 401, 403, 429 (Retry-After, transientError) and 503 with the \u00a71.3 body', async () => {
    const path = /createPresentationRequest/;
    const cases: readonly [number, string, string][] = [
      [401, 'unauthorized', 'tokenError'],
      [403, 'forbidden', 'tokenError'],
      [429, 'tooManyRequests', 'transientError'],
      [503, 'serviceUnavailable', 'transientError'],
    ];
    for (const [status, code, inner] of cases) {
      sim.faults.add({ path, kind: 'error', status, times: 1, ...(status === 429 ? { retryAfterSeconds: 2 } : {}) });
      const res = await postPresentationRequest(sim, valid(), token);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, innererror: { code: inner } });
      if (status === 429) expect(res.headers.get('retry-after')).toBe('2');
    }
    expect((await postPresentationRequest(sim, valid(), token)).status).toBe(201);
  });

  it('issues Request Service tokens with the Verified ID roles, and Graph tokens without them', async () => {
    const roles = (jwt: string): string[] => (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles: string[] }).roles;
    expect(roles(token)).toEqual(['VerifiableCredential.Create.PresentRequest']);
    expect(roles(await appToken(sim.url))).not.toContain('VerifiableCredential.Create.PresentRequest');
  });

  it('does not let a Request Service token call Graph (another audience)', async () => {
    const res = await fetch(`${sim.url}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Access token validation failure. Invalid audience.');
  });
});

describe('simulated Verified ID Request Service: the tenant\u2019s 2 requests a second (throttling: graph)', () => {
  let sim: RunningSimulator;
  let now = TEST_NOW.getTime();
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(now), throttling: 'graph' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers the third request within a second with 429 tooManyRequests/transientError and Retry-After, then accepts again', async () => {
    const token = await requestServiceToken(sim);
    const body = presentationRequestPayload(simulatorVerifiedIdSettings(sim, 'http://127.0.0.1:9/cb'), {
      state: 'state-throttle-0123456789',
      apiKey: 'key-throttle-0123456789',
      userPrincipalNames: ['lee@contoso.com'],
    });
    expect((await postPresentationRequest(sim, body, token)).status).toBe(201);
    now += 400;
    expect((await postPresentationRequest(sim, body, token)).status).toBe(201);
    now += 400;
    const third = await postPresentationRequest(sim, body, token);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(third.body.error).toMatchObject({ code: 'tooManyRequests', innererror: { code: 'transientError' } });
    now += 201;
    expect((await postPresentationRequest(sim, body, token)).status).toBe(201);
  });
});
