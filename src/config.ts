/**
 * The one place that reads the environment. `parseConfig(env)` validates everything once and returns a frozen,
 * typed object; every error names the variable and says how to fix it. Nobody else reads `process.env`.
 */
import { createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { CaseSettings } from './ports/case-services';
import { CONFIG_VARIABLES, type ConfigVariable, type VariableName } from './config-variables';
import type { VerifiedIdSettings } from './verified-id-settings';

/** Demo tenant group ids (docs/demo-tenant.md); used only when the bot runs in demo mode. */
const DEMO_GROUPS = {
  helpdesk: ['3c0d9e51-1000-4b2a-8f00-00000000a001'],
  approvers: ['3c0d9e51-1000-4b2a-8f00-00000000a002'],
  privilegedApprovers: ['3c0d9e51-1000-4b2a-8f00-00000000a003'],
} as const;
const DEMO_TENANT_ID = '5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10';
/** Demo only: a fixed, public key. Demo mode has no inbound authentication anyway and listens on loopback only. */
const DEMO_CARD_SIGNING_KEY = 'demo-only-card-signing-key-not-secret-0123456789';
/** The bot's app in the demo tenant (its `callerApp` in src/simulator/seed/demo-tenant.json). */
const DEMO_BOT_APP_ID = 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
/** The demo app's client secret, as the simulated tenant's seed defaults it (src/simulator/auth/demo-app.ts). Not a secret. */
const DEMO_CLIENT_SECRET = 'demo-only-client-secret-not-secret';
/** The demo tenant's HR provisioning app and the bot's own app id. */
const DEMO_AUTOMATION_APP_IDS = ['7d3e5f10-aaaa-4bbb-8ccc-0000000000e1', DEMO_BOT_APP_ID];

export type Mode = 'demo' | 'production';

export type GraphCredentialConfig =
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'managedIdentity'; clientId: string }
  /**
   * Demo only: the client credentials grant against the simulated tenant's own token endpoint (at `authorityHost`, the
   * simulator's URL), as the demo app whose grants the simulator holds; no real identity is involved.
   */
  | { kind: 'simulated'; authorityHost: string; tenantId: string; clientId: string; clientSecret: string };

export type BotAuthConfig =
  /** Demo only: inbound JWT validation is off (the Agents Playground sends no token), so the bot listens on loopback only. */
  | { kind: 'disabled' }
  /** channelOpenIdMetadataUrl: BOT_OPENID_METADATA_URL, where the channel's signing keys are read (default: botbuilder's). */
  | { kind: 'SingleTenant'; appId: string; tenantId: string; password: string; channelOpenIdMetadataUrl?: string }
  | { kind: 'UserAssignedMSI'; appId: string; tenantId: string; channelOpenIdMetadataUrl?: string };

/** The case settings that come straight from variables; the group ids and the tenant come from `policy` and the bot. */
type WorkflowSettings = Pick<
  CaseSettings,
  'auditWindowDays' | 'triage' | 'approvalTtlMinutes' | 'approvalReminderMinutes' | 'escalation' | 'tap' | 'identityVerificationMethods'
>;

export interface Config extends WorkflowSettings {
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  /**
   * Bot workers on that port (WEB_CONCURRENCY): node:cluster processes sharing the store, so that every core answers
   * clicks. Production default: the CPUs; demo: 1. More than one only with a store every worker sees (src/workers.ts).
   */
  readonly webConcurrency: number;
  readonly bot: BotAuthConfig;
  /** The tenant the bot serves. Activities from any other tenant are refused. */
  readonly tenantId: string;
  readonly graph: {
    /** Origin that Graph requests go to: https://graph.microsoft.com, or the simulated tenant's URL in demo mode. */
    readonly baseUrl: string;
    readonly credential: GraphCredentialConfig;
  };
  readonly policy: {
    readonly helpdeskGroupIds: readonly string[];
    readonly approverGroupIds: readonly string[];
    readonly privilegedApproverGroupIds: readonly string[];
    /** Extra groups whose members count as privileged targets (PRIVILEGED_TARGET_GROUP_IDS, optional). */
    readonly privilegedTargetGroupIds: readonly string[];
  };
  /** Distinct approvers a bulk incident needs (INCIDENT_APPROVALS, default 2). */
  readonly incidentApprovals: number;
  /** Signs card data (case id, version, conversation, tenant); shared by every instance of the bot. */
  readonly cardSigningKey: string;
  /**
   * Seals the case journals' hash chain (an HMAC per entry), so that whoever can edit the storage but lacks the key
   * cannot rewrite a journal unseen. JOURNAL_KEY, or derived from CARD_SIGNING_KEY; the same on every instance, and
   * kept when the card key is rotated (set JOURNAL_KEY to the old derived value, or from the start).
   */
  readonly journalKey: string;
  /** Where cases are kept on disk; undefined keeps them in memory (demo default: the simulated tenant is in memory too). */
  readonly dataDir?: string;
  /** Azure Blob storage for cases, shared by several instances; when set it replaces DATA_DIR. */
  readonly blobStorage?: BlobStorageConfig;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * How often each instance looks for work no process is doing (a triage or run left by an instance that died, approval
   * timers of cases another instance opened).
   */
  readonly caseSweepSeconds: number;
  /**
   * Demo and tests only (CLOCK_OFFSET_MS): the bot's clock runs this many milliseconds ahead of the wall clock (negative:
   * behind), so that a test can pin the bot processes it starts, and the simulated tenant, to one instant. Always 0 in
   * production: approval expiry and audit windows there are on real time.
   */
  readonly clockOffsetMs: number;
  /** The helpdesk-attack rules (RECOVERY_COOLDOWN_DAYS, RECOVERY_BURST_LIMIT, RECOVERY_BURST_WINDOW_MINUTES). */
  readonly helpdeskRisk: { readonly cooldownDays: number; readonly burstLimit: number; readonly burstWindowMinutes: number };
  /** Telling the user out of band: the mailbox that sends (NOTIFY_MAIL_SENDER; unset: no email) and who to call. */
  readonly notify: { readonly mailSender?: string; readonly securityContact: string };
  /**
   * The identity check the bot runs itself (Entra Verified ID with Face Check); off in production unless
   * VERIFIED_ID_AUTHORITY is set, always on in the demo (against the simulated Request Service).
   */
  readonly verifiedId?: VerifiedIdSettings;
  /** Posting the readiness report to a channel on a schedule; off unless READINESS_CHANNEL is set. */
  readonly readinessSchedule?: { readonly conversationId: string; readonly serviceUrl: string; readonly everyHours: number };
}

