import { directoryErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { Json, JsonObject } from '../json';
import { roleDefinitionIdsOf } from '../membership';
import { systemPreferredMethod } from '../method-rules';
import type { FilterProperty, FilterSchema } from '../odata-filter-eval';
import { readFilter, readOrderBy, readSkipToken } from '../odata-query';
import { collectionResponse, entityResponse } from '../paging';
import { param } from '../route-helpers';
import { methodsOf, type StoredMethod, type TenantState, type UserRecord } from '../tenant-state';

const flag: FilterProperty = { type: 'boolean', ops: ['eq'] };
const REGISTRATION_FILTER: FilterSchema = {
  resource: 'userRegistrationDetails',
  properties: {
    id: { type: 'string', ops: ['eq', 'in'] },
    userPrincipalName: { type: 'string', ops: ['eq', 'startswith'] },
    userDisplayName: { type: 'string', ops: ['eq', 'startswith'] },
    userType: { type: 'string', ops: ['eq'] },
    userPreferredMethodForSecondaryAuthentication: { type: 'string', ops: ['eq'] },
    isAdmin: flag,
    isMfaCapable: flag,
    isMfaRegistered: flag,
    isPasswordlessCapable: flag,
    isSsprCapable: flag,
    isSsprEnabled: flag,
    isSsprRegistered: flag,
    isSystemPreferredAuthenticationMethodEnabled: flag,
  },
  collections: { methodsRegistered: { '': { type: 'string', ops: ['eq'] } }, systemPreferredAuthenticationMethods: { '': { type: 'string', ops: ['eq'] } } },
};

/** The report's name for a registered method, or undefined for methods the report does not list. */
function registeredName(m: StoredMethod): string | undefined {
  switch (m.type) {
    case 'phone':
      return { mobile: 'mobilePhone', alternateMobile: 'alternateMobilePhone', office: 'officePhone' }[m.phoneType];
    case 'microsoftAuthenticator':
      return 'microsoftAuthenticatorPush';
    case 'softwareOath':
      return 'softwareOneTimePasscode';
    case 'hardwareOath':
      return 'hardwareOneTimePasscode';
    case 'fido2':
      return 'fido2';
    case 'windowsHelloForBusiness':
      return 'windowsHelloForBusiness';
    case 'email':
      return 'email';
    case 'temporaryAccessPass':
      return 'temporaryAccessPass';
    case 'platformCredential':
      return 'macOsSecureEnclaveKey';
    case 'password':
    case 'externalAuthentication':
    case 'qrCodePin':
      return undefined;
  }
}

const MFA_TYPES: ReadonlySet<StoredMethod['type']> = new Set([
  'phone',
  'microsoftAuthenticator',
  'softwareOath',
  'hardwareOath',
  'fido2',
  'windowsHelloForBusiness',
  'platformCredential',
  'externalAuthentication',
]);
const PASSWORDLESS_TYPES: ReadonlySet<StoredMethod['type']> = new Set(['fido2', 'windowsHelloForBusiness', 'platformCredential']);
const SSPR_TYPES: ReadonlySet<StoredMethod['type']> = new Set(['phone', 'email', 'microsoftAuthenticator', 'softwareOath']);
/** Which authentication-methods-policy configuration governs each type (for the "capable" flags). */
const POLICY_OF: Partial<Record<StoredMethod['type'], string>> = {
  fido2: 'Fido2',
  microsoftAuthenticator: 'MicrosoftAuthenticator',
  phone: 'Sms',
  email: 'Email',
  softwareOath: 'SoftwareOath',
  hardwareOath: 'HardwareOath',
  temporaryAccessPass: 'TemporaryAccessPass',
  qrCodePin: 'QRCodePin',
};

/** userRegistrationDetails computed live from the user's current methods and roles. */
export function registrationDetails(state: TenantState, user: UserRecord): JsonObject {
  const methods = methodsOf(state, user.id);
  const states = state.authenticationMethodsPolicy.methodStates as Record<string, string | undefined>;
  const allowed = (m: StoredMethod): boolean => {
    const config = POLICY_OF[m.type];
    return config === undefined || states[config] !== 'disabled';
  };
  const mfa = methods.filter((m) => MFA_TYPES.has(m.type));
  const passwordless = methods.filter((m) => PASSWORDLESS_TYPES.has(m.type));
  const sspr = state.authenticationMethodsPolicy.sspr;
  const ssprRegistered = methods.filter((m) => SSPR_TYPES.has(m.type)).length >= sspr.requiredMethods;
  const system = systemPreferredMethod(methods);
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: user.userType === 'Guest' ? 'guest' : 'member',
    isAdmin: roleDefinitionIdsOf(state, user.id).size > 0,
    isSsprRegistered: ssprRegistered,
    isSsprEnabled: sspr.enabled,
    isSsprCapable: sspr.enabled && ssprRegistered,
    isMfaRegistered: mfa.length > 0,
    isMfaCapable: mfa.some(allowed),
    isPasswordlessCapable: passwordless.some(allowed),
    methodsRegistered: [...new Set(methods.map(registeredName).filter((n): n is string => n !== undefined))],
    isSystemPreferredAuthenticationMethodEnabled: user.isSystemPreferredAuthenticationMethodEnabled,
    systemPreferredAuthenticationMethods: system === 'none' ? [] : [system],
    userPreferredMethodForSecondaryAuthentication: user.userPreferredMethodForSecondaryAuthentication,
    lastUpdatedDateTime: user.registrationUpdatedDateTime,
  };
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function listRegistrations(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$skiptoken', '$orderby']);
  const matches = readFilter(ctx, REGISTRATION_FILTER);
  const order = readOrderBy(ctx, ['userPrincipalName', 'userDisplayName'], { property: 'userPrincipalName', descending: false });
  const key = order.property;
  const fragment = 'reports/authenticationMethods/userRegistrationDetails';
  if (!matches) {
    // Without a filter only the requested page is computed: a 10,000-user tenant is read in 100 pages, and computing
    // every row for every page would make the whole read quadratic.
    const sortKey = (u: UserRecord): string => (key === 'userDisplayName' ? u.displayName : u.userPrincipalName).toLowerCase();
    const users = [...ctx.tenant.users.values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)) * (order.descending ? -1 : 1));
    const start = readSkipToken(ctx);
    const end = start + ctx.pageSize;
    // Rows outside the page are never sent (collectionResponse slices the same window), so they stay null.
    return collectionResponse(
      ctx,
      fragment,
      users.map((u, i) => (i >= start && i < end ? registrationDetails(ctx.tenant, u) : null)),
    );
  }
  const views = [...ctx.tenant.users.values()]
    .map((u) => registrationDetails(ctx.tenant, u))
    .filter((v) => matches(v))
    .sort((a, b) => text(a[key]).localeCompare(text(b[key])) * (order.descending ? -1 : 1));
  return collectionResponse(ctx, fragment, views);
}

function getRegistration(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const id = param(ctx, 'id');
  const user = ctx.tenant.users.get(id.toLowerCase());
  if (!user) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'reports/authenticationMethods/userRegistrationDetails/$entity', registrationDetails(ctx.tenant, user));
}

export const reportRoutes: readonly Route[] = [
  // "supports only the $filter and $orderBy OData query parameters": no $top.
  {
    method: 'GET',
    path: '/reports/authenticationMethods/userRegistrationDetails',
    query: { page: 'https://learn.microsoft.com/graph/api/authenticationmethodsroot-list-userregistrationdetails', options: ['$filter', '$orderby'] },
    handler: listRegistrations,
  },
  {
    method: 'GET',
    path: '/reports/authenticationMethods/userRegistrationDetails/{id}',
    query: noOptions('https://learn.microsoft.com/graph/api/userregistrationdetails-get'),
    handler: getRegistration,
  },
];
