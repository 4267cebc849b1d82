import type { ApiVersion, HttpMethod, Route, SimRequest } from './http-types';
import { METHOD_KINDS } from './method-catalog';
import type { MethodType } from './seed-schema';

/**
 * How Graph words a 403 for a missing permission differs by workload (each seen in Graph's answers):
 * - directory: `Authorization_RequestDenied` "Insufficient privileges to complete the operation." (users, groups,
 *   directory objects, roles; e.g. microsoftgraph/nodejs-connect-rest-sample#69);
 * - auditLog: `Authentication_MSGraphPermissionMissing` "Calling principal does not have required MSGraph permissions
 *   AuditLog.Read.All" (audit and sign-in logs, the registration report, `signInActivity`; microsoft-graph-explorer-v4#2731,
 *   microsoft-graph-docs-contrib#3196 and #8997);
 * - authenticationMethods: `accessDenied` "Request Authorization failed" (the authentication methods workload;
 *   msgraph-sdk-go#441, msgraph-sdk-powershell#2602);
 * - conditionalAccess: `AccessDenied` "You cannot perform the requested operation, required scopes are missing in the
 *   token." (Conditional Access; AlexFilipin/ConditionalAccess#10, Microsoft365DSC#3556);
 * - privilegedAccess: `UnknownError` whose message is a JSON object with errorCode `PermissionScopeNotGranted`
 *   "Authorization failed due to missing permission scope <the accepted permissions>." (PIM for Groups;
 *   hashicorp/terraform-provider-azuread#1386).
 * - mail: `ErrorAccessDenied` "Access is denied. Check credentials and try again." (Exchange Online behind Graph, sendMail).
 */
export type DenialStyle = 'directory' | 'auditLog' | 'authenticationMethods' | 'conditionalAccess' | 'privilegedAccess' | 'mail';

export interface PermissionRequirement {
  /**
   * The application permissions that allow the call: any one of these sets, each set needed whole ("AuditLog.Read.All
   * and Directory.Read.All" is one set of two). The first set is the reference's least privileged; the others are its
   * higher-privileged alternatives.
   */
  readonly anyOf: readonly (readonly string[])[];
  readonly denial: DenialStyle;
  /** The Graph reference page the permissions come from. */
  readonly reference: string;
}

/** A requirement that depends on the request (a selected property, a property written). */
export interface ConditionalRequirement extends PermissionRequirement {
  /** What the condition is, for people reading the table. */
  readonly why: string;
  readonly when: (request: SimRequest) => boolean;
  /** 'also': needed on top of the route's; 'instead': replaces the route's. */
  readonly mode: 'also' | 'instead';
}

export interface RoutePermission extends PermissionRequirement {
  readonly method: HttpMethod;
  /** The route's path template, exactly as in GRAPH_ROUTES. */
  readonly path: string;
  /** As the route's: omitted means both v1.0 and beta. */
  readonly versions?: readonly ApiVersion[];
  readonly conditions?: readonly ConditionalRequirement[];
}

const API = 'https://learn.microsoft.com/graph/api';
const BETA = '?view=graph-rest-beta';