/** A connection string (a storage account key, or Azurite), or an account URL reached with a managed identity (no secret). */
export type BlobStorageConfig =
  | { readonly kind: 'connectionString'; readonly connectionString: string; readonly container: string }
  | { readonly kind: 'managedIdentity'; readonly accountUrl: string; readonly container: string; readonly clientId?: string };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)')
  // Ids are compared as strings everywhere (tenants, groups, people): one form, lower case.
  .transform((s) => s.toLowerCase());
const guidList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0),
  )
  .pipe(z.array(guid).min(1, 'must list at least one group object id, comma-separated'));

/** Reads one variable through a schema, turning a zod failure into a ConfigError that names the variable. */
function read<S extends z.ZodTypeAny>(env: Env, name: VariableName, schema: S, hint?: string): z.output<S> {
  const result = schema.safeParse(env[name] === '' ? undefined : env[name]);
  if (result.success) return result.data as z.output<S>;
  const reason = result.error.issues.map((i) => i.message).join('; ');
  throw new ConfigError(name, `${reason}${hint ? `. ${hint}` : ''}`);
}

/**
 * A whole-number variable, validated against the range and default the list of variables gives it
 * (src/config-variables.ts), so the documented range is the enforced one.
 */
function wholeNumber(env: Env, name: VariableName, why?: string): number {
  const entry: ConfigVariable | undefined = CONFIG_VARIABLES.find((v) => v.name === name);
  if (!entry?.range) throw new Error(`${name} has no range in src/config-variables.ts`);
  const [min, max] = entry.range;
  const schema = z.coerce.number().int('must be a whole number').min(min).max(max).default(Number(entry.default));
  return read(env, name, schema, `A whole number from ${min} to ${max}${why ? ` (${why})` : ''}.`);
}

const WORKERS_MAX = 64;

/**
 * WEB_CONCURRENCY, 1 to 64 (src/config-variables.ts), defaulting to `otherwise`. Several workers need one store they
 * all see: the demo's memory storage is one per process, so each worker would hold its own cases (a click on a case
 * another worker opened would find nothing, and two workers could open a case for one user), and is refused.
 */
function workerCount(env: Env, otherwise: number, sharedStore: boolean): number {
  const [min, max] = CONFIG_VARIABLES.find((v) => v.name === 'WEB_CONCURRENCY')?.range ?? [1, WORKERS_MAX];
  const schema = z.coerce.number().int('must be a whole number').min(min).max(max).default(otherwise);
  const count = read(env, 'WEB_CONCURRENCY', schema, `A whole number from ${min} to ${max} (bot workers on one port).`);
  if (count > 1 && !sharedStore) {
    throw new ConfigError(
      'WEB_CONCURRENCY',
      `is ${count}, but cases are kept in this process's memory (demo mode without DATA_DIR), which the other workers cannot see: each would hold its own cases. Set DATA_DIR (a folder the workers share) or AZURE_STORAGE_CONNECTION_STRING, or WEB_CONCURRENCY=1.`,
    );
  }
  return count;
}

function required(env: Env, name: VariableName, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `is required in production mode. ${hint}`);
  return value;
}

