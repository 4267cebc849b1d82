import { availableParallelism } from 'node:os';
import {
  caseSettings,
  ConfigError,
  DEMO_VERIFIED_ID_AUTHORITY,
  journalKeyFrom,
  parseConfig,
  parseDemoLauncherConfig,
  parseManifestConfig,
} from '../../src/config';
import { loadDemoWallet } from '../../src/simulator/verified-id/wallet';
import { DEFAULT_DEMO_CLIENT_SECRET } from '../../src/simulator/auth/demo-app';
import { loadDemoSeed } from '../../src/simulator';

import { minimalProductionEnv, TEST_APP_ID, TEST_GROUP, TEST_PRODUCTION_TENANT } from '../helpers/production-env';
const TENANT_ID_OF_SEED = loadDemoSeed().tenant.id;

const APP_ID = TEST_APP_ID;
const TENANT = TEST_PRODUCTION_TENANT;
const GROUP = TEST_GROUP;

const production = minimalProductionEnv();

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: demo mode', () => {
  it('is the default when no credentials are set, with auth off, loopback only and the simulated tenant', () => {
    const config = parseConfig({});
    expect(config.mode).toBe('demo');
    expect(config.host).toBe('127.0.0.1');
    expect(config.bot).toEqual({ kind: 'disabled' });
    // The demo app as the simulated tenant's seed registers it (src/simulator/auth/demo-app.ts, seed/demo-tenant.json).
    expect(config.graph).toEqual({
      baseUrl: 'http://127.0.0.1:5080',
      credential: {
        kind: 'simulated',
        authorityHost: 'http://127.0.0.1:5080',
        tenantId: TENANT_ID_OF_SEED,
        clientId: loadDemoSeed().callerApp.appId,
        clientSecret: DEFAULT_DEMO_CLIENT_SECRET,
      },
    });
    expect(config.policy.helpdeskGroupIds).toEqual([GROUP]);
    expect(config.auditWindowDays).toBe(30);
    expect(config.dataDir).toBeUndefined();
    expect(parseConfig({ DATA_DIR: '/var/lib/recovery' }).dataDir).toBe('/var/lib/recovery');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses to listen beyond loopback, because inbound auth is off', () => {
    expect(errorOf({ HOST: '0.0.0.0' }).variable).toBe('HOST');
  });

  it('takes the simulator URL and port from the environment', () => {
    const config = parseConfig({ SIMULATOR_URL: 'http://127.0.0.1:6001/', PORT: '4000' });
    expect(config.graph.baseUrl).toBe('http://127.0.0.1:6001');
    expect(config.port).toBe(4000);
  });

  it('reads the triage and playbook settings, with defaults', () => {
    const config = parseConfig({
      HELPDESK_TIME_ZONE: 'Europe/Berlin',
      WORKING_HOURS: '08-18',
      WORKING_DAYS: '1-6',
      TAP_ONE_TIME: 'false',
      IDENTITY_VERIFICATION_METHODS: 'In person, Callback to HR number',
    });
    expect(config.triage).toMatchObject({ timeZone: 'Europe/Berlin', startHour: 8, endHour: 18, days: [1, 2, 3, 4, 5, 6], reAddWindowMinutes: 60 });
    expect(config.triage.automationAppIds).toContain('7d3e5f10-aaaa-4bbb-8ccc-0000000000e1');
    expect(config.tap).toEqual({ lifetimeInMinutes: 60, isUsableOnce: false });
    expect(config.approvalTtlMinutes).toBe(60);
    expect(config.identityVerificationMethods).toEqual(['In person', 'Callback to HR number']);
    expect(parseConfig({ ...production }).triage.automationAppIds).toEqual([]);
  });

  it('refuses "Verified ID" as a manual method: the bot runs and checks Verified ID itself', () => {
    for (const listed of ['In person, Verified ID', 'verified id', 'Checked VerifiedID on the call'])
      expect(() => parseConfig({ IDENTITY_VERIFICATION_METHODS: listed })).toThrow(/IDENTITY_VERIFICATION_METHODS: lists manual methods only/);
  });

  it.each([
    ['PORT', 'seventy'],
    ['HELPDESK_TIME_ZONE', 'Mars/Olympus'],
    ['WORKING_HOURS', '19-07'],
    ['WORKING_DAYS', '6-1'],
    ['APPROVAL_TTL_MINUTES', '1'],
    ['TAP_LIFETIME_MINUTES', '5'],
    ['TAP_ONE_TIME', 'yes'],
    ['AUTOMATION_APP_IDS', 'hr-app'],
    ['AUDIT_WINDOW_DAYS', '90'],
    ['LOG_LEVEL', 'loud'],
    ['BOT_MODE', 'staging'],
    ['HELPDESK_GROUP_IDS', 'helpdesk'],
  ])('names %s when its value %s is invalid', (variable, value) => {
    expect(errorOf({ [variable]: value }).variable).toBe(variable);
  });
});

