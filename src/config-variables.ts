/**
 * Every environment variable the bot, the demo launcher and the manifest build read: the one list. `src/config.ts` reads
 * a variable only by a name from here (its `read` takes a `VariableName`), and `npm run docs:config`
 * (scripts/docs-config.ts) writes the table of docs/configuration.md and the whole of .env.example from it; a test fails
 * when either differs, or when a name here is read nowhere.
 */

export type VariableMode = 'both' | 'demo' | 'production' | 'npm run manifest';

export interface ConfigVariable {
  readonly name: string;
  /** The .env.example section it is listed under. */
  readonly section: Section;
  readonly mode: VariableMode;
  /** The default as people read it ("required" when production cannot start without it). */
  readonly default: string;
  /** One line for the table. */
  readonly meaning: string;
  /** Longer text for .env.example, when the table's line is not enough. */
  readonly note?: string;
  /** Listed commented out in .env.example (tests only). */
  readonly commentedOut?: true;
  /**
   * A whole number in this range, inclusive; `default` is then the number used when the variable is unset. src/config.ts
   * validates it from here (`wholeNumber`), and the table shows the range.
   */
  readonly range?: readonly [number, number];
  /** The only values accepted; a test checks src/config.ts accepts each and refuses anything else. */
  readonly values?: readonly string[];
}

export type Section =
  | 'Mode'
  | 'HTTP'
  | 'Bot registration (production)'
  | 'Microsoft Graph, app-only (production)'
  | 'Who may do what'
  | 'Triage and the playbooks'
  | 'Readiness report on a schedule (optional)'
  | 'Storage'
  | 'Card signing and the journal'
  | 'Logging'
  | 'Verified ID (optional)'
  | 'Demo only (npm start without credentials)'
  | 'Teams app package (npm run manifest)';

