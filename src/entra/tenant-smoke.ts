import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { permissionWord } from './graph-errors';
import { odataString } from './paging';

/**
 * `npm run smoke`: read-only checks that a tenant is ready for the bot. Every check is a GET (or a token request);
 * nothing is written. Each row says what was checked, what it found and, when something is missing, how to fix it.
 */
export type SmokeStatus = 'OK' | 'MISSING' | 'FAILED' | 'WARN' | 'NOT CHECKED';

export interface SmokeRow {
  readonly check: string;
  readonly status: SmokeStatus;
  readonly detail: string;
  readonly fix?: string;
}

export interface SmokeTarget {
  readonly graph: Client;
  readonly credential: TokenCredential;
  /** Where Graph requests go (for the report). */
  readonly baseUrl: string;
  readonly groups: { readonly helpdesk: readonly string[]; readonly approvers: readonly string[]; readonly privilegedApprovers: readonly string[] };
}

/**
 * The application permissions (app roles) the bot's writes need. A read-only check cannot call a write, so these
 * are checked in the token's `roles` claim, which lists what was granted with admin consent.
 */
export const WRITE_PERMISSIONS: readonly { readonly anyOf: readonly string[]; readonly why: string }[] = [
  { anyOf: ['UserAuthenticationMethod.ReadWrite.All'], why: 'delete authentication methods and create the Temporary Access Pass' },
  { anyOf: ['User-PasswordProfile.ReadWrite.All', 'User.ReadWrite.All'], why: 'set a new password (PATCH /users/{id} passwordProfile)' },
  { anyOf: ['User.ReadWrite.All'], why: 'recreate a hard-deleted user (POST /users)' },
  // revokeSignInSessions, application: User.RevokeSessions.All and no higher permission listed (microsoft-graph-docs-contrib
  // api-reference/v1.0/includes/permissions/user-revokesigninsessions-permissions.md).
  { anyOf: ['User.RevokeSessions.All'], why: 'revoke sign-in sessions (POST /users/{id}/revokeSignInSessions)' },
  { anyOf: ['User.DeleteRestore.All'], why: 'restore a soft-deleted user (POST /directory/deletedItems/{id}/restore)' },
];