describe('parseConfig: CLOCK_OFFSET_MS (tests pin the clock of the processes they start)', () => {
  it('is 0 by default and takes whole milliseconds, either sign, in demo mode', () => {
    expect(parseConfig({}).clockOffsetMs).toBe(0);
    expect(parseConfig({ CLOCK_OFFSET_MS: '-86400000' }).clockOffsetMs).toBe(-86_400_000);
    expect(errorOf({ CLOCK_OFFSET_MS: '1.5' }).variable).toBe('CLOCK_OFFSET_MS');
  });

  it('is refused in production, where approvals expire on real time', () => {
    const error = errorOf({ ...production, CLOCK_OFFSET_MS: '0' });
    expect(error.variable).toBe('CLOCK_OFFSET_MS');
    expect(error.message).toMatch(/tests and the demo only/);
    expect(parseConfig(production).clockOffsetMs).toBe(0);
  });
});

describe("parseConfig: BOT_OPENID_METADATA_URL (where the channel's signing keys are read)", () => {
  const withUrl = (url: string, env: Record<string, string> = production) => ({ ...env, BOT_OPENID_METADATA_URL: url });

  it('is absent by default: botbuilder reads login.botframework.com', () => {
    expect(parseConfig(production).bot).not.toHaveProperty('channelOpenIdMetadataUrl');
  });

  it('takes an https URL, for either bot identity', () => {
    const url = 'https://keys.contoso.example/v1/.well-known/openidconfiguration';
    const bot = { kind: 'SingleTenant', appId: APP_ID, tenantId: TENANT, password: 'bot-secret', channelOpenIdMetadataUrl: url };
    expect(parseConfig(withUrl(url)).bot).toEqual(bot);
    const msi = { ...production, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: '' };
    expect(parseConfig(withUrl(url, msi)).bot).toMatchObject({ kind: 'UserAssignedMSI', channelOpenIdMetadataUrl: url });
  });

  const loopback = ['http://127.0.0.1:4123/v1/.well-known/openidconfiguration', 'http://localhost:4123/keys', 'http://[::1]:4123/keys'];
  it.each(loopback)('takes plain http on a loopback host: %s', (url) => {
    expect(parseConfig(withUrl(url)).bot).toMatchObject({ channelOpenIdMetadataUrl: url });
  });

  const elsewhere = [
    'http://keys.contoso.example/v1/.well-known/openidconfiguration',
    'http://10.0.0.5/keys',
    'http://127.0.0.1.attacker.example/keys',
    'ftp://127.0.0.1/keys',
  ];
  it.each(elsewhere)('refuses plain http anywhere else, naming the variable: %s', (url) => {
    const error = errorOf(withUrl(url));
    expect(error.variable).toBe('BOT_OPENID_METADATA_URL');
    expect(error.message).toMatch(/^BOT_OPENID_METADATA_URL: must be https \(http only on a loopback host/);
  });

  it('refuses what is not a URL', () => {
    expect(errorOf(withUrl('login.botframework.com')).message).toMatch(/^BOT_OPENID_METADATA_URL: must be a URL/);
  });

  it('is refused in demo mode, which has no inbound authentication to configure', () => {
    const error = errorOf({ BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4123/keys' });
    expect(error.variable).toBe('BOT_OPENID_METADATA_URL');
    expect(error.message).toMatch(/for production mode: demo mode has no inbound authentication/);
  });
});

describe('parseConfig: production mode', () => {
  it('accepts a complete single-tenant configuration', () => {
    const config = parseConfig(production);
    expect(config.mode).toBe('production');
    expect(config.bot).toEqual({ kind: 'SingleTenant', appId: APP_ID, tenantId: TENANT, password: 'bot-secret' });
    expect(config.tenantId).toBe(TENANT);
    expect(config.graph.baseUrl).toBe('https://graph.microsoft.com');
    expect(config.graph.credential).toEqual({ kind: 'clientSecret', tenantId: TENANT, clientId: APP_ID, clientSecret: 'graph-secret' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe('./data');
    expect(config.blobStorage).toBeUndefined();
    expect(parseConfig({ ...production, AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true;' }).blobStorage).toEqual({
      kind: 'connectionString',
      connectionString: 'UseDevelopmentStorage=true;',
      container: 'recovery-cases',
    });
    expect(() => parseConfig({ ...production, AZURE_STORAGE_CONNECTION_STRING: 'x', AZURE_STORAGE_CONTAINER: 'Bad_Name' })).toThrow(/AZURE_STORAGE_CONTAINER/);
  });

  it('reaches Blob storage with a managed identity (no secret) through the account URL, and refuses ambiguity or plain http', () => {
    const url = 'https://contosorecovery.blob.core.windows.net/';
    expect(parseConfig({ ...production, AZURE_STORAGE_ACCOUNT_URL: url }).blobStorage).toEqual({
      kind: 'managedIdentity',
      accountUrl: 'https://contosorecovery.blob.core.windows.net',
      container: 'recovery-cases',
    });
    const clientId = '0f6c2d1e-3b4a-4c5d-8e9f-a0b1c2d3e4f5';
    expect(parseConfig({ ...production, AZURE_STORAGE_ACCOUNT_URL: url, AZURE_STORAGE_CLIENT_ID: clientId }).blobStorage).toMatchObject({
      kind: 'managedIdentity',
      clientId,
    });
    expect(() => parseConfig({ ...production, AZURE_STORAGE_ACCOUNT_URL: url, AZURE_STORAGE_CLIENT_ID: 'not-a-guid' })).toThrow(/AZURE_STORAGE_CLIENT_ID/);
    expect(() => parseConfig({ ...production, AZURE_STORAGE_ACCOUNT_URL: 'http://contosorecovery.blob.core.windows.net' })).toThrow(
      /AZURE_STORAGE_ACCOUNT_URL.*https/,
    );
    expect(() => parseConfig({ ...production, AZURE_STORAGE_ACCOUNT_URL: url, AZURE_STORAGE_CONNECTION_STRING: 'x' })).toThrow(
      /AZURE_STORAGE_ACCOUNT_URL.*set one/,
    );
  });

  it('hands the case use cases their settings: each group list from its own variable, the tenant from the bot', () => {
    const helpdesk = '11111111-1111-4111-8111-111111111111';
    const approvers = '22222222-2222-4222-8222-222222222222';
    const privileged = '33333333-3333-4333-8333-333333333333';
    const settings = caseSettings(
      parseConfig({
        ...production,
        HELPDESK_GROUP_IDS: helpdesk,
        APPROVER_GROUP_IDS: approvers,
        PRIVILEGED_APPROVER_GROUP_IDS: privileged,
        APPROVAL_TTL_MINUTES: '90',
        TAP_LIFETIME_MINUTES: '120',
      }),
    );
    expect(settings).toMatchObject({
      tenantId: TENANT,
      helpdeskGroupIds: [helpdesk],
      approverGroupIds: [approvers],
      privilegedApproverGroupIds: [privileged],
      approvalTtlMinutes: 90,
      approvalReminderMinutes: 15,
      auditWindowDays: 30,
      tap: { lifetimeInMinutes: 120, isUsableOnce: true },
    });
  });

  it('seals journals with JOURNAL_KEY, or a key derived from the card signing key (never the card key itself)', () => {
    const derived = parseConfig(production).journalKey;
    expect(derived).toBe(journalKeyFrom(production.CARD_SIGNING_KEY));
    expect(derived).not.toBe(production.CARD_SIGNING_KEY);
    expect(parseConfig({ ...production, CARD_SIGNING_KEY: 'another-test-signing-key-long-enough-0123456' }).journalKey).not.toBe(derived);
    const own = 'a-journal-key-of-its-own-long-enough-012345678';
    expect(parseConfig({ ...production, JOURNAL_KEY: own }).journalKey).toBe(own);
    expect(() => parseConfig({ ...production, JOURNAL_KEY: 'short' })).toThrow(/JOURNAL_KEY/);
  });

  it('sweeps for abandoned work every CASE_SWEEP_SECONDS (default 120, 10 to 3600)', () => {
    expect(parseConfig(production).caseSweepSeconds).toBe(120);
    expect(parseConfig({ ...production, CASE_SWEEP_SECONDS: '30' }).caseSweepSeconds).toBe(30);
    expect(() => parseConfig({ ...production, CASE_SWEEP_SECONDS: '5' })).toThrow(/CASE_SWEEP_SECONDS/);
  });

  it('runs WEB_CONCURRENCY workers: the CPUs by default in production, 1 in the demo, 1 to 64, never on the demo\u2019s memory storage', () => {
    expect(parseConfig(production).webConcurrency).toBe(Math.min(availableParallelism(), 64));
    expect(parseConfig({ ...production, WEB_CONCURRENCY: '3' }).webConcurrency).toBe(3);
    expect(() => parseConfig({ ...production, WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY: .*from 1 to 64/);
    expect(() => parseConfig({ ...production, WEB_CONCURRENCY: 'two' })).toThrow(/WEB_CONCURRENCY: /);
    expect(parseConfig({ BOT_MODE: 'demo' }).webConcurrency).toBe(1);
    // Several workers each with its own memory would each hold their own cases: refused, saying what to set.
    expect(() => parseConfig({ BOT_MODE: 'demo', WEB_CONCURRENCY: '2' })).toThrow(
      /WEB_CONCURRENCY: is 2, but cases are kept in this process's memory .* Set DATA_DIR .* or WEB_CONCURRENCY=1/,
    );
    expect(parseConfig({ BOT_MODE: 'demo', WEB_CONCURRENCY: '2', DATA_DIR: 'data' }).webConcurrency).toBe(2);
    expect(parseConfig({ BOT_MODE: 'demo', WEB_CONCURRENCY: '2', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).webConcurrency).toBe(2);
  });

  it('escalates a pending request to ESCALATION_GROUP_IDS after ESCALATE_AFTER_MINUTES (default 30), which must come before the expiry', () => {
    const group = '3c0d9e51-1000-4b2a-8f00-00000000e5c1';
    expect(parseConfig(production).escalation).toBeUndefined();
    expect(parseConfig({ ...production, ESCALATION_GROUP_IDS: group }).escalation).toEqual({ groupIds: [group], afterMinutes: 30 });
    expect(parseConfig({ ...production, ESCALATION_GROUP_IDS: group, ESCALATE_AFTER_MINUTES: '45' }).escalation?.afterMinutes).toBe(45);
    expect(() => parseConfig({ ...production, ESCALATION_GROUP_IDS: group, ESCALATE_AFTER_MINUTES: '60' })).toThrow(
      /ESCALATE_AFTER_MINUTES.*not before APPROVAL_TTL_MINUTES \(60\)/,
    );
    expect(() => parseConfig({ ...production, ESCALATION_GROUP_IDS: 'security-leads' })).toThrow(/ESCALATION_GROUP_IDS/);
    // The demo escalates to its privileged approvers, unless a short TTL leaves no time for it.
    expect(parseConfig({ BOT_MODE: 'demo' }).escalation).toEqual({ groupIds: ['3c0d9e51-1000-4b2a-8f00-00000000a003'], afterMinutes: 30 });
    expect(parseConfig({ BOT_MODE: 'demo', APPROVAL_TTL_MINUTES: '20' }).escalation).toBeUndefined();
  });

  it('is chosen automatically when credentials are present', () => {
    expect(parseConfig({ ...production, BOT_MODE: undefined }).mode).toBe('production');
  });

  it('accepts a user-assigned managed identity for both the bot and Graph', () => {
    const config = parseConfig({
      ...production,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppPassword: '',
      GRAPH_AUTH: 'managedIdentity',
      GRAPH_CLIENT_SECRET: '',
    });
    expect(config.bot).toEqual({ kind: 'UserAssignedMSI', appId: APP_ID, tenantId: TENANT });
    expect(config.graph.credential).toEqual({ kind: 'managedIdentity', clientId: APP_ID });
  });

  it.each([
    ['MicrosoftAppId', { MicrosoftAppId: '' }],
    ['MicrosoftAppId', { MicrosoftAppId: 'not-a-guid' }],
    ['MicrosoftAppType', { MicrosoftAppType: '' }],
    ['MicrosoftAppType', { MicrosoftAppType: 'MultiTenant' }],
    ['MicrosoftAppTenantId', { MicrosoftAppTenantId: '' }],
    ['MicrosoftAppPassword', { MicrosoftAppPassword: '' }],
    ['GRAPH_AUTH', { GRAPH_AUTH: '' }],
    ['GRAPH_CLIENT_ID', { GRAPH_CLIENT_ID: '' }],
    ['GRAPH_CLIENT_SECRET', { GRAPH_CLIENT_SECRET: '' }],
    ['GRAPH_CERTIFICATE_PATH', { GRAPH_AUTH: 'certificate' }],
    ['GRAPH_BASE_URL', { GRAPH_BASE_URL: 'http://graph.example' }],
    ['HELPDESK_GROUP_IDS', { HELPDESK_GROUP_IDS: '' }],
    ['APPROVER_GROUP_IDS', { APPROVER_GROUP_IDS: '' }],
    ['CARD_SIGNING_KEY', { CARD_SIGNING_KEY: '' }],
    ['CARD_SIGNING_KEY', { CARD_SIGNING_KEY: 'short' }],
    ['CARD_SIGNING_KEY', { CARD_SIGNING_KEY: 'demo-only-card-signing-key-not-secret-0123456789' }],
  ])('refuses to start and names %s', (variable, override) => {
    const error = errorOf({ ...production, ...override });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('explains why the app id matters when it is missing', () => {
    expect(errorOf({ BOT_MODE: 'production' }).message).toMatch(/JWT validation/);
  });
});

describe('parseManifestConfig and parseDemoLauncherConfig', () => {
  it('requires the bot app id for the Teams package', () => {
    expect(() => parseManifestConfig({})).toThrow(/MicrosoftAppId/);
    expect(parseManifestConfig({ MicrosoftAppId: APP_ID, BOT_DOMAIN: 'bot.contoso.com' })).toEqual({
      botId: APP_ID,
      appVersion: '1.0.0',
      botDomain: 'bot.contoso.com',
    });
    expect(() => parseManifestConfig({ MicrosoftAppId: APP_ID, APP_VERSION: 'latest' })).toThrow(/APP_VERSION/);
  });

  it('gives the demo ports, the Playground on 56150 by default', () => {
    expect(parseDemoLauncherConfig({})).toEqual({ botPort: 3978, simulatorPort: 5080, playgroundPort: 56150 });
  });
});

describe('parseConfig: readiness report on a schedule', () => {
  it('is off unless READINESS_CHANNEL is set', () => {
    expect(parseConfig({}).readinessSchedule).toBeUndefined();
    expect(parseConfig(production).readinessSchedule).toBeUndefined();
  });

  it('posts weekly to the Playground channel in the demo, and through the Teams service URL in production', () => {
    expect(parseConfig({ READINESS_CHANNEL: 'channel-recoveries' }).readinessSchedule).toEqual({
      conversationId: 'channel-recoveries',
      serviceUrl: 'http://localhost:56150/_connector',
      everyHours: 168,
    });
    expect(parseConfig({ ...production, READINESS_CHANNEL: '19:abc123@thread.tacv2', READINESS_EVERY_HOURS: '24' }).readinessSchedule).toEqual({
      conversationId: '19:abc123@thread.tacv2',
      serviceUrl: 'https://smba.trafficmanager.net/teams/',
      everyHours: 24,
    });
  });

  it.each([
    [{ ...production, READINESS_CHANNEL: 'channel-recoveries' }, 'READINESS_CHANNEL'],
    [{ ...production, READINESS_CHANNEL: '19:abc@thread.tacv2;messageid=1' }, 'READINESS_CHANNEL'],
    [{ ...production, READINESS_CHANNEL: '19:abc@thread.tacv2', READINESS_SERVICE_URL: 'http://smba.example/' }, 'READINESS_SERVICE_URL'],
    [{ READINESS_CHANNEL: 'channel-recoveries', READINESS_EVERY_HOURS: '600' }, 'READINESS_EVERY_HOURS'],
    [{ READINESS_CHANNEL: 'channel-recoveries', READINESS_EVERY_HOURS: '0' }, 'READINESS_EVERY_HOURS'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(errorOf(env).variable).toBe(variable);
  });
});

const AUTHORITY = 'did:web:verifiedid.contoso.com';
const enabled = {
  ...production,
  VERIFIED_ID_AUTHORITY: AUTHORITY,
  VERIFIED_ID_LINKED_DOMAINS: 'contoso.com',
  VERIFIED_ID_CALLBACK_URL: 'https://bot.contoso.com/api/verifiedid/callback',
};

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
      // PORT may be 0: the process sends the address it actually listens on (src/index.ts).
      callbackFromListener: true,
      maxAttempts: 3,
    });
    // Set explicitly, the callback URL is used as it is.
    expect(
      parseConfig({ SIMULATOR_URL: 'http://127.0.0.1:6001/', VERIFIED_ID_CALLBACK_URL: 'http://bot.example/api/verifiedid/callback' }).verifiedId,
    ).toMatchObject({ callbackUrl: 'http://bot.example/api/verifiedid/callback' });
    expect(
      parseConfig({ SIMULATOR_URL: 'http://127.0.0.1:6001/', VERIFIED_ID_CALLBACK_URL: 'http://bot.example/api/verifiedid/callback' }).verifiedId
        ?.callbackFromListener,
    ).toBeUndefined();
    expect(parseConfig({ VERIFIED_ID_FACE_MATCH_THRESHOLD: '95' }).verifiedId?.faceMatchThreshold).toBe(95);
    // The simulated tenant's wallet is issued by the same authority the demo bot asks for.
    expect(loadDemoWallet().authority).toBe(DEMO_VERIFIED_ID_AUTHORITY);
  });
});