const USER_READ = [['User.Read.All'], ['User.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']] as const;
const USER_WRITE = [['User.ReadWrite.All'], ['Directory.ReadWrite.All']] as const;
const METHODS_READ = [['UserAuthenticationMethod.Read.All'], ['UserAuthenticationMethod.ReadWrite.All']] as const;
const METHODS_WRITE = [['UserAuthenticationMethod.ReadWrite.All']] as const;
const ROLES_READ = [
  ['RoleManagement.Read.Directory'],
  ['RoleManagement.Read.All'],
  ['RoleManagement.ReadWrite.Directory'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
] as const;
const GROUP_MEMBERS_READ = [
  ['GroupMember.Read.All'],
  ['GroupMember.ReadBasic.All'],
  ['GroupMember.ReadWrite.All'],
  ['Group.Read.All'],
  ['Group.ReadBasic.All'],
  ['Group.ReadWrite.All'],
  ['Directory.Read.All'],
] as const;
const ELIGIBILITY_READ = [
  ['RoleEligibilitySchedule.Read.Directory'],
  ['RoleManagement.Read.Directory'],
  ['RoleManagement.Read.All'],
  ['RoleEligibilitySchedule.ReadWrite.Directory'],
  ['RoleManagement.ReadWrite.Directory'],
] as const;
/** PIM for Groups eligibility reads: PrivilegedEligibilitySchedule.Read.AzureADGroup (least), PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup. */
const GROUP_ELIGIBILITY_READ = [['PrivilegedEligibilitySchedule.Read.AzureADGroup'], ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup']] as const;
/** checkMemberGroups for a user, application: "User.Read.All and GroupMember.Read.All, User.Read.All and Group.Read.All, Directory.Read.All". */
const MEMBERSHIP_READ = [['User.Read.All', 'GroupMember.Read.All'], ['User.Read.All', 'Group.Read.All'], ['Directory.Read.All']] as const;
const AUTH_METHODS_POLICY_READ = [['Policy.Read.AuthenticationMethod'], ['Policy.ReadWrite.AuthenticationMethod'], ['Policy.Read.All']] as const;
const CA_READ = [['Policy.Read.All'], ['Policy.ReadWrite.ConditionalAccess']] as const;

function selects(request: SimRequest, property: string): boolean {
  const select = request.query.get('$select') ?? request.query.get('select') ?? '';
  return select.split(',').some((p) => p.trim().toLowerCase() === property.toLowerCase());
}

/**
 * `signInActivity` is served from the sign-in reporting store and needs AuditLog.Read.All on top of the user read
 * (https://learn.microsoft.com/graph/api/resources/signinactivity; Graph answers 403
 * Authentication_MSGraphPermissionMissing without it, microsoftgraph/entra-powershell#858).
 */
const SIGN_IN_ACTIVITY: ConditionalRequirement = {
  why: '$select includes signInActivity',
  when: (request) => selects(request, 'signInActivity'),
  mode: 'also',
  anyOf: [['AuditLog.Read.All']],
  denial: 'auditLog',
  reference: `${API}/resources/signinactivity`,
};

/**
 * A PATCH that writes only `passwordProfile` (an admin password reset) has its own least-privileged permission,
 * User-PasswordProfile.ReadWrite.All (https://learn.microsoft.com/graph/api/user-update, passwordProfile); the
 * directory role it also needs is checked separately (password-reset-role.ts).
 */
const PASSWORD_ONLY: ConditionalRequirement = {
  why: 'the body writes passwordProfile only',
  when: (request) => {
    const body = request.body;
    return typeof body === 'object' && body !== null && Object.keys(body).length > 0 && Object.keys(body).every((k) => k === 'passwordProfile');
  },
  mode: 'instead',
  anyOf: [['User-PasswordProfile.ReadWrite.All'], ['User.ReadWrite.All'], ['Directory.ReadWrite.All']],
  denial: 'directory',
  reference: `${API}/user-update`,
};

const AUTH = '/users/{user}/authentication';

/** The per-type method routes (phoneMethods, fido2Methods, …), one entry per route, as routes/methods.ts builds them. */
function typedMethodPermissions(type: MethodType): RoutePermission[] {
  const kind = METHOD_KINDS[type];
  const versions = kind.betaOnly ? (['beta'] as const) : undefined;
  const base = `${AUTH}/${kind.navigation}`;
  const view = kind.betaOnly ? BETA : '';
  const reference = `${API}/authentication-list-${kind.navigation.toLowerCase()}${view}`;
  const read = { anyOf: METHODS_READ, denial: 'authenticationMethods', reference, ...(versions ? { versions } : {}) } as const;
  const entries: RoutePermission[] = [
    { method: 'GET', path: base, ...read },
    { method: 'GET', path: `${base}/{id}`, ...read },
  ];
  if (type === 'password') return entries;
  const deletePath = type === 'externalAuthentication' ? `${base}/{id}/$ref` : `${base}/{id}`;
  entries.push({ method: 'DELETE', path: deletePath, ...read, anyOf: METHODS_WRITE });
  return entries;
}

/**
 * The application permissions each route of the simulated tenant requires, from the Graph API reference (the
 * "Permissions" table of each page: least privileged first, then the higher-privileged alternatives it lists). The
 * request pipeline checks every Graph request against it, inside `$batch` too, and answers 403 as Graph does.
 * test/simulator/route-permissions.test.ts checks that every route in GRAPH_ROUTES has exactly one entry.
 */
export const ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  // Users.
  { method: 'GET', path: '/users', anyOf: USER_READ, denial: 'directory', reference: `${API}/user-list`, conditions: [SIGN_IN_ACTIVITY] },
  { method: 'GET', path: '/users/{user}', anyOf: USER_READ, denial: 'directory', reference: `${API}/user-get`, conditions: [SIGN_IN_ACTIVITY] },
  { method: 'GET', path: '/users/{user}/manager', anyOf: USER_READ, denial: 'directory', reference: `${API}/user-list-manager` },
  { method: 'POST', path: '/users/{user}/sendMail', anyOf: [['Mail.Send']], denial: 'mail', reference: `${API}/user-sendmail` },
  { method: 'POST', path: '/users', anyOf: USER_WRITE, denial: 'directory', reference: `${API}/user-post-users` },
  { method: 'PATCH', path: '/users/{user}', anyOf: USER_WRITE, denial: 'directory', reference: `${API}/user-update`, conditions: [PASSWORD_ONLY] },
  { method: 'DELETE', path: '/users/{user}', anyOf: USER_WRITE, denial: 'directory', reference: `${API}/user-delete` },
  // "Application: User.RevokeSessions.All", no higher permission listed.
  {
    method: 'POST',
    path: '/users/{user}/revokeSignInSessions',
    anyOf: [['User.RevokeSessions.All']],
    denial: 'directory',
    reference: `${API}/user-revokesigninsessions`,
  },
  // Deleted items (users).
  { method: 'GET', path: '/directory/deletedItems', anyOf: USER_READ, denial: 'directory', reference: `${API}/directory-deleteditems-list` },
  {
    method: 'GET',
    path: '/directory/deletedItems/microsoft.graph.user',
    anyOf: USER_READ,
    denial: 'directory',
    reference: `${API}/directory-deleteditems-list`,
  },
  { method: 'GET', path: '/directory/deletedItems/{id}', anyOf: USER_READ, denial: 'directory', reference: `${API}/directory-deleteditems-get` },
  {
    method: 'DELETE',
    path: '/directory/deletedItems/{id}',
    anyOf: [['User.DeleteRestore.All'], ['User.ReadWrite.All']],
    denial: 'directory',
    reference: `${API}/directory-deleteditems-delete`,
  },
  {
    method: 'POST',
    path: '/directory/deletedItems/{id}/restore',
    anyOf: [['User.DeleteRestore.All'], ['User.ReadWrite.All']],
    denial: 'directory',
    reference: `${API}/directory-deleteditems-restore`,
  },
  // Authentication methods.
  { method: 'GET', path: `${AUTH}/methods`, anyOf: METHODS_READ, denial: 'authenticationMethods', reference: `${API}/authentication-list-methods` },
  { method: 'GET', path: `${AUTH}/methods/{id}`, anyOf: METHODS_READ, denial: 'authenticationMethods', reference: `${API}/authenticationmethod-get` },
  {
    method: 'DELETE',
    path: `${AUTH}/methods/{id}`,
    anyOf: METHODS_WRITE,
    denial: 'authenticationMethods',
    reference: `${API}/resources/authenticationmethods-overview`,
  },
  ...(Object.keys(METHOD_KINDS) as MethodType[]).filter((t) => !METHOD_KINDS[t].singleton).flatMap(typedMethodPermissions),
  {
    method: 'GET',
    path: `${AUTH}/qrCodePinMethod`,
    versions: ['beta'],
    anyOf: METHODS_READ,
    denial: 'authenticationMethods',
    reference: `${API}/qrcodepinauthenticationmethod-get${BETA}`,
  },
  {
    method: 'DELETE',
    path: `${AUTH}/qrCodePinMethod`,
    versions: ['beta'],
    anyOf: METHODS_WRITE,
    denial: 'authenticationMethods',
    reference: `${API}/authentication-delete-qrcodepinmethod${BETA}`,
  },
  {
    method: 'POST',
    path: `${AUTH}/temporaryAccessPassMethods`,
    anyOf: METHODS_WRITE,
    denial: 'authenticationMethods',
    reference: `${API}/authentication-post-temporaryaccesspassmethods`,
  },
  {
    method: 'GET',
    path: `${AUTH}/signInPreferences`,
    versions: ['beta'],
    anyOf: METHODS_READ,
    denial: 'authenticationMethods',
    reference: `${API}/authentication-get${BETA}`,
  },
  {
    method: 'PATCH',
    path: `${AUTH}/signInPreferences`,
    versions: ['beta'],
    anyOf: METHODS_WRITE,
    denial: 'authenticationMethods',
    reference: `${API}/authentication-update${BETA}`,
  },
  // Logs and reports. directoryaudit-list: "AuditLog.Read.All and Directory.Read.All", no higher permission.
  {
    method: 'GET',
    path: '/auditLogs/directoryAudits',
    anyOf: [['AuditLog.Read.All', 'Directory.Read.All']],
    denial: 'auditLog',
    reference: `${API}/directoryaudit-list`,
  },
  {
    method: 'GET',
    path: '/auditLogs/directoryAudits/{id}',
    anyOf: [['AuditLog.Read.All', 'Directory.Read.All']],
    denial: 'auditLog',
    reference: `${API}/directoryaudit-get`,
  },
  // signin-list lists Directory.Read.All as a higher alternative, but Graph refuses it without AuditLog.Read.All
  // (microsoft-graph-docs-contrib#3196: "Calling principal does not have required MSGraph permissions AuditLog.Read.All").
  { method: 'GET', path: '/auditLogs/signIns', anyOf: [['AuditLog.Read.All']], denial: 'auditLog', reference: `${API}/signin-list` },
  { method: 'GET', path: '/auditLogs/signIns/{id}', anyOf: [['AuditLog.Read.All']], denial: 'auditLog', reference: `${API}/signin-get` },
  {
    method: 'GET',
    path: '/reports/authenticationMethods/userRegistrationDetails',
    anyOf: [['AuditLog.Read.All']],
    denial: 'auditLog',
    reference: `${API}/authenticationmethodsroot-list-userregistrationdetails`,
  },
  {
    method: 'GET',
    path: '/reports/authenticationMethods/userRegistrationDetails/{id}',
    anyOf: [['AuditLog.Read.All']],
    denial: 'auditLog',
    reference: `${API}/userregistrationdetails-get`,
  },
  // Groups and membership.
  {
    method: 'POST',
    path: '/users/{user}/checkMemberGroups',
    anyOf: MEMBERSHIP_READ,
    denial: 'directory',
    reference: `${API}/directoryobject-checkmembergroups`,
  },
  { method: 'GET', path: '/users/{user}/memberOf', anyOf: MEMBERSHIP_READ, denial: 'directory', reference: `${API}/user-list-memberof` },
  {
    method: 'GET',
    path: '/users/{user}/transitiveMemberOf',
    anyOf: MEMBERSHIP_READ,
    denial: 'directory',
    reference: `${API}/user-list-transitivememberof`,
  },
  { method: 'GET', path: '/groups/{id}', anyOf: GROUP_MEMBERS_READ, denial: 'directory', reference: `${API}/group-get` },
  { method: 'GET', path: '/groups/{id}/members', anyOf: GROUP_MEMBERS_READ, denial: 'directory', reference: `${API}/group-list-members` },
  { method: 'GET', path: '/groups/{id}/transitiveMembers', anyOf: GROUP_MEMBERS_READ, denial: 'directory', reference: `${API}/group-list-transitivemembers` },
  // Directory roles (the directory RBAC provider).
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignments',
    anyOf: ROLES_READ,
    denial: 'directory',
    reference: `${API}/rbacapplication-list-roleassignments`,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignments/{id}',
    anyOf: ROLES_READ,
    denial: 'directory',
    reference: `${API}/unifiedroleassignment-get`,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleDefinitions',
    anyOf: ROLES_READ,
    denial: 'directory',
    reference: `${API}/rbacapplication-list-roledefinitions`,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleDefinitions/{id}',
    anyOf: ROLES_READ,
    denial: 'directory',
    reference: `${API}/unifiedroledefinition-get`,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/transitiveRoleAssignments',
    versions: ['beta'],
    anyOf: ROLES_READ,
    denial: 'directory',
    reference: `${API}/rbacapplication-list-transitiveroleassignments${BETA}`,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleEligibilitySchedules',
    anyOf: ELIGIBILITY_READ,
    denial: 'directory',
    reference: `${API}/rbacapplication-list-roleeligibilityschedules`,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleEligibilitySchedules/{id}',
    anyOf: ELIGIBILITY_READ,
    denial: 'directory',
    reference: `${API}/unifiedroleeligibilityschedule-get`,
  },
  {
    method: 'GET',
    path: '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances',
    anyOf: GROUP_ELIGIBILITY_READ,
    denial: 'privilegedAccess',
    reference: `${API}/privilegedaccessgroup-list-eligibilityscheduleinstances`,
  },
  // unifiedrbacresourcenamespace-list-resourceactions (beta): RoleManagement.Read.Directory; RoleManagement.Read.All, RoleManagement.ReadWrite.Directory.
  {
    method: 'GET',
    path: '/roleManagement/directory/resourceNamespaces/{namespace}/resourceActions',
    versions: ['beta'],
    anyOf: [['RoleManagement.Read.Directory'], ['RoleManagement.Read.All'], ['RoleManagement.ReadWrite.Directory']],
    denial: 'directory',
    reference: `${API}/unifiedrbacresourcenamespace-list-resourceactions${BETA}`,
  },
  // Policies. The authentication methods policy pages list Policy.Read.AuthenticationMethod (least) and
  // Policy.ReadWrite.AuthenticationMethod; Policy.Read.All is accepted too (confirmed by the feature's engineer in
  // microsoftgraph/microsoft-graph-docs#19237: "Policy.Read.All is supported for both app and delegated permissions").
  {
    method: 'GET',
    path: '/policies/authenticationMethodsPolicy',
    anyOf: AUTH_METHODS_POLICY_READ,
    denial: 'directory',
    reference: `${API}/authenticationmethodspolicy-get`,
  },
  {
    method: 'GET',
    path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations',
    anyOf: AUTH_METHODS_POLICY_READ,
    denial: 'directory',
    reference: `${API}/authenticationmethodspolicy-get`,
  },
  {
    method: 'GET',
    path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}',
    anyOf: AUTH_METHODS_POLICY_READ,
    denial: 'directory',
    reference: `${API}/temporaryaccesspassauthenticationmethodconfiguration-get`,
  },
  {
    method: 'GET',
    path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/VerifiableCredentials',
    versions: ['v1.0'],
    // The get page lists Policy.Read.AuthenticationMethod, higher Policy.ReadWrite.AuthenticationMethod (the list page also Policy.Read.All).
    anyOf: [['Policy.Read.AuthenticationMethod'], ['Policy.ReadWrite.AuthenticationMethod']],
    denial: 'directory',
    reference: `${API}/verifiablecredentialsauthenticationmethodconfiguration-get`,
  },
  // "Application: VerifiedId-Profile.Read.All", higher "Not available". How Graph words the 403 here was not found; the directory style is a guess.
  {
    method: 'GET',
    path: '/identity/verifiedId/profiles',
    versions: ['v1.0'],
    anyOf: [['VerifiedId-Profile.Read.All']],
    denial: 'directory',
    reference: `${API}/identityverifiedidroot-list-profiles`,
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/policies',
    anyOf: CA_READ,
    denial: 'conditionalAccess',
    reference: `${API}/conditionalaccessroot-list-policies`,
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/policies/{id}',
    anyOf: CA_READ,
    denial: 'conditionalAccess',
    reference: `${API}/conditionalaccesspolicy-get`,
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/authenticationContextClassReferences',
    anyOf: [['Policy.Read.ConditionalAccess'], ['Policy.Read.All'], ['Policy.ReadWrite.ConditionalAccess']],
    denial: 'conditionalAccess',
    reference: `${API}/conditionalaccessroot-list-authenticationcontextclassreferences`,
  },
];

