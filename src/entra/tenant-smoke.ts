import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { permissionPhrase } from './graph-errors';
import { graphPath, graphRequest, type PathParams } from './graph-path';
import { UnregisteredGraphRequestError } from './graph-request-match';
import type { GraphRequestSpec, QueryValues, SmokeProbe } from './graph-request-types';
import { ALL_REQUESTS, REQUESTS, isWrite } from './graph-requests';
import { odataString } from './paging';
import type { VerifiedIdSettings } from '../verified-id-settings';
import { verifiedIdTokenRow } from './verified-id-smoke';

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
  /** The VERIFIED_ID_* settings: when set, the Request Service's token and roles are probed too. */
  readonly verifiedId?: VerifiedIdSettings;
}

/** One permission (or set) the bot's writes need, found in the token's `roles`. */
export interface WritePermission {
  /** Needed together (least privileged, from the registry). */
  readonly permissions: readonly string[];
  /** Each enough on its own (higher privileged, from the registry). */
  readonly higher: readonly string[];
  /** What the bot writes with it: the purposes of the registry entries that need it. */
  readonly why: string;
}

/**
 * The application permissions (app roles) the bot's writes need, from the registry (graph-requests.ts): every entry
 * that changes the directory, grouped by what it needs. A read-only check cannot call a write, so these are looked for
 * in the token's `roles` claim, which lists what was granted with admin consent.
 */
export const WRITE_PERMISSIONS: readonly WritePermission[] = (() => {
  const byNeed = new Map<string, { permissions: readonly string[]; higher: Set<string>; why: Set<string> }>();
  for (const spec of ALL_REQUESTS.filter(isWrite)) {
    const key = spec.permissions.join(' and ');
    const entry = byNeed.get(key) ?? { permissions: spec.permissions, higher: new Set<string>(), why: new Set<string>() };
    for (const h of spec.higher ?? []) entry.higher.add(h);
    entry.why.add(spec.purpose);
    byNeed.set(key, entry);
  }
  return [...byNeed.values()].map((e) => ({ permissions: e.permissions, higher: [...e.higher], why: [...e.why].join('; ') }));
})();

/** Whether the granted roles satisfy a need: all its least privileged permissions, or one higher one. */
function granted(need: { permissions: readonly string[]; higher: readonly string[] }, roles: readonly string[]): string[] | undefined {
  if (need.permissions.every((p) => roles.includes(p))) return [...need.permissions];
  const higher = need.higher.find((p) => roles.includes(p));
  return higher ? [higher] : undefined;
}