export const CONFIG_VARIABLES = [
  {
    name: 'BOT_MODE',
    section: 'Mode',
    mode: 'both',
    values: ['demo', 'production'],
    default: 'by credentials',
    meaning: '`demo` or `production`; production when any of `MicrosoftAppId`, `MicrosoftAppPassword`, `GRAPH_CLIENT_ID`, `GRAPH_CLIENT_SECRET` is set',
  },
  { name: 'PORT', section: 'HTTP', mode: 'both', range: [0, 65535], default: '3978', meaning: 'port of `POST /api/messages` and `GET /healthz`' },
  {
    name: 'WEB_CONCURRENCY',
    section: 'HTTP',
    mode: 'both',
    range: [1, 64],
    default: 'the number of CPUs (demo: 1)',
    meaning:
      'bot workers (processes) serving one port and sharing the store; more than 1 needs storage every worker sees (`DATA_DIR` or Azure Blob), not the demo\u2019s memory',
  },
  {
    name: 'HOST',
    section: 'HTTP',
    mode: 'production',
    default: '0.0.0.0',
    meaning: 'interface to listen on; demo mode always uses 127.0.0.1 (inbound authentication is off there)',
  },
  {
    name: 'MicrosoftAppId',
    section: 'Bot registration (production)',
    mode: 'production',
    default: 'required',
    meaning: 'the Azure Bot app id (or managed identity client id); without it inbound JWT validation would be off, so the bot refuses to start',
  },
  {
    name: 'MicrosoftAppType',
    section: 'Bot registration (production)',
    mode: 'production',
    values: ['SingleTenant', 'UserAssignedMSI'],
    default: 'required',
    meaning: '`SingleTenant` or `UserAssignedMSI` (multi-tenant registrations are deprecated and refused)',
  },
  {
    name: 'MicrosoftAppTenantId',
    section: 'Bot registration (production)',
    mode: 'production',
    default: 'required',
    meaning: 'the tenant the bot serves; activities from any other tenant are refused',
  },
  {
    name: 'MicrosoftAppPassword',
    section: 'Bot registration (production)',
    mode: 'production',
    default: 'required for SingleTenant',
    meaning: 'the bot registration\u2019s client secret',
  },
  {
    name: 'BOT_OPENID_METADATA_URL',
    section: 'Bot registration (production)',
    mode: 'production',
    default: 'login.botframework.com (botbuilder\u2019s)',
    meaning:
      'where the Bot Framework channel\u2019s OpenID metadata (the keys that sign every inbound request) is read; https, or http on a loopback host (local tests); only the key source moves, the issuer and outbound endpoints stay the public cloud\u2019s; refused in demo mode',
  },
  {
    name: 'GRAPH_AUTH',
    section: 'Microsoft Graph, app-only (production)',
    mode: 'production',
    values: ['clientSecret', 'certificate', 'managedIdentity'],
    default: 'required',
    meaning: '`clientSecret`, `certificate` or `managedIdentity`',
  },
  {
    name: 'GRAPH_CLIENT_ID',
    section: 'Microsoft Graph, app-only (production)',
    mode: 'production',
    default: 'required',
    meaning: 'the app (or user-assigned managed identity) holding the Graph application permissions',
  },
  {
    name: 'GRAPH_TENANT_ID',
    section: 'Microsoft Graph, app-only (production)',
    mode: 'production',
    default: '`MicrosoftAppTenantId`',
    meaning: 'tenant of the Graph app',
  },
  {
    name: 'GRAPH_CLIENT_SECRET',
    section: 'Microsoft Graph, app-only (production)',
    mode: 'production',
    default: 'required for `clientSecret`',
    meaning: 'the client secret of `GRAPH_CLIENT_ID`',
  },
  {
    name: 'GRAPH_CERTIFICATE_PATH',
    section: 'Microsoft Graph, app-only (production)',
    mode: 'production',
    default: 'required for `certificate`',
    meaning: 'a PEM file with the certificate and its private key',
  },
  {
    name: 'GRAPH_BASE_URL',
    section: 'Microsoft Graph, app-only (production)',
    mode: 'production',
    default: 'https://graph.microsoft.com',
    meaning: 'the Graph origin, https only (national clouds: https://graph.microsoft.us etc.)',
  },
  {
    name: 'HELPDESK_GROUP_IDS',
    section: 'Who may do what',
    mode: 'both',
    default: 'required (demo: the demo groups)',
    meaning: 'who may open cases: comma-separated group object ids, membership checked through Graph (transitive)',
  },
  { name: 'APPROVER_GROUP_IDS', section: 'Who may do what', mode: 'both', default: 'required (demo: the demo groups)', meaning: 'who may approve' },
  {
    name: 'PRIVILEGED_APPROVER_GROUP_IDS',
    section: 'Who may do what',
    mode: 'both',
    default: 'required (demo: the demo groups)',
    meaning: 'who must approve, two of them, when the target is privileged (a directory role held or eligible, the bot\u2019s own groups, a read that failed)',
  },
  {
    name: 'PRIVILEGED_TARGET_GROUP_IDS',
    section: 'Who may do what',
    mode: 'both',
    default: 'none',
    meaning: 'optional: groups whose members also count as privileged targets',
  },
  { name: 'INCIDENT_APPROVALS', section: 'Who may do what', mode: 'both', range: [2, 5], default: '2', meaning: 'distinct approvers a bulk incident needs' },
  {
    name: 'AUDIT_WINDOW_DAYS',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [1, 30],
    default: '30',
    meaning: 'days of audit history read for triage and for finding hard-deleted users',
  },
  {
    name: 'AUTOMATION_APP_IDS',
    section: 'Triage and the playbooks',
    mode: 'both',
    default: 'none (demo: the HR app and the bot)',
    meaning: 'comma-separated app ids whose changes count as known automation (provisioning, directory sync, this bot)',
  },
  { name: 'HELPDESK_TIME_ZONE', section: 'Triage and the playbooks', mode: 'both', default: 'UTC', meaning: 'IANA time zone of the working hours' },
  {
    name: 'WORKING_HOURS',
    section: 'Triage and the playbooks',
    mode: 'both',
    default: '07-19',
    meaning: 'working hours; changes outside them point to *malicious*',
  },
  { name: 'WORKING_DAYS', section: 'Triage and the playbooks', mode: 'both', default: '1-5', meaning: 'working days as ISO weekdays (1 = Monday)' },
  {
    name: 'READD_WINDOW_MINUTES',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [1, 1440],
    default: '60',
    meaning: 'a method added this soon after a removal is the takeover pattern',
  },
  {
    name: 'APPROVAL_TTL_MINUTES',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [5, 1440],
    default: '60',
    meaning: 'how long an approval request stays open',
  },
  {
    name: 'APPROVAL_REMINDER_MINUTES',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [1, 1440],
    default: '15',
    meaning: 'when the thread is reminded of a pending approval',
  },
  {
    name: 'ESCALATION_GROUP_IDS',
    section: 'Triage and the playbooks',
    mode: 'both',
    default: 'none (demo: the privileged approver group)',
    meaning:
      'optional: comma-separated group ids whose members also get a pending approval request in their 1:1 chat after ESCALATE_AFTER_MINUTES; members who may not decide the case are told it waits',
  },
  {
    name: 'ESCALATE_AFTER_MINUTES',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [1, 1440],
    default: '30',
    meaning: 'minutes without the required approvals before the request goes to ESCALATION_GROUP_IDS (less than APPROVAL_TTL_MINUTES)',
  },
  {
    name: 'TAP_LIFETIME_MINUTES',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [10, 43200],
    default: '60',
    meaning: 'the Temporary Access Pass lifetime offered, in minutes (must fit the tenant\u2019s TAP policy)',
  },
  { name: 'TAP_ONE_TIME', section: 'Triage and the playbooks', mode: 'both', values: ['true', 'false'], default: 'true', meaning: 'the TAP is usable once' },
  {
    name: 'IDENTITY_VERIFICATION_METHODS',
    section: 'Triage and the playbooks',
    mode: 'both',
    default: 'Video call with manager, In person with photo ID, Call back on the number in HR records',
    meaning:
      'comma-separated manual methods an agent records (accidental playbook) or offers as a fallback one more approver accepts (malicious); Verified ID is not one: the bot runs it',
  },
  {
    name: 'RECOVERY_COOLDOWN_DAYS',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [1, 365],
    default: '30',
    meaning: 'a user recovered (or refused) this recently, or a requester recovered this recently, needs one more approval',
  },
  {
    name: 'RECOVERY_BURST_LIMIT',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [0, 100],
    default: '5',
    meaning: 'an agent opening more cases than this within the burst window must override with a reason; 0 turns the rule off (load tests; not recommended)',
  },
  {
    name: 'RECOVERY_BURST_WINDOW_MINUTES',
    section: 'Triage and the playbooks',
    mode: 'both',
    range: [5, 1440],
    default: '60',
    meaning: 'the window of the burst rule',
  },
  {
    name: 'NOTIFY_MAIL_SENDER',
    section: 'Triage and the playbooks',
    mode: 'both',
    default: 'none (no email)',
    meaning: 'UPN of the mailbox that tells the user at their alternate email (`otherMails`) that a recovery was requested (Graph Mail.Send)',
  },
  {
    name: 'SECURITY_CONTACT',
    section: 'Triage and the playbooks',
    mode: 'both',
    default: 'your security team',
    meaning: 'who to call, as the out-of-band notice to the user and their manager says it (a phone number or team name; never a link)',
  },
  {
    name: 'READINESS_CHANNEL',
    section: 'Readiness report on a schedule (optional)',
    mode: 'both',
    default: 'none (off)',
    meaning:
      'channel that gets the readiness card on a schedule, with the changes since the last post (Teams: `19:\u2026@thread.tacv2`; demo: `channel-recoveries`)',
  },
  {
    name: 'READINESS_SERVICE_URL',
    section: 'Readiness report on a schedule (optional)',
    mode: 'both',
    default: 'https://smba.trafficmanager.net/teams/ (demo: the Playground)',
    meaning: 'the Bot Framework service URL of that channel',
  },
  {
    name: 'READINESS_EVERY_HOURS',
    section: 'Readiness report on a schedule (optional)',
    mode: 'both',
    range: [1, 576],
    default: '168',
    meaning: 'hours between posts; the last post is kept in storage, so a restart keeps the rhythm',
  },
  {
    name: 'DATA_DIR',
    section: 'Storage',
    mode: 'both',
    default: './data (demo: memory)',
    meaning: 'folder for cases and thread references (JSON files, written atomically); the workers of one bot on one machine share it, never two machines',
  },
  {
    name: 'AZURE_STORAGE_ACCOUNT_URL',
    section: 'Storage',
    mode: 'both',
    default: 'none',
    meaning: 'Azure Blob storage shared by several instances, reached with a managed identity (`https://<account>.blob.core.windows.net`); replaces `DATA_DIR`',
    note: 'The identity needs "Storage Blob Data Contributor" on the container or account.',
  },
  {
    name: 'AZURE_STORAGE_CLIENT_ID',
    section: 'Storage',
    mode: 'both',
    default: 'system-assigned',
    meaning: 'client id of a user-assigned managed identity for Blob storage',
  },
  {
    name: 'AZURE_STORAGE_CONNECTION_STRING',
    section: 'Storage',
    mode: 'both',
    default: 'none',
    meaning: 'Blob storage by connection string instead (an account key, or Azurite); not together with `AZURE_STORAGE_ACCOUNT_URL`',
    note: 'For a local try: `npx azurite-blob` and UseDevelopmentStorage=true;',
  },
  { name: 'AZURE_STORAGE_CONTAINER', section: 'Storage', mode: 'both', default: 'recovery-cases', meaning: 'the container (created if missing)' },
  {
    name: 'CASE_SWEEP_SECONDS',
    section: 'Storage',
    mode: 'both',
    range: [10, 3600],
    default: '120',
    meaning: 'how often each instance looks for work no process is doing: runs left by an instance that died, approval timers of other instances\u2019 cases',
  },
  {
    name: 'CARD_SIGNING_KEY',
    section: 'Card signing and the journal',
    mode: 'both',
    default: 'required (demo: a fixed public key)',
    meaning:
      'signs the data on every card button; at least 32 characters (`openssl rand -base64 48`), the same on every instance; the demo key is refused in production',
  },
  {
    name: 'JOURNAL_KEY',
    section: 'Card signing and the journal',
    mode: 'both',
    default: 'derived from `CARD_SIGNING_KEY`',
    meaning: 'seals each case journal\u2019s hash chain (an HMAC per entry); at least 32 characters, the same on every instance',
    note: 'Set it explicitly before you ever rotate the card key, or journals sealed earlier no longer verify.',
  },
  {
    name: 'LOG_LEVEL',
    section: 'Logging',
    mode: 'both',
    values: ['debug', 'info', 'warn', 'error'],
    default: 'info',
    meaning: '`debug`, `info`, `warn` or `error`; JSON lines, secrets never logged',
  },
  {
    name: 'VERIFIED_ID_AUTHORITY',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: 'none (off; demo: the demo tenant\u2019s DID)',
    meaning:
      'the verifier tenant\u2019s DID (`did:web:\u2026`, Verified ID > Overview); setting it turns on the identity check the bot runs itself with Verified ID and Face Check',
    note: 'The app needs VerifiableCredential.Create.PresentRequest on "Verifiable Credentials Service Request" (docs/deploy.md, Verified ID).',
  },
  {
    name: 'VERIFIED_ID_ACCEPTED_ISSUERS',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: '`VERIFIED_ID_AUTHORITY`',
    meaning:
      'comma-separated issuer DIDs (`did:web:` or `did:ion:`) whose credentials are accepted: your tenant, and any identity-verification partner; never empty (an empty list would accept any issuer)',
  },
  {
    name: 'VERIFIED_ID_LINKED_DOMAINS',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: 'required when on (demo: contoso.com)',
    meaning: 'comma-separated host names the credential\u2019s verified linked domain may have (e.g. `contoso.com`)',
  },
  {
    name: 'VERIFIED_ID_FACE_MATCH_THRESHOLD',
    section: 'Verified ID (optional)',
    mode: 'both',
    range: [70, 100],
    default: '85',
    meaning:
      'Face Check match confidence a selfie must reach; the API takes 50\u2013100 (default 70), this bot refuses below 70. Microsoft puts a false match at 1 in 100,000 at 50 and 1 in a billion at 90, and higher values turn away more rightful users: 85 sits in the 80\u201390 range once advised for security use',
  },
  {
    name: 'VERIFIED_ID_CREDENTIAL_TYPE',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: 'VerifiedEmployee',
    meaning: 'the credential type requested (`VerifiedEmployee`, or an identity-verification partner\u2019s type)',
  },
  {
    name: 'VERIFIED_ID_CLIENT_NAME',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: 'IT Helpdesk',
    meaning: 'the verifier name the user sees in Microsoft Authenticator',
  },
  {
    name: 'VERIFIED_ID_ENDPOINT',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: 'https://verifiedid.did.msidentity.com/v1.0/ (demo: the simulated tenant)',
    meaning: 'the Request Service base URL, https only in production',
  },
  {
    name: 'VERIFIED_ID_CALLBACK_URL',
    section: 'Verified ID (optional)',
    mode: 'both',
    default: 'required when on (demo: the bot\u2019s local URL)',
    meaning:
      'the public https URL of this bot\u2019s `POST /api/verifiedid/callback`, reachable from Azure (service tag AzureCloud); the Request Service posts results there',
  },
  {
    name: 'VERIFIED_ID_MAX_ATTEMPTS',
    section: 'Verified ID (optional)',
    mode: 'both',
    range: [1, 5],
    default: '3',
    meaning: 'presentation requests one case may make before the agent must use the fallback',
  },
  {
    name: 'SIMULATOR_URL',
    section: 'Demo only (npm start without credentials)',
    mode: 'demo',
    default: 'http://127.0.0.1:5080',
    meaning: 'where the bot finds the simulated tenant (set by `npm start`)',
  },
  {
    name: 'SIMULATOR_CLIENT_ID',
    section: 'Demo only (npm start without credentials)',
    mode: 'demo',
    default: 'the seed\u2019s demo app',
    meaning: 'the app the bot signs in as at the simulated tenant\u2019s token endpoint',
  },
  {
    name: 'SIMULATOR_CLIENT_SECRET',
    section: 'Demo only (npm start without credentials)',
    mode: 'demo',
    default: 'the seed\u2019s demo secret',
    meaning: 'that app\u2019s client secret (not a secret)',
  },
  {
    name: 'SIMULATOR_PORT',
    section: 'Demo only (npm start without credentials)',
    mode: 'demo',
    range: [0, 65535],
    default: '5080',
    meaning: 'port of the simulated tenant started by `npm start`',
  },
  {
    name: 'PLAYGROUND_PORT',
    section: 'Demo only (npm start without credentials)',
    mode: 'demo',
    range: [0, 65535],
    default: '56150',
    meaning: 'port of Megan\u2019s Microsoft 365 Agents Playground started by `npm start`; Alex\u2019s and Patti\u2019s are on the next two ports',
  },
  {
    name: 'CLOCK_OFFSET_MS',
    section: 'Demo only (npm start without credentials)',
    mode: 'demo',
    default: '0',
    meaning: 'tests only: runs the bot\u2019s clock this many ms ahead of the wall clock (negative: behind); refused in production',
    commentedOut: true,
  },
  {
    name: 'APP_VERSION',
    section: 'Teams app package (npm run manifest)',
    mode: 'npm run manifest',
    default: '1.0.0',
    meaning: 'the version written into manifest.json',
  },
  {
    name: 'BOT_DOMAIN',
    section: 'Teams app package (npm run manifest)',
    mode: 'npm run manifest',
    default: 'none',
    meaning: 'public host name of the bot\u2019s endpoint for `validDomains` (no scheme or path)',
  },
] as const satisfies readonly ConfigVariable[];

export type VariableName = (typeof CONFIG_VARIABLES)[number]['name'];
