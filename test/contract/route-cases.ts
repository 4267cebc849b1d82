import type { MethodType } from '../../src/simulator/seed-schema';
import { METHOD_KINDS } from '../../src/simulator/method-catalog';
import { ID } from '../simulator/graph-client';
import type { BodyExpectation, GraphVersion } from './graph-schema-check';

/**
 * For every route of the simulated tenant (GRAPH_ROUTES), requests the contract test sends to the demo tenant: at least
 * one that succeeds, and the main errors. Expected `@odata.context` fragments are the ones Graph's reference examples
 * show (each page cited where the fragment is not simply the request path).
 */
export interface ContractCase {
  /** Path after the version, with its query. */
  readonly url: string;
  /** Omitted: every version the route serves. */
  readonly version?: GraphVersion;
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly status: number;
  /** A request sent first (and expected to succeed), e.g. to move the default method off the one a case deletes. */
  readonly before?: { readonly url: string; readonly version: GraphVersion; readonly method: 'PATCH' | 'POST'; readonly body: unknown };
  /** For a success with a body: what it must be. */
  readonly expect?: BodyExpectation;
}

const USER = `/users/${ID.johanna}`;
const AUTH = (user: string): string => `/users/${user}/authentication`;
const EVENTUAL = { ConsistencyLevel: 'eventual' };
const NO_USER = '/users/00000000-0000-4000-8000-0000000000ff';

/** A user (object id) with a method of each type, and that method's id (demo tenant, docs/demo-tenant.md). */
const METHOD_OWNERS: Record<MethodType, { user: string; id: string }> = {
  password: { user: ID.johanna, id: ID.password },
  email: { user: ID.johanna, id: 'e3a11000-0009-4c2b-9d1e-000000000009' },
  phone: { user: ID.johanna, id: ID.office },
  fido2: { user: ID.adele, id: 'YWRlbGUtZmlkbzItWXViaUtleTVORkM' },
  microsoftAuthenticator: { user: ID.johanna, id: 'a7c0de11-0009-4a1b-9c2d-000000000009' },
  windowsHelloForBusiness: { user: ID.patti, id: 'cGF0dGktd2hmYi1TVVJGQUNF' },
  softwareOath: { user: ID.alex, id: '50f70a7b-0002-4d0c-8a11-000000000002' },
  temporaryAccessPass: { user: ID.grady, id: '7a9b0000-000a-4c1d-8e2f-00000000000a' },
  platformCredential: { user: ID.patti, id: 'cGF0dGktcHNzby1NYWNCb29rUHJv' },
  externalAuthentication: { user: ID.alex, id: 'e0a0b0c0-0002-4f3e-8d2c-000000000002' },
  hardwareOath: { user: ID.nestor, id: '4a7d0a7b-0008-4e1f-9a2b-000000000008' },
  qrCodePin: { user: ID.alex, id: '9c0de000-0002-4b1a-8c3d-000000000002' },
};

/**
 * Navigation properties Graph returns inline without `$expand`, each as its reference example shows it.
 */
export const AUTO_EXPANDED: readonly string[] = [
  // https://learn.microsoft.com/graph/api/authentication-list-hardwareoathmethods?view=graph-rest-beta
  'hardwareOathAuthenticationMethod.device',
  // https://learn.microsoft.com/graph/api/conditionalaccesspolicy-get ("authenticationStrength@odata.context")
  'conditionalAccessGrantControls.authenticationStrength',
  // https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get
  'authenticationMethodsPolicy.authenticationMethodConfigurations',
  // https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-get ("includeTargets@odata.context")
  'authenticationMethodConfiguration.includeTargets',
  'fido2AuthenticationMethodConfiguration.includeTargets',
  'microsoftAuthenticatorAuthenticationMethodConfiguration.includeTargets',
  'smsAuthenticationMethodConfiguration.includeTargets',
  'voiceAuthenticationMethodConfiguration.includeTargets',
  'emailAuthenticationMethodConfiguration.includeTargets',
  'softwareOathAuthenticationMethodConfiguration.includeTargets',
  'hardwareOathAuthenticationMethodConfiguration.includeTargets',
  'temporaryAccessPassAuthenticationMethodConfiguration.includeTargets',
  'x509CertificateAuthenticationMethodConfiguration.includeTargets',
  'qrCodePinAuthenticationMethodConfiguration.includeTargets',
  // https://learn.microsoft.com/graph/api/verifiablecredentialsauthenticationmethodconfiguration-get
  'verifiableCredentialsAuthenticationMethodConfiguration.includeTargets',
];