/** Directory roles that let an app reset passwords and methods; the second covers targets who are admins. */
const ROLE_USER_ADMIN = { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator' };
const ROLE_AUTH_ADMIN = { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', name: 'Authentication Administrator' };
const ROLE_PRIV_AUTH_ADMIN = { id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', name: 'Privileged Authentication Administrator' };

/** One harmless GET per read the bot makes: the registry entries with a `smoke` probe, in registry order. */
const READ_PROBES: readonly (GraphRequestSpec & { smoke: SmokeProbe })[] = ALL_REQUESTS.filter(
  (r): r is GraphRequestSpec & { smoke: SmokeProbe } => r.smoke !== undefined,
);

/** What a 403 on a request points to: its permissions, and the licence Graph also needs. */
function needsText(spec: GraphRequestSpec): string {
  return `${permissionPhrase(spec.permissions)}${spec.licence ? `, and ${spec.licence}` : ''}`;
}

/** What a Graph failure means for the report: 401/403 is a missing permission, anything without a status is the network. */
function failure(error: unknown): { status: number | undefined; text: string } {
  const e = error as { statusCode?: number; code?: string; message?: string };
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : undefined;
  const text = status ? `${status} ${e.code ?? ''}${e.message ? `: ${e.message}` : ''}` : `no answer (${e.message ?? String(error)})`;
  return { status, text };
}

/** A GET of a registry entry, built by graphPath; returns the path sent (for the report) and the answer. */
async function get(target: SmokeTarget, spec: GraphRequestSpec, params: PathParams = {}, query: QueryValues = {}): Promise<unknown> {
  return (await graphRequest(target.graph, spec, params, query).get()) as unknown;
}

function rowForFailure(t: SmokeTarget, check: string, request: string, spec: GraphRequestSpec, error: unknown): SmokeRow {
  // A request the registry does not hold is a bug in the bot, not a tenant problem.
  if (error instanceof UnregisteredGraphRequestError) throw error;
  const f = failure(error);
  if (f.status === 401 || f.status === 403) {
    return { check, status: 'MISSING', detail: `GET ${request}: ${f.text}`, fix: `Grant the ${needsText(spec)} to the Graph app and give admin consent.` };
  }
  if (f.status === undefined)
    return {
      check,
      status: 'FAILED',
      detail: `GET ${request}: ${f.text}`,
      fix: `Check that ${t.baseUrl} is reachable from here (GRAPH_BASE_URL, or SIMULATOR_URL in demo mode), and any proxy or firewall on the way.`,
    };
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
      detail: error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error),
      fix: 'Check GRAPH_AUTH, GRAPH_CLIENT_ID, GRAPH_TENANT_ID and the secret, certificate or managed identity, and that login.microsoftonline.com is reachable.',
    });
    return rows;
  }

  const claims = tokenClaims(token);
  const roles = Array.isArray(claims?.roles) ? (claims.roles as unknown[]).filter((r): r is string => typeof r === 'string') : undefined;
  for (const need of WRITE_PERMISSIONS) {
    const check = `Permission ${need.permissions.join(' and ')} (${need.why})`;
    const has = roles ? granted(need, roles) : undefined;
    const wanted = [need.permissions.join(' and '), ...need.higher].join(' or ');
    if (!roles) rows.push({ check, status: 'NOT CHECKED', detail: 'the token carries no roles claim; writes cannot be probed read-only' });
    else if (has) rows.push({ check, status: 'OK', detail: `granted: ${has.join(', ')}` });
    else
      rows.push({
        check,
        status: 'MISSING',
        detail: `the token's roles do not include ${wanted}`,
        fix: `Grant ${need.permissions.join(' and ')} (application) and give admin consent.`,
      });
  }

  let userId: string | undefined;
  for (const probe of READ_PROBES) {
    if (probe.smoke.needsUser && !userId) {
      rows.push({ check: probe.smoke.check, status: 'NOT CHECKED', detail: 'needs a user id, and reading users failed' });
      continue;
    }
    const params: PathParams = probe.path.includes('{userId}') ? { userId: userId ?? '' } : {};
    const query = probe.smoke.query?.(userId ?? '') ?? {};
    const path = graphPath(probe, params, query);
    try {
      const body = (await get(t, probe, params, query)) as { value?: { id?: string }[] };
      if (!userId && probe === REQUESTS.usersList) userId = body.value?.[0]?.id;
      rows.push({ check: probe.smoke.check, status: 'OK', detail: `GET ${pathOnly(path)}` });
    } catch (error) {
      const row = rowForFailure(t, probe.smoke.check, path, probe, error);
      // An optional read that fails is reported, with its fix, but does not make the tenant "not ready".
      rows.push(
        probe.smoke.optional ? { ...row, status: 'WARN', detail: `${row.detail} (only ${probe.smoke.neededBy ?? 'the readiness report'} needs it)` } : row,
      );
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
  rows.push(await verifiedIdTokenRow(t.credential, t.verifiedId));
  return rows;
}

async function tapPolicy(t: SmokeTarget): Promise<SmokeRow> {
  const check = 'Temporary Access Pass policy';
  try {
    const policy = (await get(t, REQUESTS.tapPolicyGet)) as {
      state?: string;
      defaultLifetimeInMinutes?: number;
      minimumLifetimeInMinutes?: number;
      maximumLifetimeInMinutes?: number;
    };
    if (policy.state !== 'enabled')
      return {
        check,
        status: 'MISSING',
        detail: `the policy is ${policy.state ?? 'not set'}`,
        fix: 'Enable the Temporary Access Pass method (Entra admin center > Authentication methods > Policies) for the users the bot recovers.',
      };
    return {
      check,
      status: 'OK',
      detail: `enabled, lifetime ${policy.minimumLifetimeInMinutes ?? '?'}–${policy.maximumLifetimeInMinutes ?? '?'} min (TAP_LIFETIME_MINUTES must fit)`,
    };
  } catch (error) {
    return rowForFailure(t, check, graphPath(REQUESTS.tapPolicyGet), REQUESTS.tapPolicyGet, error);
  }
}

async function groupRow(t: SmokeTarget, name: string, variable: string, id: string): Promise<SmokeRow> {
  const check = `${variable}: ${id}`;
  const groupPath = graphPath(REQUESTS.groupGet, { groupId: id });
  // The same read the bot makes to list approvers.
  const membersQuery = { $select: ['id', 'displayName'] };
  const membersPath = graphPath(REQUESTS.groupTransitiveMembersList, { groupId: id }, membersQuery);
  let displayName: string | undefined;
  try {
    displayName = ((await get(t, REQUESTS.groupGet, { groupId: id })) as { displayName?: string }).displayName;
  } catch (error) {
    if (failure(error).status === 404)
      return {
        check,
        status: 'MISSING',
        detail: `no group with this object id (${failure(error).text})`,
        fix: `Put the object id of the ${name} group (Entra admin center > Groups) in ${variable}.`,
      };
    return rowForFailure(t, check, groupPath, REQUESTS.groupGet, error);
  }
  try {
    await get(t, REQUESTS.groupTransitiveMembersList, { groupId: id }, membersQuery);
    return { check, status: 'OK', detail: `${name} group "${displayName ?? id}", members readable` };
  } catch (error) {
    return rowForFailure(t, check, membersPath, REQUESTS.groupTransitiveMembersList, error);
  }
}

/** The directory role the app's service principal holds: without one, Graph refuses password and method resets. */
async function appRoles(t: SmokeTarget, servicePrincipalId: string | undefined): Promise<SmokeRow> {
  const check = "Directory role of the app's service principal";
  if (!servicePrincipalId) return { check, status: 'NOT CHECKED', detail: 'the token carries no oid claim' };
  const query = { $filter: `principalId eq ${odataString(servicePrincipalId)}`, $expand: ['roleDefinition'] };
  const path = graphPath(REQUESTS.roleAssignmentsList, {}, query);
  try {
    const body = (await get(t, REQUESTS.roleAssignmentsList, {}, query)) as {
      value?: { roleDefinitionId?: string; roleDefinition?: { displayName?: string; templateId?: string } }[];
    };
    const held = new Set(
      (body.value ?? []).flatMap((a) => [a.roleDefinitionId, a.roleDefinition?.templateId].filter((x): x is string => !!x).map((x) => x.toLowerCase())),
    );
    const names = (body.value ?? []).map((a) => a.roleDefinition?.displayName ?? a.roleDefinitionId ?? '?');
    if (held.has(ROLE_PRIV_AUTH_ADMIN.id)) return { check, status: 'OK', detail: `holds ${names.join(', ')}` };
    const partial = [ROLE_USER_ADMIN, ROLE_AUTH_ADMIN].filter((r) => held.has(r.id)).map((r) => r.name);
    return {
      check,
      status: 'MISSING',
      detail:
        partial.length > 0
          ? `holds ${partial.join(', ')}: enough for users without admin roles, not for privileged targets`
          : `holds ${names.length > 0 ? names.join(', ') : 'no directory role'}`,
      fix: `Assign ${ROLE_PRIV_AUTH_ADMIN.name} to the app's service principal (or ${ROLE_USER_ADMIN.name} plus ${ROLE_AUTH_ADMIN.name} if it must never touch admins); see docs/deploy.md.`,
    };
  } catch (error) {
    return rowForFailure(t, check, path, REQUESTS.roleAssignmentsList, error);
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