/** Directory roles that let an app reset passwords and methods; the second covers targets who are admins. */
const ROLE_USER_ADMIN = { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator' };
const ROLE_AUTH_ADMIN = { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', name: 'Authentication Administrator' };
const ROLE_PRIV_AUTH_ADMIN = { id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', name: 'Privileged Authentication Administrator' };

interface Probe {
  readonly check: string;
  readonly permission: string;
  readonly path: (userId: string) => string;
  readonly version?: 'beta';
  readonly eventual?: boolean;
  readonly needsUser?: boolean;
  /** Only the `readiness` report reads this: without it that report says "cannot read", the recoveries still work. */
  readonly optional?: boolean;
}

/** One harmless GET per read the bot makes, with the permission a 403 on it points to. */
const READ_PROBES: readonly Probe[] = [
  { check: 'Read users', permission: 'User.Read.All', path: () => '/users?$top=1&$select=id,userPrincipalName' },
  { check: 'Read deleted users', permission: 'User.Read.All', path: () => '/directory/deletedItems/microsoft.graph.user?$top=1&$select=id' },
  { check: "Read a user's authentication methods", permission: 'UserAuthenticationMethod.Read.All (or .ReadWrite.All)', path: (u) => `/users/${u}/authentication/methods`, needsUser: true },
  // List directoryAudits needs both (microsoft-graph-docs-contrib v1.0 includes/permissions/directoryaudit-list-permissions.md).
  { check: 'Read audit logs', permission: 'AuditLog.Read.All and Directory.Read.All', path: () => '/auditLogs/directoryAudits?$top=1' },
  { check: 'Read sign-in logs', permission: 'AuditLog.Read.All, and Entra ID P1 or P2', path: () => '/auditLogs/signIns?$top=1' },
  // No $top on the next three: their reference pages document none (userRegistrationDetails: "$filter and $orderBy"
  // only; roleDefinitions: $filter and $expand; roleEligibilitySchedules: $select, $filter and $expand).
  { check: 'Read the registration report', permission: 'AuditLog.Read.All, and Entra ID P1 or P2', path: () => '/reports/authenticationMethods/userRegistrationDetails' },
  { check: 'Read directory role assignments', permission: 'RoleManagement.Read.Directory', path: (u) => `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq ${odataString(u)}`)}`, needsUser: true },
  {
    check: 'Read transitive role assignments (beta)',
    permission: 'RoleManagement.Read.Directory',
    path: (u) => `/roleManagement/directory/transitiveRoleAssignments?$filter=${encodeURIComponent(`principalId eq ${odataString(u)}`)}&$count=true`,
    version: 'beta',
    eventual: true,
    needsUser: true,
  },
  { check: 'Read Conditional Access policies', permission: 'Policy.Read.All', path: () => '/identity/conditionalAccess/policies' },
  { check: 'Read role definitions (readiness report)', permission: 'RoleManagement.Read.Directory', path: () => '/roleManagement/directory/roleDefinitions', optional: true },
  { check: 'Read PIM role eligibilities (readiness report)', permission: 'RoleEligibilitySchedule.Read.Directory, and Entra ID P2', path: () => '/roleManagement/directory/roleEligibilitySchedules', optional: true },
];

const TAP_POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

/** What a Graph failure means for the report: 401/403 is a missing permission, anything without a status is the network. */
function failure(error: unknown): { status: number | undefined; text: string } {
  const e = error as { statusCode?: number; code?: string; message?: string };
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : undefined;
  const text = status ? `${status} ${e.code ?? ''}${e.message ? `: ${e.message}` : ''}` : `no answer (${e.message ?? String(error)})`;
  return { status, text };
}

async function get(target: SmokeTarget, path: string, options: { version?: 'beta'; eventual?: boolean } = {}): Promise<unknown> {
  let request = target.graph.api(path);
  if (options.version) request = request.version(options.version);
  if (options.eventual) request = request.header('ConsistencyLevel', 'eventual');
  return (await request.get()) as unknown;
}

function rowForFailure(t: SmokeTarget, check: string, request: string, permission: string, error: unknown): SmokeRow {
  const f = failure(error);
  if (f.status === 401 || f.status === 403) {
    return { check, status: 'MISSING', detail: `GET ${request}: ${f.text}`, fix: `Grant the ${permissionWord(permission)} ${permission} to the Graph app and give admin consent.` };
  }
  if (f.status === undefined) return { check, status: 'FAILED', detail: `GET ${request}: ${f.text}`, fix: `Check that ${t.baseUrl} is reachable from here (GRAPH_BASE_URL, or SIMULATOR_URL in demo mode), and any proxy or firewall on the way.` };
  return { check, status: 'FAILED', detail: `GET ${request}: ${f.text}` };
}
const pathOnly = (request: string): string => request.split('?')[0] ?? request;

/** The claims of a JWT access token, or undefined when the token is not one (the simulated tenant's token). */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs every check in order and returns one row per check. Never throws for a tenant problem; it reports it. */
export async function runSmoke(t: SmokeTarget): Promise<SmokeRow[]> {
  const rows: SmokeRow[] = [];
  let token: string;
  try {
    const got = await t.credential.getToken('https://graph.microsoft.com/.default');
    if (!got?.token) throw new Error('the credential returned no token');
    token = got.token;
    rows.push({ check: 'Acquire an app-only token for Graph', status: 'OK', detail: `token for ${t.baseUrl}` });
  } catch (error) {
    rows.push({
      check: 'Acquire an app-only token for Graph',
      status: 'MISSING',
      detail: error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error),
      fix: 'Check GRAPH_AUTH, GRAPH_CLIENT_ID, GRAPH_TENANT_ID and the secret, certificate or managed identity, and that login.microsoftonline.com is reachable.',
    });
    return rows;
  }

  const claims = tokenClaims(token);
  const roles = Array.isArray(claims?.roles) ? (claims.roles as unknown[]).filter((r): r is string => typeof r === 'string') : undefined;
  for (const need of WRITE_PERMISSIONS) {
    const check = `Permission to ${need.why}`;
    if (!roles) rows.push({ check, status: 'NOT CHECKED', detail: 'the token carries no roles claim; writes cannot be probed read-only' });
    else if (need.anyOf.some((p) => roles.includes(p))) rows.push({ check, status: 'OK', detail: `granted: ${need.anyOf.filter((p) => roles.includes(p)).join(', ')}` });
    else rows.push({ check, status: 'MISSING', detail: `the token's roles do not include ${need.anyOf.join(' or ')}`, fix: `Grant ${need.anyOf[0]} (application) and give admin consent.` });
  }

  let userId: string | undefined;
  for (const probe of READ_PROBES) {
    if (probe.needsUser && !userId) {
      rows.push({ check: probe.check, status: 'NOT CHECKED', detail: 'needs a user id, and reading users failed' });
      continue;
    }
    const path = probe.path(userId ?? '');
    try {
      const body = (await get(t, path, { ...(probe.version ? { version: probe.version } : {}), ...(probe.eventual ? { eventual: true } : {}) })) as { value?: { id?: string }[] };
      if (!userId && path.startsWith('/users?')) userId = body.value?.[0]?.id;
      rows.push({ check: probe.check, status: 'OK', detail: `GET ${pathOnly(path)}` });
    } catch (error) {
      const row = rowForFailure(t, probe.check, path, probe.permission, error);
      // An optional read that fails is reported, with its fix, but does not make the tenant "not ready".
      rows.push(probe.optional ? { ...row, status: 'WARN', detail: `${row.detail} (only the readiness report needs it)` } : row);
    }
  }

  rows.push(await tapPolicy(t));
  for (const [name, ids, variable] of [
    ['helpdesk', t.groups.helpdesk, 'HELPDESK_GROUP_IDS'],
    ['approver', t.groups.approvers, 'APPROVER_GROUP_IDS'],
    ['privileged approver', t.groups.privilegedApprovers, 'PRIVILEGED_APPROVER_GROUP_IDS'],
  ] as const) {
    for (const id of ids) rows.push(await groupRow(t, name, variable, id));
  }
  rows.push(await appRoles(t, typeof claims?.oid === 'string' ? claims.oid : undefined));
  return rows;
}

async function tapPolicy(t: SmokeTarget): Promise<SmokeRow> {
  const check = 'Temporary Access Pass policy';
  try {
    const policy = (await get(t, TAP_POLICY)) as { state?: string; defaultLifetimeInMinutes?: number; minimumLifetimeInMinutes?: number; maximumLifetimeInMinutes?: number };
    if (policy.state !== 'enabled') return { check, status: 'MISSING', detail: `the policy is ${policy.state ?? 'not set'}`, fix: 'Enable the Temporary Access Pass method (Entra admin center > Authentication methods > Policies) for the users the bot recovers.' };
    return { check, status: 'OK', detail: `enabled, lifetime ${policy.minimumLifetimeInMinutes ?? '?'}–${policy.maximumLifetimeInMinutes ?? '?'} min (TAP_LIFETIME_MINUTES must fit)` };
  } catch (error) {
    return rowForFailure(t, check, TAP_POLICY, 'Policy.Read.All', error);
  }
}

async function groupRow(t: SmokeTarget, name: string, variable: string, id: string): Promise<SmokeRow> {
  const check = `${variable}: ${id}`;
  const groupPath = `/groups/${encodeURIComponent(id)}`;
  // The same read the bot makes to list approvers; membership checks (checkMemberGroups) need the same permission.
  const membersPath = `${groupPath}/transitiveMembers?$select=id,displayName`;
  let displayName: string | undefined;
  try {
    displayName = ((await get(t, groupPath)) as { displayName?: string }).displayName;
  } catch (error) {
    if (failure(error).status === 404) return { check, status: 'MISSING', detail: `no group with this object id (${failure(error).text})`, fix: `Put the object id of the ${name} group (Entra admin center > Groups) in ${variable}.` };
    return rowForFailure(t, check, groupPath, 'GroupMember.Read.All', error);
  }
  try {
    await get(t, membersPath);
    return { check, status: 'OK', detail: `${name} group "${displayName ?? id}", members readable` };
  } catch (error) {
    return rowForFailure(t, check, membersPath, 'GroupMember.Read.All', error);
  }
}

/** The directory role the app's service principal holds: without one, Graph refuses password and method resets. */
async function appRoles(t: SmokeTarget, servicePrincipalId: string | undefined): Promise<SmokeRow> {
  const check = "Directory role of the app's service principal";
  if (!servicePrincipalId) return { check, status: 'NOT CHECKED', detail: 'the token carries no oid claim' };
  const path = `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq ${odataString(servicePrincipalId)}`)}&$expand=roleDefinition`;
  try {
    const body = (await get(t, path)) as { value?: { roleDefinitionId?: string; roleDefinition?: { displayName?: string; templateId?: string } }[] };
    const held = new Set((body.value ?? []).flatMap((a) => [a.roleDefinitionId, a.roleDefinition?.templateId].filter((x): x is string => !!x).map((x) => x.toLowerCase())));
    const names = (body.value ?? []).map((a) => a.roleDefinition?.displayName ?? a.roleDefinitionId ?? '?');
    if (held.has(ROLE_PRIV_AUTH_ADMIN.id)) return { check, status: 'OK', detail: `holds ${names.join(', ')}` };
    const partial = [ROLE_USER_ADMIN, ROLE_AUTH_ADMIN].filter((r) => held.has(r.id)).map((r) => r.name);
    return {
      check,
      status: 'MISSING',
      detail: partial.length > 0 ? `holds ${partial.join(', ')}: enough for users without admin roles, not for privileged targets` : `holds ${names.length > 0 ? names.join(', ') : 'no directory role'}`,
      fix: `Assign ${ROLE_PRIV_AUTH_ADMIN.name} to the app's service principal (or ${ROLE_USER_ADMIN.name} plus ${ROLE_AUTH_ADMIN.name} if it must never touch admins); see docs/deploy.md.`,
    };
  } catch (error) {
    return rowForFailure(t, check, path, 'RoleManagement.Read.Directory', error);
  }
}

/** The report as a plain-text table, then the fixes, in the order of the checks. */
export function formatSmokeReport(rows: readonly SmokeRow[]): string {
  const width = Math.max(...rows.map((r) => r.check.length), 5);
  const lines = rows.map((r) => `${r.status.padEnd(11)} ${r.check.padEnd(width)}  ${r.detail}`);
  const fixes = rows.filter((r) => r.fix).map((r) => `- ${r.check}: ${r.fix}`);
  return [`${'STATUS'.padEnd(11)} ${'CHECK'.padEnd(width)}  DETAIL`, ...lines, ...(fixes.length > 0 ? ['', 'To fix:', ...fixes] : [])].join('\n');
}

/** Ready means nothing is missing or failed; WARN and NOT CHECKED rows are listed but do not fail the run. */
export function smokePassed(rows: readonly SmokeRow[]): boolean {
  return rows.every((r) => r.status === 'OK' || r.status === 'WARN' || r.status === 'NOT CHECKED');
}