/**
 * Properties Graph never returns on reads. fido2AuthenticationMethod.publicKeyCredential: "only used for write requests
 * ... isn't returned on read operations" (https://learn.microsoft.com/graph/api/resources/fido2authenticationmethod).
 */
export const NOT_RETURNED: readonly string[] = ['fido2AuthenticationMethod.publicKeyCredential'];

/** Routes that exist only to answer an error, as Graph does (no request to them succeeds). */
export const ERROR_ONLY_ROUTES: readonly string[] = [
  // Graph needs the cast: /directory/deletedItems/microsoft.graph.user (directory-deleteditems-list).
  'GET /directory/deletedItems',
  // DELETE on the abstract methods collection has no controller (see deleteGeneric in src/simulator/routes/methods.ts).
  'DELETE /users/{user}/authentication/methods/{id}',
];

/** GET one entity of a collection by id (its context `{collection}/$entity`), and an id that does not exist (404). */
function readOne(collection: string, type: string, id: string, missing: string): ContractCase[] {
  return [
    { url: `${collection}/${id}`, status: 200, expect: { type, collection: false, contextFragment: `${collection.slice(1)}/$entity` } },
    { url: `${collection}/${missing}`, status: 404 },
  ];
}

/** A collection whole (context = its path), filtered, and with a filter Graph refuses (400). */
function listFiltered(collection: string, type: string, filter: string, refused: string): ContractCase[] {
  return [
    { url: collection, status: 200, expect: { type, collection: true, contextFragment: collection.slice(1) } },
    { url: `${collection}?$filter=${filter}`, status: 200, expect: { type, collection: true } },
    { url: `${collection}?$filter=${refused}`, status: 400 },
  ];
}

const entity = (type: string, contextFragment?: string, expanded?: string[]): BodyExpectation => ({ type, collection: false, contextFragment, expanded });
const list = (type: string, contextFragment?: string, expanded?: string[]): BodyExpectation => ({ type, collection: true, contextFragment, expanded });

function methodCases(): Record<string, ContractCase[]> {
  const cases: Record<string, ContractCase[]> = {};
  for (const [type, kind] of Object.entries(METHOD_KINDS) as [MethodType, (typeof METHOD_KINDS)[MethodType]][]) {
    const { user, id } = METHOD_OWNERS[type];
    const base = `${AUTH(user)}/${kind.navigation}`;
    const typeName = kind.odataType.slice('#microsoft.graph.'.length);
    if (kind.singleton) {
      cases[`GET /users/{user}/authentication/${kind.navigation}`] = [
        { url: base, status: 200, expect: entity(typeName, `users('${user}')/authentication/${kind.navigation}/$entity`) },
        { url: `${AUTH(ID.johanna)}/${kind.navigation}`, status: 404 },
      ];
      cases[`DELETE /users/{user}/authentication/${kind.navigation}`] = [
        { url: base, method: 'DELETE', status: 204 },
        { url: `${AUTH(ID.johanna)}/${kind.navigation}`, method: 'DELETE', status: 404 },
      ];
      continue;
    }
    const pattern = `/users/{user}/authentication/${kind.navigation}`;
    cases[`GET ${pattern}`] = [
      { url: base, status: 200, expect: list(typeName, `users('${user}')/authentication/${kind.navigation}`) },
      { url: `${NO_USER}/authentication/${kind.navigation}`, status: 404 },
    ];
    cases[`GET ${pattern}/{id}`] = [
      { url: `${base}/${id}`, status: 200, expect: entity(typeName, `users('${user}')/authentication/${kind.navigation}/$entity`) },
      { url: `${base}/00000000-0000-4000-8000-000000000000`, status: 404 },
    ];
    if (type === 'password') continue;
    const deletePath = type === 'externalAuthentication' ? `${pattern}/{id}/$ref` : `${pattern}/{id}`;
    const deleteUrl = type === 'externalAuthentication' ? `${base}/${id}/$ref` : `${base}/${id}`;
    // Graph refuses to delete the default method while others remain; johanna's default is push (her Authenticator).
    const before =
      type === 'microsoftAuthenticator'
        ? {
            url: `${AUTH(user)}/signInPreferences`,
            version: 'beta' as const,
            method: 'PATCH' as const,
            body: { userPreferredMethodForSecondaryAuthentication: 'sms' },
          }
        : undefined;
    cases[`DELETE ${deletePath}`] = [
      { url: deleteUrl, method: 'DELETE', status: 204, before },
      { url: deleteUrl.replace(id, '00000000-0000-4000-8000-000000000000'), method: 'DELETE', status: 404 },
    ];
  }
  return cases;
}