function versionKey(versions: readonly ApiVersion[] | undefined): string {
  return versions ? [...versions].sort().join(',') : '*';
}

function keyOf(entry: { method: string; path: string; versions?: readonly ApiVersion[] | undefined }): string {
  return `${entry.method} ${entry.path} ${versionKey(entry.versions)}`;
}

const BY_ROUTE = new Map(ROUTE_PERMISSIONS.map((p) => [keyOf(p), p]));

/** The permission entry of a route (same method, path template and versions), or undefined when the table lacks it. */
export function permissionsFor(route: Pick<Route, 'method' | 'path' | 'versions'>): RoutePermission | undefined {
  return BY_ROUTE.get(keyOf(route));
}

/** True when the granted roles satisfy one of the sets. */
export function satisfies(roles: ReadonlySet<string>, anyOf: readonly (readonly string[])[]): boolean {
  return anyOf.some((set) => set.every((p) => roles.has(p)));
}

/** The requirements a request must meet on this route: the route's (or its 'instead' replacement) and every 'also'. */
export function requirementsFor(entry: RoutePermission, request: SimRequest): PermissionRequirement[] {
  const applying = (entry.conditions ?? []).filter((c) => c.when(request));
  const replacement = applying.find((c) => c.mode === 'instead');
  return [replacement ?? entry, ...applying.filter((c) => c.mode === 'also')];
}