function decideMode(env: Env): Mode {
  const explicit = read(env, 'BOT_MODE', z.enum(['demo', 'production']).optional(), 'Use "demo" or "production".');
  if (explicit) return explicit;
  const credentialVariables: readonly VariableName[] = ['MicrosoftAppId', 'MicrosoftAppPassword', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'];
  return credentialVariables.some((v) => (env[v] ?? '').trim() !== '') ? 'production' : 'demo';
}

function parseBotAuth(env: Env): Exclude<BotAuthConfig, { kind: 'disabled' }> {
  const appId = read(env, 'MicrosoftAppId', guid.optional());
  if (!appId) {
    throw new ConfigError(
      'MicrosoftAppId',
      'is required in production mode: without it inbound JWT validation is off and anyone could post as an approver. Set it to the Azure Bot registration app id.',
    );
  }
  const type = read(
    env,
    'MicrosoftAppType',
    z
      .enum(['SingleTenant', 'UserAssignedMSI'], {
        errorMap: () => ({ message: 'must be SingleTenant or UserAssignedMSI (multi-tenant bot registrations are deprecated)' }),
      })
      .optional(),
  );
  if (!type) throw new ConfigError('MicrosoftAppType', 'is required in production mode: SingleTenant or UserAssignedMSI.');
  const tenantId = read(env, 'MicrosoftAppTenantId', guid.optional());
  if (!tenantId) throw new ConfigError('MicrosoftAppTenantId', 'is required in production mode: the Entra tenant id of the bot registration.');
  const metadata = channelOpenIdMetadataUrl(env);
  if (type === 'UserAssignedMSI') return { kind: 'UserAssignedMSI', appId, tenantId, ...metadata };
  const password = required(env, 'MicrosoftAppPassword', 'A SingleTenant bot needs its client secret (or use UserAssignedMSI).');
  return { kind: 'SingleTenant', appId, tenantId, password, ...metadata };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * BOT_OPENID_METADATA_URL (optional): where the bot reads the Bot Framework channel's OpenID metadata, whose key set
 * signs every inbound request. Unset: login.botframework.com, as botbuilder defaults. Only the key source moves; the
 * issuer and everything outbound stay the public cloud's (src/teams/bot-framework-auth.ts). Its use is a local key
 * server for tests, so it must be https, or http on a loopback host only: keys fetched over plain http from anywhere
 * else could be swapped on the way, and whoever swaps them can sign as the channel.
 */
function channelOpenIdMetadataUrl(env: Env): { channelOpenIdMetadataUrl?: string } {
  const url = read(env, 'BOT_OPENID_METADATA_URL', z.string().trim().url('must be a URL').optional(), 'The URL of an OpenID metadata document.');
  if (url === undefined) return {};
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || (protocol === 'http:' && LOOPBACK_HOSTS.has(hostname))) return { channelOpenIdMetadataUrl: url };
  throw new ConfigError(
    'BOT_OPENID_METADATA_URL',
    'must be https (http only on a loopback host: 127.0.0.1, localhost or [::1]): the keys it names decide who may post as the channel.',
  );
}

function parseGraphCredential(env: Env, tenantId: string): GraphCredentialConfig {
  const kind = read(
    env,
    'GRAPH_AUTH',
    z.enum(['clientSecret', 'certificate', 'managedIdentity']).optional(),
    'Use clientSecret, certificate or managedIdentity.',
  );
  if (!kind) throw new ConfigError('GRAPH_AUTH', 'is required in production mode: clientSecret, certificate or managedIdentity.');
  const graphTenant = read(env, 'GRAPH_TENANT_ID', guid.optional()) ?? tenantId;
  if (kind === 'managedIdentity') {
    const clientId = read(env, 'GRAPH_CLIENT_ID', guid.optional());
    if (!clientId)
      throw new ConfigError(
        'GRAPH_CLIENT_ID',
        'is required in production mode: the client id of the user-assigned managed identity that holds the Graph permissions.',
      );
    return { kind, clientId };
  }
  const clientId = read(env, 'GRAPH_CLIENT_ID', guid.optional());
  if (!clientId) throw new ConfigError('GRAPH_CLIENT_ID', 'is required in production mode: the app registration that holds the Graph application permissions.');
  if (kind === 'clientSecret') {
    return { kind, tenantId: graphTenant, clientId, clientSecret: required(env, 'GRAPH_CLIENT_SECRET', 'The client secret of GRAPH_CLIENT_ID.') };
  }
  return {
    kind,
    tenantId: graphTenant,
    clientId,
    certificatePath: required(env, 'GRAPH_CERTIFICATE_PATH', 'Path to a PEM file holding the certificate and private key.'),
  };
}

function parsePolicy(env: Env, mode: Mode): Config['policy'] {
  const groups = (name: VariableName, demo: readonly string[], what: string): readonly string[] => {
    const value = read(env, name, guidList.optional(), `Comma-separated object ids of the ${what} groups.`);
    if (value) return Object.freeze(value);
    if (mode === 'demo') return demo;
    throw new ConfigError(name, `is required in production mode: comma-separated object ids of the ${what} groups.`);
  };
  return Object.freeze({
    helpdeskGroupIds: groups('HELPDESK_GROUP_IDS', DEMO_GROUPS.helpdesk, 'helpdesk (who may request a recovery)'),
    approverGroupIds: groups('APPROVER_GROUP_IDS', DEMO_GROUPS.approvers, 'security approver'),
    privilegedApproverGroupIds: groups('PRIVILEGED_APPROVER_GROUP_IDS', DEMO_GROUPS.privilegedApprovers, 'privileged-target approver'),
    privilegedTargetGroupIds: Object.freeze(
      read(env, 'PRIVILEGED_TARGET_GROUP_IDS', guidList.optional(), 'Comma-separated object ids of groups whose members are privileged targets.') ?? [],
    ),
  });
}

const hourRange = z
  .string()
  .regex(/^\d{1,2}-\d{1,2}$/, 'must look like 07-19')
  .transform((v) => v.split('-').map(Number) as [number, number])
  .refine(([a, b]) => a >= 0 && b <= 24 && a < b, 'must be start-end hours with 0 <= start < end <= 24');
const dayRange = z
  .string()
  .regex(/^[1-7]-[1-7]$/, 'must look like 1-5 (ISO weekdays, 1 = Monday)')
  .transform((v) => v.split('-').map(Number) as [number, number])
  .refine(([a, b]) => a <= b, 'start day must not be after end day');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

/**
 * Escalation of a pending approval request: to ESCALATION_GROUP_IDS after ESCALATE_AFTER_MINUTES, which must come
 * before the request expires (an escalation after the expiry could never be acted on). None when no group is set.
 */
function parseEscalation(env: Env, mode: Mode): Pick<CaseSettings, 'escalation'> {
  const configured = read(env, 'ESCALATION_GROUP_IDS', guidList.optional(), 'Comma-separated object ids of the groups a pending request is escalated to.');
  const groupIds = configured ?? (mode === 'demo' ? DEMO_GROUPS.privilegedApprovers : undefined);
  const afterMinutes = wholeNumber(env, 'ESCALATE_AFTER_MINUTES', 'minutes');
  if (!groupIds || groupIds.length === 0) return {};
  const ttl = wholeNumber(env, 'APPROVAL_TTL_MINUTES', 'minutes');
  if (afterMinutes >= ttl) {
    // The demo's own escalation group gives way to a short TTL; a group someone set must be reachable.
    if (!configured) return {};
    throw new ConfigError(
      'ESCALATE_AFTER_MINUTES',
      `is ${afterMinutes}, which is not before APPROVAL_TTL_MINUTES (${ttl}): the request would expire before it is escalated. Set it lower, or raise APPROVAL_TTL_MINUTES.`,
    );
  }
  return { escalation: Object.freeze({ groupIds: Object.freeze([...groupIds]), afterMinutes }) };
}

function parseWorkflow(
  env: Env,
  mode: Mode,
): Pick<
  Config,
  | 'triage'
  | 'approvalTtlMinutes'
  | 'approvalReminderMinutes'
  | 'escalation'
  | 'incidentApprovals'
  | 'tap'
  | 'identityVerificationMethods'
  | 'helpdeskRisk'
  | 'notify'
> {
  const automation = read(env, 'AUTOMATION_APP_IDS', guidList.optional(), 'Comma-separated app ids of provisioning or sync apps.');
  const [startHour, endHour] = read(env, 'WORKING_HOURS', hourRange.default('07-19'));
  const [firstDay, lastDay] = read(env, 'WORKING_DAYS', dayRange.default('1-5'));
  const methods = read(
    env,
    'IDENTITY_VERIFICATION_METHODS',
    z.string().default('Video call with manager,In person with photo ID,Call back on the number in HR records'),
  )
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
  const mailSender = read(
    env,
    'NOTIFY_MAIL_SENDER',
    z
      .string()
      .trim()
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be the UPN of a mailbox, such as recovery-notices@contoso.com')
      .optional(),
  );
  if (methods.length === 0) throw new ConfigError('IDENTITY_VERIFICATION_METHODS', 'must list at least one way of verifying a caller, comma-separated.');
  // The bot runs Verified ID itself and checks the presentation; an agent choosing "Verified ID" from a list would be
  // a claim nothing checked.
  if (methods.some((m) => /verified\s*id/i.test(m)))
    throw new ConfigError(
      'IDENTITY_VERIFICATION_METHODS',
      'lists manual methods only: Verified ID is run and checked by the bot itself (the VERIFIED_ID_* settings), not chosen from this list.',
    );
  return {
    triage: Object.freeze({
      automationAppIds: Object.freeze(automation ?? (mode === 'demo' ? DEMO_AUTOMATION_APP_IDS : [])),
      timeZone: read(env, 'HELPDESK_TIME_ZONE', timeZone.default('UTC')),
      startHour,
      endHour,
      days: Object.freeze(Array.from({ length: lastDay - firstDay + 1 }, (_, i) => firstDay + i)),
      reAddWindowMinutes: wholeNumber(env, 'READD_WINDOW_MINUTES'),
    }),
    approvalTtlMinutes: wholeNumber(env, 'APPROVAL_TTL_MINUTES', 'minutes'),
    approvalReminderMinutes: wholeNumber(env, 'APPROVAL_REMINDER_MINUTES', 'minutes'),
    ...parseEscalation(env, mode),
    incidentApprovals: wholeNumber(env, 'INCIDENT_APPROVALS', 'distinct approvers for a bulk incident'),
    tap: Object.freeze({
      lifetimeInMinutes: wholeNumber(env, 'TAP_LIFETIME_MINUTES', 'minutes, within the tenant TAP policy'),
      isUsableOnce: read(env, 'TAP_ONE_TIME', z.enum(['true', 'false']).default('true')) === 'true',
    }),
    identityVerificationMethods: Object.freeze(methods),
    helpdeskRisk: Object.freeze({
      cooldownDays: wholeNumber(env, 'RECOVERY_COOLDOWN_DAYS', 'days'),
      burstLimit: wholeNumber(env, 'RECOVERY_BURST_LIMIT', 'cases'),
      burstWindowMinutes: wholeNumber(env, 'RECOVERY_BURST_WINDOW_MINUTES', 'minutes'),
    }),
    notify: Object.freeze({
      ...(mailSender ? { mailSender } : {}),
      securityContact: read(env, 'SECURITY_CONTACT', z.string().trim().min(1).max(200).default('your security team'), 'A phone number or team name, no link.'),
    }),
  };
}

/**
 * Parses and validates the environment. Throws ConfigError naming the first bad or missing variable.
 * Demo mode is the default when no credentials are set; production requires every credential.
 */
export function parseConfig(env: Env): Config {
  const mode = decideMode(env);
  const common = {
    port: wholeNumber(env, 'PORT', 'a TCP port'),
    auditWindowDays: wholeNumber(env, 'AUDIT_WINDOW_DAYS', 'days; Entra keeps audit logs 30 days with P1/P2'),
    logLevel: read(env, 'LOG_LEVEL', z.enum(['debug', 'info', 'warn', 'error']).default('info'), 'debug, info, warn or error.'),
    caseSweepSeconds: wholeNumber(env, 'CASE_SWEEP_SECONDS', 'seconds'),
  };
  const clockOffsetMs = read(env, 'CLOCK_OFFSET_MS', z.coerce.number().int().optional(), 'Whole milliseconds (tests only).');
  if (mode === 'production' && clockOffsetMs !== undefined) {
    throw new ConfigError('CLOCK_OFFSET_MS', 'is for tests and the demo only; a production bot runs on the real clock. Remove it.');
  }
  if (mode === 'demo') {
    const simulatorUrl = read(env, 'SIMULATOR_URL', z.string().url().default('http://127.0.0.1:5080'), 'The URL of the simulated tenant.');
    if (env.BOT_OPENID_METADATA_URL) {
      throw new ConfigError(
        'BOT_OPENID_METADATA_URL',
        'is for production mode: demo mode has no inbound authentication, so it would check nothing. Remove it or set BOT_MODE=production with credentials.',
      );
    }
    if (env.HOST && env.HOST !== '127.0.0.1') {
      throw new ConfigError(
        'HOST',
        'demo mode runs without inbound authentication and listens on 127.0.0.1 only. Remove HOST or set BOT_MODE=production with credentials.',
      );
    }
    const dataDir = optionalDataDir(read(env, 'DATA_DIR', z.string().min(1).optional()));
    const blob = blobStorage(env);
    return Object.freeze({
      mode,
      host: '127.0.0.1',
      ...common,
      webConcurrency: workerCount(env, 1, dataDir.dataDir !== undefined || blob.blobStorage !== undefined),
      clockOffsetMs: clockOffsetMs ?? 0,
      bot: { kind: 'disabled' } as const,
      tenantId: DEMO_TENANT_ID,
      graph: Object.freeze({ baseUrl: simulatorUrl.replace(/\/+$/, ''), credential: simulatedCredential(env, simulatorUrl.replace(/\/+$/, '')) }),
      policy: parsePolicy(env, mode),
      ...parseWorkflow(env, mode),
      ...signingKeys(env, read(env, 'CARD_SIGNING_KEY', z.string().min(32, 'must be at least 32 characters').default(DEMO_CARD_SIGNING_KEY))),
      ...dataDir,
      ...blob,
      ...readinessSchedule(env, mode),
      verifiedId: parseVerifiedId(env, { mode, simulatorUrl: simulatorUrl.replace(/\/+$/, ''), port: common.port }),
    });
  }
  const bot = parseBotAuth(env);
  return Object.freeze({
    mode,
    host: read(env, 'HOST', z.string().min(1).default('0.0.0.0')),
    ...common,
    // DATA_DIR defaults to ./data in production: every worker has a store it shares with the others.
    webConcurrency: workerCount(env, Math.min(availableParallelism(), WORKERS_MAX), true),
    clockOffsetMs: 0,
    bot,
    tenantId: bot.tenantId,
    graph: Object.freeze({
      baseUrl: read(env, 'GRAPH_BASE_URL', z.string().url().startsWith('https://', 'must be https').default('https://graph.microsoft.com')).replace(/\/+$/, ''),
      credential: parseGraphCredential(env, bot.tenantId),
    }),
    policy: parsePolicy(env, mode),
    ...parseWorkflow(env, mode),
    ...signingKeys(env, cardSigningKey(env)),
    dataDir: read(env, 'DATA_DIR', z.string().min(1).default('./data'), 'A folder the bot may write to.'),
    ...blobStorage(env),
    ...readinessSchedule(env, mode),
    ...optionalVerifiedId(parseVerifiedId(env, { mode })),
  });
}

function optionalVerifiedId(settings: VerifiedIdSettings | undefined): { verifiedId?: VerifiedIdSettings } {
  return settings ? { verifiedId: settings } : {};
}

/** The Verified ID authority of the demo tenant (its DID, quick-setup form); the simulated Request Service's wallet seed names the same. */
export const DEMO_VERIFIED_ID_AUTHORITY = 'did:web:verifiedid.entra.microsoft.com:5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10:0b1d2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const VERIFIED_ID_ENDPOINT = 'https://verifiedid.did.msidentity.com/v1.0/';
/** Where the demo's simulated tenant serves the Request Service (src/simulator/verified-id). */
const DEMO_VERIFIED_ID_PATH = '/verifiedid/v1.0/';

/** `did:web:` or `did:ion:` (the DID methods Verified ID authorities use), without spaces or commas. */
const did = z
  .string()
  .trim()
  .regex(/^did:(web|ion):[A-Za-z0-9._:%-]+$/, 'must be a DID such as did:web:verifiedid.contoso.com (did:web: or did:ion:)');
const didList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0),
  )
  .pipe(z.array(did).min(1, 'must list at least one issuer DID, comma-separated'));
