import { ConfigError, DEMO_VERIFIED_ID_AUTHORITY, parseConfig } from '../../src/config';
import { loadDemoWallet } from '../../src/simulator/verified-id/wallet';

const GROUP = '3c0d9e51-1000-4b2a-8f00-00000000a001';
const APP_ID = '11111111-2222-4333-8444-555555555555';
const production = {
  BOT_MODE: 'production',
  MicrosoftAppId: APP_ID,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  MicrosoftAppPassword: 'bot-secret',
  GRAPH_AUTH: 'clientSecret',
  GRAPH_CLIENT_ID: APP_ID,
  GRAPH_CLIENT_SECRET: 'graph-secret',
  HELPDESK_GROUP_IDS: GROUP,
  APPROVER_GROUP_IDS: GROUP,
  PRIVILEGED_APPROVER_GROUP_IDS: GROUP,
  CARD_SIGNING_KEY: 'a-test-signing-key-that-is-long-enough-0123456789',
};
const AUTHORITY = 'did:web:verifiedid.contoso.com';
const enabled = {
  ...production,
  VERIFIED_ID_AUTHORITY: AUTHORITY,
  VERIFIED_ID_LINKED_DOMAINS: 'contoso.com',
  VERIFIED_ID_CALLBACK_URL: 'https://bot.contoso.com/api/verifiedid/callback',
};

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: Verified ID (VERIFIED_ID_*)', () => {
  it('is off in production unless VERIFIED_ID_AUTHORITY is set', () => {
    expect(parseConfig(production).verifiedId).toBeUndefined();
  });

  it('with the authority, the linked domains and the callback URL, takes the documented defaults', () => {
    expect(parseConfig(enabled).verifiedId).toEqual({
      authority: AUTHORITY,
      acceptedIssuers: [AUTHORITY],
      linkedDomains: ['contoso.com'],
      faceMatchThreshold: 85,
      credentialType: 'VerifiedEmployee',
      clientName: 'IT Helpdesk',
      endpoint: 'https://verifiedid.did.msidentity.com/v1.0/',
      callbackUrl: 'https://bot.contoso.com/api/verifiedid/callback',
      maxAttempts: 3,
    });
    expect(Object.isFrozen(parseConfig(enabled).verifiedId)).toBe(true);
  });

  it('reads every variable', () => {
    const settings = parseConfig({
      ...enabled,
      VERIFIED_ID_ACCEPTED_ISSUERS: `${AUTHORITY}, did:ion:EiAbc123_-xyz:eyJkZWx0YSI6e319`,
      VERIFIED_ID_LINKED_DOMAINS: 'Contoso.com, verifiedid.contoso.com',
      VERIFIED_ID_FACE_MATCH_THRESHOLD: '90',
      VERIFIED_ID_CREDENTIAL_TYPE: 'VerifiedIdentity',
      VERIFIED_ID_CLIENT_NAME: 'Contoso Service Desk',
      VERIFIED_ID_ENDPOINT: 'https://verifiedid.did.msidentity.com/v1.0',
      VERIFIED_ID_MAX_ATTEMPTS: '5',
    }).verifiedId;
    expect(settings).toMatchObject({
      acceptedIssuers: [AUTHORITY, 'did:ion:EiAbc123_-xyz:eyJkZWx0YSI6e319'],
      linkedDomains: ['contoso.com', 'verifiedid.contoso.com'],
      faceMatchThreshold: 90,
      credentialType: 'VerifiedIdentity',
      clientName: 'Contoso Service Desk',
      endpoint: 'https://verifiedid.did.msidentity.com/v1.0/',
      maxAttempts: 5,
    });
  });

  it.each([
    ['VERIFIED_ID_AUTHORITY', 'verifiedid.contoso.com'],
    ['VERIFIED_ID_AUTHORITY', 'did:key:z6Mk'],
    ['VERIFIED_ID_ACCEPTED_ISSUERS', `${AUTHORITY},contoso.com`],
    ['VERIFIED_ID_ACCEPTED_ISSUERS', ' , '],
    ['VERIFIED_ID_LINKED_DOMAINS', 'https://contoso.com/'],
    ['VERIFIED_ID_LINKED_DOMAINS', 'localhost'],
    ['VERIFIED_ID_FACE_MATCH_THRESHOLD', '69'],
    ['VERIFIED_ID_FACE_MATCH_THRESHOLD', '50'],
    ['VERIFIED_ID_FACE_MATCH_THRESHOLD', '101'],
    ['VERIFIED_ID_FACE_MATCH_THRESHOLD', '85.5'],
    ['VERIFIED_ID_CREDENTIAL_TYPE', 'Verified Employee'],
    ['VERIFIED_ID_CLIENT_NAME', 'x'.repeat(101)],
    ['VERIFIED_ID_ENDPOINT', 'http://verifiedid.did.msidentity.com/v1.0/'],
    ['VERIFIED_ID_ENDPOINT', 'not a url'],
    ['VERIFIED_ID_CALLBACK_URL', 'http://bot.contoso.com/api/verifiedid/callback'],
    ['VERIFIED_ID_MAX_ATTEMPTS', '0'],
    ['VERIFIED_ID_MAX_ATTEMPTS', '6'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    const error = errorOf({ ...enabled, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });

  it.each(['VERIFIED_ID_LINKED_DOMAINS', 'VERIFIED_ID_CALLBACK_URL'])('requires %s once the authority is set', (variable) => {
    const error = errorOf({ ...enabled, [variable]: undefined });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(/is required when VERIFIED_ID_AUTHORITY is set/);
  });

  it('refuses a VERIFIED_ID_* variable without the authority instead of ignoring it', () => {
    const error = errorOf({ ...production, VERIFIED_ID_FACE_MATCH_THRESHOLD: '90' });
    expect(error.variable).toBe('VERIFIED_ID_FACE_MATCH_THRESHOLD');
    expect(error.message).toMatch(/VERIFIED_ID_AUTHORITY is not/);
  });

  it('is always on in the demo: the demo tenant\u2019s DID, the simulated Request Service, the bot\u2019s own loopback callback', () => {
    expect(parseConfig({ SIMULATOR_URL: 'http://127.0.0.1:6001/', PORT: '4000' }).verifiedId).toEqual({
      authority: DEMO_VERIFIED_ID_AUTHORITY,
      acceptedIssuers: [DEMO_VERIFIED_ID_AUTHORITY],
      linkedDomains: ['contoso.com'],
      faceMatchThreshold: 85,
      credentialType: 'VerifiedEmployee',
      clientName: 'IT Helpdesk',
      endpoint: 'http://127.0.0.1:6001/verifiedid/v1.0/',
      callbackUrl: 'http://127.0.0.1:4000/api/verifiedid/callback',
      maxAttempts: 3,
    });
    expect(parseConfig({ VERIFIED_ID_FACE_MATCH_THRESHOLD: '95' }).verifiedId?.faceMatchThreshold).toBe(95);
    // The simulated tenant's wallet is issued by the same authority the demo bot asks for.
    expect(loadDemoWallet().authority).toBe(DEMO_VERIFIED_ID_AUTHORITY);
  });
});