const CONFIGS = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations';
const NEW_USER = {
  accountEnabled: true,
  displayName: 'Contract Test',
  mailNickname: 'contract',
  userPrincipalName: 'contract@contoso.com',
  passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
};

/** Keyed `METHOD path` exactly as GRAPH_ROUTES declares them. */
export const CONTRACT_CASES: Readonly<Record<string, readonly ContractCase[]>> = {
  'GET /users': [
    { url: '/users', status: 200, expect: list('user', 'users') },
    { url: '/users?$select=id,displayName,accountEnabled,signInActivity&$top=5', status: 200, expect: list('user') },
    { url: "/users?$filter=endswith(mail,'@contoso.com')&$count=true", headers: EVENTUAL, status: 200, expect: list('user') },
    { url: "/users?$filter=endswith(mail,'@contoso.com')", status: 400 },
    { url: '/users?$count=true', status: 400 },
    { url: '/users?$select=nope', status: 400 },
  ],
  'GET /users/{user}': [
    { url: USER, status: 200, expect: entity('user', 'users/$entity') },
    { url: `${USER}?$select=id,accountEnabled,signInActivity,createdDateTime`, status: 200, expect: entity('user') },
    { url: '/users/johanna@contoso.com?$select=id,signInActivity', status: 400 },
    { url: NO_USER, status: 404 },
  ],
  // https://learn.microsoft.com/graph/api/user-list-manager (response: "$metadata#directoryObjects/$entity", typed user)
  'GET /users/{user}/manager': [
    { url: `${USER}/manager`, status: 200, expect: entity('user', 'directoryObjects/$entity') },
    { url: `${USER}/manager?$select=id,displayName,userPrincipalName`, status: 200, expect: entity('user', 'directoryObjects/$entity') },
    { url: `/users/${ID.lee}/manager`, status: 404 },
    { url: `${NO_USER}/manager`, status: 404 },
  ],
  // https://learn.microsoft.com/graph/api/user-sendmail (202 Accepted, no body)
  'POST /users/{user}/sendMail': [
    {
      url: `${USER}/sendMail`,
      method: 'POST',
      body: { message: { subject: 'Hello', body: { contentType: 'Text', content: 'Hi.' }, toRecipients: [{ emailAddress: { address: 'a@example.com' } }] } },
      status: 202,
    },
    { url: `${USER}/sendMail`, method: 'POST', body: { message: { subject: 'Hello', toRecipients: [] } }, status: 400 },
    { url: `/users/${ID.ravi}/sendMail`, method: 'POST', body: { message: { toRecipients: [{ emailAddress: { address: 'a@example.com' } }] } }, status: 404 },
  ],
  'POST /users': [
    { url: '/users', method: 'POST', body: NEW_USER, status: 201, expect: entity('user', 'users/$entity') },
    { url: '/users', method: 'POST', body: { displayName: 'x' }, status: 400 },
  ],
  'PATCH /users/{user}': [
    { url: USER, method: 'PATCH', body: { accountEnabled: false }, status: 204 },
    { url: USER, method: 'PATCH', body: { passwordProfile: { password: 'short' } }, status: 400 },
    { url: NO_USER, method: 'PATCH', body: { accountEnabled: false }, status: 404 },
  ],
  'DELETE /users/{user}': [
    { url: USER, method: 'DELETE', status: 204 },
    { url: NO_USER, method: 'DELETE', status: 404 },
  ],
  'POST /users/{user}/revokeSignInSessions': [
    // https://learn.microsoft.com/graph/api/user-revokesigninsessions (response: "$metadata#Edm.Boolean", value true)
    { url: `${USER}/revokeSignInSessions`, method: 'POST', status: 200, expect: entity('Edm.Boolean', 'Edm.Boolean') },
    { url: `${NO_USER}/revokeSignInSessions`, method: 'POST', status: 404 },
  ],
  'GET /users/{user}/authentication/methods': [
    { url: `${AUTH(ID.nestor)}/methods`, status: 200, expect: list('authenticationMethod', `users('${ID.nestor}')/authentication/methods`) },
    { url: `${AUTH(ID.alex)}/methods`, status: 200, expect: list('authenticationMethod') },
    { url: `${NO_USER}/authentication/methods`, status: 404 },
    { url: `${AUTH(ID.johanna)}/methods?$top=2`, status: 400 },
  ],
  'GET /users/{user}/authentication/methods/{id}': [
    {
      url: `${AUTH(ID.johanna)}/methods/${ID.office}`,
      status: 200,
      expect: entity('authenticationMethod', `users('${ID.johanna}')/authentication/methods/$entity`),
    },
    { url: `${AUTH(ID.johanna)}/methods/00000000-0000-4000-8000-000000000000`, status: 404 },
  ],
  'DELETE /users/{user}/authentication/methods/{id}': [{ url: `${AUTH(ID.johanna)}/methods/${ID.office}`, method: 'DELETE', status: 404 }],
  ...methodCases(),
  'POST /users/{user}/authentication/temporaryAccessPassMethods': [
    {
      url: `${AUTH(ID.johanna)}/temporaryAccessPassMethods`,
      method: 'POST',
      body: { lifetimeInMinutes: 60 },
      status: 201,
      expect: entity('temporaryAccessPassAuthenticationMethod'),
    },
    { url: `${AUTH(ID.johanna)}/temporaryAccessPassMethods`, method: 'POST', body: { lifetimeInMinutes: 5 }, status: 400 },
  ],
  'GET /users/{user}/authentication/signInPreferences': [
    { url: `${AUTH(ID.johanna)}/signInPreferences`, version: 'beta', status: 200, expect: entity('signInPreferences') },
    { url: `${NO_USER}/authentication/signInPreferences`, version: 'beta', status: 404 },
  ],
  'PATCH /users/{user}/authentication/signInPreferences': [
    {
      url: `${AUTH(ID.johanna)}/signInPreferences`,
      version: 'beta',
      method: 'PATCH',
      body: { userPreferredMethodForSecondaryAuthentication: 'sms' },
      status: 204,
    },
    {
      url: `${AUTH(ID.adele)}/signInPreferences`,
      version: 'beta',
      method: 'PATCH',
      body: { userPreferredMethodForSecondaryAuthentication: 'sms' },
      status: 400,
    },
  ],
  'GET /directory/deletedItems': [{ url: '/directory/deletedItems', status: 400 }],
  'GET /directory/deletedItems/microsoft.graph.user': [
    { url: '/directory/deletedItems/microsoft.graph.user', status: 200, expect: list('user', 'directory/deletedItems/microsoft.graph.user') },
    { url: "/directory/deletedItems/microsoft.graph.user?$filter=startswith(userPrincipalName,'diego')", status: 200, expect: list('user') },
    { url: '/directory/deletedItems/microsoft.graph.user?$select=nope', status: 400 },
  ],
  'GET /directory/deletedItems/{id}': [
    // https://learn.microsoft.com/graph/api/directory-deleteditems-get (response: "$metadata#directoryObjects/$entity")
    { url: `/directory/deletedItems/${ID.diego}`, status: 200, expect: entity('directoryObject', 'directoryObjects/$entity') },
    { url: `/directory/deletedItems/${ID.johanna}`, status: 404 },
  ],
  'DELETE /directory/deletedItems/{id}': [
    { url: `/directory/deletedItems/${ID.diego}`, method: 'DELETE', status: 204 },
    { url: `/directory/deletedItems/${ID.johanna}`, method: 'DELETE', status: 404 },
  ],
  'POST /directory/deletedItems/{id}/restore': [
    { url: `/directory/deletedItems/${ID.diego}/restore`, method: 'POST', status: 200, expect: entity('directoryObject', 'directoryObjects/$entity') },
    { url: `/directory/deletedItems/${ID.johanna}/restore`, method: 'POST', status: 404 },
  ],
  'GET /auditLogs/directoryAudits': listFiltered(
    '/auditLogs/directoryAudits',
    'directoryAudit',
    "activityDateTime ge 2025-06-01T00:00:00Z and loggedByService eq 'Authentication Methods'",
    "nope eq 'x'",
  ),
  'GET /auditLogs/directoryAudits/{id}': readOne(
    '/auditLogs/directoryAudits',
    'directoryAudit',
    'Directory_5e3f9a10-0001-4b6c-8d2e-0000000a0001',
    'Directory_nope',
  ),
  'GET /auditLogs/signIns': listFiltered('/auditLogs/signIns', 'signIn', `userId eq '${ID.lee}'`, "nope eq 'x'"),
  'GET /auditLogs/signIns/{id}': readOne('/auditLogs/signIns', 'signIn', '5191e000-0001-4000-8000-000000000001', '00000000-0000-4000-8000-000000000000'),
  'POST /users/{user}/checkMemberGroups': [
    {
      url: `/users/${ID.megan}/checkMemberGroups`,
      method: 'POST',
      body: { groupIds: [ID.helpdeskGroup, ID.approversGroup] },
      status: 200,
      expect: list('Edm.String', 'Collection(Edm.String)'),
    },
    { url: `/users/${ID.megan}/checkMemberGroups`, method: 'POST', body: { groupIds: 'x' }, status: 400 },
  ],
  'GET /users/{user}/memberOf': [
    { url: `/users/${ID.megan}/memberOf`, status: 200, expect: list('directoryObject', 'directoryObjects') },
    { url: `${NO_USER}/memberOf`, status: 404 },
  ],
  'GET /users/{user}/transitiveMemberOf': [
    { url: `/users/${ID.patti}/transitiveMemberOf`, status: 200, expect: list('directoryObject', 'directoryObjects') },
    { url: `${NO_USER}/transitiveMemberOf`, status: 404 },
  ],
  'GET /groups/{id}': [
    { url: `/groups/${ID.approversGroup}`, status: 200, expect: entity('group', 'groups/$entity') },
    { url: '/groups/00000000-0000-4000-8000-000000000000', status: 404 },
  ],
  'GET /groups/{id}/members': [
    { url: `/groups/${ID.approversGroup}/members`, status: 200, expect: list('directoryObject', 'directoryObjects') },
    { url: `/groups/${ID.approversGroup}/members?$select=id,displayName`, status: 200, expect: list('directoryObject') },
    { url: '/groups/00000000-0000-4000-8000-000000000000/members', status: 404 },
  ],
  'GET /groups/{id}/transitiveMembers': [
    { url: `/groups/${ID.approversGroup}/transitiveMembers`, status: 200, expect: list('directoryObject', 'directoryObjects') },
    { url: '/groups/00000000-0000-4000-8000-000000000000/transitiveMembers', status: 404 },
  ],
  'GET /roleManagement/directory/roleAssignments': [
    { url: '/roleManagement/directory/roleAssignments', status: 200, expect: list('unifiedRoleAssignment', 'roleManagement/directory/roleAssignments') },
    {
      url: `/roleManagement/directory/roleAssignments?$filter=principalId eq '${ID.nestor}'&$expand=roleDefinition`,
      status: 200,
      expect: list('unifiedRoleAssignment', undefined, ['roleDefinition']),
    },
    { url: '/roleManagement/directory/roleAssignments?$expand=principal2', status: 400 },
  ],
  'GET /roleManagement/directory/roleAssignments/{id}': readOne(
    '/roleManagement/directory/roleAssignments',
    'unifiedRoleAssignment',
    'lAPpYvVpN0KRkAEhdxReEBqYbfSS9TBNuV7O3E6g2Q0-1',
    'nope',
  ),
  'GET /roleManagement/directory/roleDefinitions': [
    // rbacapplication-list-roledefinitions documents eq and in only.
    ...listFiltered(
      '/roleManagement/directory/roleDefinitions',
      'unifiedRoleDefinition',
      "displayName eq 'Authentication Administrator'",
      "startswith(displayName,'Auth')",
    ),
  ],
  'GET /roleManagement/directory/roleDefinitions/{id}': readOne(
    '/roleManagement/directory/roleDefinitions',
    'unifiedRoleDefinition',
    '62e90394-69f5-4237-9190-012177145e10',
    '00000000-0000-4000-8000-000000000000',
  ),
  'GET /roleManagement/directory/transitiveRoleAssignments': [
    {
      url: `/roleManagement/directory/transitiveRoleAssignments?$count=true&$filter=principalId eq '${ID.patti}'`,
      version: 'beta',
      headers: EVENTUAL,
      status: 200,
      expect: list('unifiedRoleAssignment', 'roleManagement/directory/transitiveRoleAssignments'),
    },
    { url: `/roleManagement/directory/transitiveRoleAssignments?$count=true&$filter=principalId eq '${ID.patti}'`, version: 'beta', status: 404 },
  ],
  'GET /roleManagement/directory/roleEligibilitySchedules': listFiltered(
    '/roleManagement/directory/roleEligibilitySchedules',
    'unifiedRoleEligibilitySchedule',
    `principalId eq '${ID.patti}'`,
    "nope eq 'x'",
  ),
  'GET /roleManagement/directory/roleEligibilitySchedules/{id}': readOne(
    '/roleManagement/directory/roleEligibilitySchedules',
    'unifiedRoleEligibilitySchedule',
    'pim-eligible-patti-paa',
    'nope',
  ),
  // privilegedaccessgroup-list-eligibilityscheduleinstances: the $filter must scope the list to a principalId or a groupId.
  'GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances': [
    {
      url: `/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=principalId eq '${ID.grady}'`,
      status: 200,
      expect: list('privilegedAccessGroupEligibilityScheduleInstance', 'identityGovernance/privilegedAccess/group/eligibilityScheduleInstances'),
    },
    {
      url: `/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=groupId eq '${ID.approversGroup}' and accessId eq 'member'`,
      status: 200,
      expect: list('privilegedAccessGroupEligibilityScheduleInstance'),
    },
    { url: '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances', status: 400 },
    { url: "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=accessId eq 'member'", status: 400 },
    { url: "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=nope eq 'x'", status: 400 },
    { url: `/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=principalId eq '${ID.grady}'&$top=1`, status: 400 },
  ],
  'GET /roleManagement/directory/resourceNamespaces/{namespace}/resourceActions': [
    {
      url: '/roleManagement/directory/resourceNamespaces/microsoft.directory/resourceActions',
      version: 'beta',
      status: 200,
      expect: list('unifiedRbacResourceAction', "roleManagement/directory/resourceNamespaces('microsoft.directory')/resourceActions"),
    },
    { url: '/roleManagement/directory/resourceNamespaces/microsoft.nope/resourceActions', version: 'beta', status: 404 },
  ],
  'GET /reports/authenticationMethods/userRegistrationDetails': listFiltered(
    '/reports/authenticationMethods/userRegistrationDetails',
    'userRegistrationDetails',
    'isMfaRegistered eq false',
    "nope eq 'x'",
  ),
  'GET /reports/authenticationMethods/userRegistrationDetails/{id}': [
    {
      url: `/reports/authenticationMethods/userRegistrationDetails/${ID.johanna}`,
      status: 200,
      expect: entity('userRegistrationDetails', 'reports/authenticationMethods/userRegistrationDetails/$entity'),
    },
    { url: '/reports/authenticationMethods/userRegistrationDetails/00000000-0000-4000-8000-000000000000', status: 404 },
  ],
  'GET /policies/authenticationMethodsPolicy': [
    {
      url: '/policies/authenticationMethodsPolicy',
      status: 200,
      expect: entity('authenticationMethodsPolicy', 'policies/authenticationMethodsPolicy/$entity'),
    },
    // "This method does not support any optional query parameters" (authenticationmethodspolicy-get).
    { url: '/policies/authenticationMethodsPolicy?$expand=authenticationMethodConfigurations', status: 400 },
  ],
  [`GET ${CONFIGS}`]: [
    { url: CONFIGS, status: 200, expect: list('authenticationMethodConfiguration', CONFIGS.slice(1)) },
    { url: `${CONFIGS}?$top=1`, status: 400 },
  ],
  [`GET ${CONFIGS}/{id}`]: [
    { url: `${CONFIGS}/TemporaryAccessPass`, status: 200, expect: entity('authenticationMethodConfiguration', `${CONFIGS.slice(1)}/$entity`) },
    { url: `${CONFIGS}/Nope`, status: 404 },
  ],
  [`GET ${CONFIGS}/VerifiableCredentials`]: [
    {
      url: `${CONFIGS}/VerifiableCredentials`,
      version: 'v1.0',
      status: 200,
      expect: entity('verifiableCredentialsAuthenticationMethodConfiguration', `${CONFIGS.slice(1)}/$entity`),
    },
    // "This method does not support optional query parameters" (verifiablecredentialsauthenticationmethodconfiguration-get).
    { url: `${CONFIGS}/VerifiableCredentials?$select=id`, version: 'v1.0', status: 400 },
  ],
  'GET /identity/verifiedId/profiles': [
    { url: '/identity/verifiedId/profiles', version: 'v1.0', status: 200, expect: list('verifiedIdProfile', 'identity/verifiedId/profiles') },
    // identityverifiedidroot-list-profiles: "Optional query parameters: None."
    { url: '/identity/verifiedId/profiles?$top=1', version: 'v1.0', status: 400 },
  ],
  'GET /identity/conditionalAccess/policies': [
    { url: '/identity/conditionalAccess/policies', status: 200, expect: list('conditionalAccessPolicy', 'identity/conditionalAccess/policies') },
    { url: '/identity/conditionalAccess/policies?$expand=nope', status: 400 },
  ],
  'GET /identity/conditionalAccess/policies/{id}': readOne(
    '/identity/conditionalAccess/policies',
    'conditionalAccessPolicy',
    '0c1a0001-5e7d-4f3b-9a2c-00000000ca01',
    '00000000-0000-4000-8000-000000000000',
  ),
  'GET /identity/conditionalAccess/authenticationContextClassReferences': [
    {
      url: '/identity/conditionalAccess/authenticationContextClassReferences',
      status: 200,
      expect: list('authenticationContextClassReference', 'identity/conditionalAccess/authenticationContextClassReferences'),
    },
    { url: '/identity/conditionalAccess/authenticationContextClassReferences?$expand=nope', status: 400 },
  ],
};