const hostList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p.length > 0),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(
            /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/,
            'must be host names such as contoso.com (no scheme or path)',
          ),
      )
      .min(1, 'must list at least one host name, comma-separated'),
  );

const VERIFIED_ID_VARIABLES: readonly VariableName[] = [
  'VERIFIED_ID_ACCEPTED_ISSUERS',
  'VERIFIED_ID_LINKED_DOMAINS',
  'VERIFIED_ID_FACE_MATCH_THRESHOLD',
  'VERIFIED_ID_CREDENTIAL_TYPE',
  'VERIFIED_ID_CLIENT_NAME',
  'VERIFIED_ID_ENDPOINT',
  'VERIFIED_ID_CALLBACK_URL',
  'VERIFIED_ID_MAX_ATTEMPTS',
];

/**
 * VERIFIED_ID_*: the identity check with Verified ID and Face Check (shared/spec/verified-id.md §1.2, §7.2). In
 * production VERIFIED_ID_AUTHORITY turns it on, and then the linked domains and the public https callback URL are
 * required; any other VERIFIED_ID_* variable without it is refused rather than silently ignored. The demo always has it,
 * against the simulated Request Service and calling back the bot on loopback.
 */
function parseVerifiedId(env: Env, where: { mode: Mode; simulatorUrl?: string; port?: number }): VerifiedIdSettings | undefined {
  const demo = where.mode === 'demo';
  const authority = read(env, 'VERIFIED_ID_AUTHORITY', did.optional(), 'The verifier DID from Entra admin center > Verified ID > Overview.');
  if (!authority && !demo) {
    const stray = VERIFIED_ID_VARIABLES.find((name) => (env[name] ?? '').trim() !== '');
    if (stray) throw new ConfigError(stray, 'is set but VERIFIED_ID_AUTHORITY is not: set the authority DID to turn Verified ID on, or remove it.');
    return undefined;
  }
  const chosenAuthority = authority ?? DEMO_VERIFIED_ID_AUTHORITY;
  const linkedDomains = read(env, 'VERIFIED_ID_LINKED_DOMAINS', hostList.optional(), 'Comma-separated host names, e.g. contoso.com.');
  if (!linkedDomains && !demo) {
    throw new ConfigError(
      'VERIFIED_ID_LINKED_DOMAINS',
      'is required when VERIFIED_ID_AUTHORITY is set: the host name(s) of the authority\u2019s verified linked domain.',
    );
  }
  const url = demo ? z.string().trim().url('must be a URL') : z.string().trim().url('must be a URL').startsWith('https://', 'must be https in production');
  const endpoint = read(env, 'VERIFIED_ID_ENDPOINT', url.optional(), 'The Request Service base URL.');
  const callbackUrl = read(env, 'VERIFIED_ID_CALLBACK_URL', url.optional(), 'The public URL of this bot\u2019s POST /api/verifiedid/callback.');
  if (!callbackUrl && !demo) {
    throw new ConfigError(
      'VERIFIED_ID_CALLBACK_URL',
      'is required when VERIFIED_ID_AUTHORITY is set: the public https URL of this bot\u2019s POST /api/verifiedid/callback (e.g. https://bot.contoso.com/api/verifiedid/callback).',
    );
  }
  return Object.freeze({
    authority: chosenAuthority,
    acceptedIssuers: Object.freeze(read(env, 'VERIFIED_ID_ACCEPTED_ISSUERS', didList.optional(), 'Comma-separated issuer DIDs.') ?? [chosenAuthority]),
    linkedDomains: Object.freeze(linkedDomains ?? ['contoso.com']),
    faceMatchThreshold: wholeNumber(env, 'VERIFIED_ID_FACE_MATCH_THRESHOLD', 'the API takes 50\u2013100; below 70 is refused as too weak'),
    credentialType: read(
      env,
      'VERIFIED_ID_CREDENTIAL_TYPE',
      z
        .string()
        .trim()
        .regex(/^[A-Za-z][A-Za-z0-9_-]{0,99}$/, 'must be a credential type name such as VerifiedEmployee')
        .default('VerifiedEmployee'),
    ),
    clientName: read(env, 'VERIFIED_ID_CLIENT_NAME', z.string().trim().min(1).max(100, 'must be at most 100 characters').default('IT Helpdesk')),
    endpoint: withSlash(endpoint ?? (demo ? `${where.simulatorUrl ?? ''}${DEMO_VERIFIED_ID_PATH}` : VERIFIED_ID_ENDPOINT)),
    callbackUrl: callbackUrl ?? `http://127.0.0.1:${where.port ?? 3978}/api/verifiedid/callback`,
    ...(callbackUrl ? {} : { callbackFromListener: true as const }),
    maxAttempts: wholeNumber(env, 'VERIFIED_ID_MAX_ATTEMPTS', 'presentation requests per case'),
  });
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function blobStorage(env: Env): { blobStorage?: BlobStorageConfig } {
  const connectionString = read(env, 'AZURE_STORAGE_CONNECTION_STRING', z.string().min(1).optional());
  const accountUrl = read(
    env,
    'AZURE_STORAGE_ACCOUNT_URL',
    z.string().url().startsWith('https://', 'must be https (https://<account>.blob.core.windows.net)').optional(),
  );
  if (!connectionString && !accountUrl) return {};
  if (connectionString && accountUrl) {
    throw new ConfigError(
      'AZURE_STORAGE_ACCOUNT_URL',
      'and AZURE_STORAGE_CONNECTION_STRING are both set; set one: the account URL (managed identity) or the connection string.',
    );
  }
  const container = read(
    env,
    'AZURE_STORAGE_CONTAINER',
    z
      .string()
      .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid Azure container name (3-63 lowercase letters, digits and single hyphens)')
      .default('recovery-cases'),
  );
  if (connectionString) return { blobStorage: Object.freeze({ kind: 'connectionString', connectionString, container }) };
  const clientId = read(env, 'AZURE_STORAGE_CLIENT_ID', z.string().uuid('must be the client id (a GUID) of a user-assigned managed identity').optional());
  return {
    blobStorage: Object.freeze({ kind: 'managedIdentity', accountUrl: (accountUrl ?? '').replace(/\/+$/, ''), container, ...(clientId ? { clientId } : {}) }),
  };
}

/** The Agents Playground's connector (npm start); in Teams, the global Bot Framework service URL. */
const DEMO_SERVICE_URL = 'http://localhost:56150/_connector';
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

function readinessSchedule(env: Env, mode: Mode): { readinessSchedule?: Config['readinessSchedule'] } {
  // The Playground names its channels freely (channel-recoveries); Teams channel ids look like 19:…@thread.tacv2.
  const channelId =
    mode === 'production'
      ? z
          .string()
          .trim()
          .regex(/^19:[^;\s]+@thread\.(tacv2|skype)$/, 'must be a Teams channel conversation id such as 19:abc123@thread.tacv2')
      : z
          .string()
          .trim()
          .regex(/^[^;\s]+$/, 'must be a channel conversation id without spaces or ;messageid=');
  const conversationId = read(env, 'READINESS_CHANNEL', channelId.optional(), 'Copy it from a channel link (the part after /channel/, URL-decoded).');
  if (!conversationId) return {};
  const url = mode === 'production' ? z.string().url().startsWith('https://', 'must be https') : z.string().url();
  return {
    readinessSchedule: Object.freeze({
      conversationId,
      serviceUrl: read(
        env,
        'READINESS_SERVICE_URL',
        url.default(mode === 'production' ? TEAMS_SERVICE_URL : DEMO_SERVICE_URL),
        'The Bot Framework service URL of the channel.',
      ),
      everyHours: wholeNumber(env, 'READINESS_EVERY_HOURS', 'hours; 576 is 24 days, the default 168 weekly'),
    }),
  };
}

/** Demo mode: the bot signs in to the simulated tenant as the demo app; the defaults match the simulator's seed. */
function simulatedCredential(env: Env, simulatorUrl: string): GraphCredentialConfig {
  return Object.freeze({
    kind: 'simulated' as const,
    authorityHost: simulatorUrl,
    tenantId: DEMO_TENANT_ID,
    clientId: read(env, 'SIMULATOR_CLIENT_ID', z.string().uuid().default(DEMO_BOT_APP_ID), 'The demo app\u2019s client id in the simulated tenant (a GUID).'),
    clientSecret: read(
      env,
      'SIMULATOR_CLIENT_SECRET',
      z.string().min(1).default(DEMO_CLIENT_SECRET),
      'The demo app\u2019s client secret in the simulated tenant.',
    ),
  });
}

function optionalDataDir(dir: string | undefined): { dataDir?: string } {
  return dir ? { dataDir: dir } : {};
}

/** The journal key derived from the card signing key when JOURNAL_KEY is not set (separated by purpose). */
export function journalKeyFrom(cardSigningKey: string): string {
  return createHmac('sha256', cardSigningKey).update('entra-recovery-bot journal chain v2', 'utf8').digest('base64url');
}

function signingKeys(env: Env, cardKey: string): { cardSigningKey: string; journalKey: string } {
  const journalKey = read(env, 'JOURNAL_KEY', z.string().min(32, 'must be at least 32 characters (for example: openssl rand -base64 48)').optional());
  return { cardSigningKey: cardKey, journalKey: journalKey ?? journalKeyFrom(cardKey) };
}

function cardSigningKey(env: Env): string {
  const key = read(env, 'CARD_SIGNING_KEY', z.string().min(32, 'must be at least 32 characters (for example: openssl rand -base64 48)').optional());
  if (!key)
    throw new ConfigError(
      'CARD_SIGNING_KEY',
      'is required in production mode: a random secret of at least 32 characters, the same on every instance (openssl rand -base64 48).',
    );
  if (key === DEMO_CARD_SIGNING_KEY) throw new ConfigError('CARD_SIGNING_KEY', 'must not be the demo key in production.');
  return key;
}

/** What the case use cases need from the configuration. */
export function caseSettings(config: Config): CaseSettings {
  return {
    tenantId: config.tenantId,
    auditWindowDays: config.auditWindowDays,
    helpdeskGroupIds: config.policy.helpdeskGroupIds,
    approverGroupIds: config.policy.approverGroupIds,
    privilegedApproverGroupIds: config.policy.privilegedApproverGroupIds,
    triage: config.triage,
    approvalTtlMinutes: config.approvalTtlMinutes,
    approvalReminderMinutes: config.approvalReminderMinutes,
    ...(config.escalation ? { escalation: config.escalation } : {}),
    tap: config.tap,
    identityVerificationMethods: config.identityVerificationMethods,
  };
}

/** Values the Teams manifest build needs (scripts/build-manifest.ts). */
export interface ManifestConfig {
  readonly botId: string;
  readonly appVersion: string;
  readonly botDomain?: string;
}

export function parseManifestConfig(env: Env): ManifestConfig {
  const botId = read(env, 'MicrosoftAppId', guid.optional());
  if (!botId) throw new ConfigError('MicrosoftAppId', 'is required to build the Teams app package: the Azure Bot registration app id.');
  const appVersion = read(
    env,
    'APP_VERSION',
    z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.0.0')
      .default('1.0.0'),
  );
  const botDomain = read(
    env,
    'BOT_DOMAIN',
    z
      .string()
      .regex(/^[a-z0-9.-]+$/i, 'must be a host name without scheme or path')
      .optional(),
  );
  return Object.freeze(botDomain ? { botId, appVersion, botDomain } : { botId, appVersion });
}

/** Ports of the three demo processes started by `npm start` (src/start-demo.ts). */
export interface DemoLauncherConfig {
  readonly botPort: number;
  readonly simulatorPort: number;
  readonly playgroundPort: number;
}

export function parseDemoLauncherConfig(env: Env): DemoLauncherConfig {
  return Object.freeze({
    botPort: wholeNumber(env, 'PORT', 'a TCP port'),
    simulatorPort: wholeNumber(env, 'SIMULATOR_PORT', 'a TCP port'),
    playgroundPort: wholeNumber(env, 'PLAYGROUND_PORT', 'a TCP port'),
  });
}

/** Stand-ins that let parsing go on past a missing variable, so every missing one can be named (npm run smoke). */
const PLACEHOLDERS: Readonly<Partial<Record<VariableName, string>>> = {
  MicrosoftAppId: '00000000-0000-0000-0000-000000000000',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000000',
  MicrosoftAppPassword: 'placeholder',
  GRAPH_AUTH: 'clientSecret',
  GRAPH_CLIENT_ID: '00000000-0000-0000-0000-000000000000',
  GRAPH_TENANT_ID: '00000000-0000-0000-0000-000000000000',
  GRAPH_CLIENT_SECRET: 'placeholder',
  GRAPH_CERTIFICATE_PATH: 'placeholder',
  HELPDESK_GROUP_IDS: '00000000-0000-0000-0000-000000000000',
  APPROVER_GROUP_IDS: '00000000-0000-0000-0000-000000000000',
  PRIVILEGED_APPROVER_GROUP_IDS: '00000000-0000-0000-0000-000000000000',
  CARD_SIGNING_KEY: 'placeholder-placeholder-placeholder-0123',
};

/**
 * Every missing or invalid variable, where `parseConfig` stops at the first: parsing is repeated with a stand-in for
 * each variable it names, until it succeeds or names one without a stand-in. Empty when the configuration is valid.
 */
export function configProblems(env: Env): ConfigError[] {
  const problems: ConfigError[] = [];
  const trial: Env = { ...env };
  for (;;) {
    try {
      parseConfig(trial);
      return problems;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error);
      const placeholder = PLACEHOLDERS[error.variable as VariableName];
      if (placeholder === undefined || trial[error.variable] === placeholder) return problems;
      trial[error.variable] = placeholder;
    }
  }
}
