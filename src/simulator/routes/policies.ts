import { directoryErrors } from '../errors';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { rejectUnsupportedOptions } from '../odata-query';
import { collectionResponse, contextUrl, entityResponse } from '../paging';
import { param } from '../route-helpers';
import { METHOD_CONFIGURATION_IDS } from '../seed-schema';
import type { CaPolicyRecord, TenantState } from '../tenant-state';

const CONFIG_TYPES: Record<(typeof METHOD_CONFIGURATION_IDS)[number], string> = {
  Fido2: 'fido2AuthenticationMethodConfiguration',
  MicrosoftAuthenticator: 'microsoftAuthenticatorAuthenticationMethodConfiguration',
  Sms: 'smsAuthenticationMethodConfiguration',
  Voice: 'voiceAuthenticationMethodConfiguration',
  Email: 'emailAuthenticationMethodConfiguration',
  SoftwareOath: 'softwareOathAuthenticationMethodConfiguration',
  HardwareOath: 'hardwareOathAuthenticationMethodConfiguration',
  TemporaryAccessPass: 'temporaryAccessPassAuthenticationMethodConfiguration',
  X509Certificate: 'x509CertificateAuthenticationMethodConfiguration',
  QRCodePin: 'qrCodePinAuthenticationMethodConfiguration',
};

const ALL_USERS_TARGET = [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }];

function configurationView(state: TenantState, id: (typeof METHOD_CONFIGURATION_IDS)[number]): JsonObject {
  const policy = state.authenticationMethodsPolicy;
  const view: JsonObject = {
    '@odata.type': `#microsoft.graph.${CONFIG_TYPES[id]}`,
    id,
    state: policy.methodStates[id] ?? 'disabled',
    excludeTargets: [],
    includeTargets: ALL_USERS_TARGET,
  };
  if (id !== 'TemporaryAccessPass') return view;
  const tap = policy.temporaryAccessPass;
  return {
    ...view,
    state: tap.state === 'enabled' && view.state === 'enabled' ? 'enabled' : 'disabled',
    defaultLifetimeInMinutes: tap.defaultLifetimeInMinutes,
    defaultLength: tap.defaultLength,
    minimumLifetimeInMinutes: tap.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: tap.maximumLifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
  };
}

function getMethodsPolicy(ctx: RouteContext): SimResponse {
  rejectUnsupportedOptions(ctx, ['$expand']);
  const policy = ctx.tenant.authenticationMethodsPolicy;
  return entityResponse(ctx, 'policies/authenticationMethodsPolicy/$entity', {
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    lastModifiedDateTime: policy.lastModifiedDateTime,
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 1, state: 'default', excludeTargets: [], includeTargets: [] } },
    'authenticationMethodConfigurations@odata.context': contextUrl(ctx, 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations'),
    authenticationMethodConfigurations: METHOD_CONFIGURATION_IDS.map((id) => configurationView(ctx.tenant, id)),
  });
}

function findConfiguration(ctx: RouteContext): (typeof METHOD_CONFIGURATION_IDS)[number] {
  const id = param(ctx, 'id');
  const match = METHOD_CONFIGURATION_IDS.find((c) => c.toLowerCase() === id.toLowerCase());
  if (!match) throw directoryErrors.notFound(id);
  return match;
}

function caPolicyView(p: CaPolicyRecord): JsonObject {
  const { conditions, grantControls } = p;
  return {
    id: p.id,
    templateId: null,
    displayName: p.displayName,
    createdDateTime: p.createdDateTime,
    modifiedDateTime: p.modifiedDateTime,
    state: p.state,
    sessionControls: null,
    conditions: {
      userRiskLevels: conditions.userRiskLevels,
      signInRiskLevels: conditions.signInRiskLevels,
      clientAppTypes: conditions.clientAppTypes,
      platforms: null,
      devices: null,
      locations: conditions.locations ? { ...conditions.locations } : null,
      applications: { ...conditions.applications },
      users: { ...conditions.users, includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null },
    },
    grantControls: {
      operator: grantControls.operator,
      builtInControls: grantControls.builtInControls,
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: grantControls.authenticationStrength ? { ...grantControls.authenticationStrength } : null,
    },
  };
}

function listCaPolicies(ctx: RouteContext): SimResponse {
  rejectUnsupportedOptions(ctx, []);
  return collectionResponse(ctx, 'identity/conditionalAccess/policies', ctx.tenant.conditionalAccessPolicies.map(caPolicyView));
}

function getCaPolicy(ctx: RouteContext): SimResponse {
  const id = param(ctx, 'id');
  const p = ctx.tenant.conditionalAccessPolicies.find((x) => x.id === id.toLowerCase());
  if (!p) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'identity/conditionalAccess/policies/$entity', caPolicyView(p));
}

function listAuthenticationContexts(ctx: RouteContext): SimResponse {
  rejectUnsupportedOptions(ctx, []);
  const views = ctx.tenant.authenticationContexts.map((c) => ({ id: c.id, displayName: c.displayName, description: c.description, isAvailable: c.isAvailable }));
  return collectionResponse(ctx, 'identity/conditionalAccess/authenticationContextClassReferences', views);
}

const CONFIGS = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations';

export const policyRoutes: readonly Route[] = [
  { method: 'GET', path: '/policies/authenticationMethodsPolicy', handler: getMethodsPolicy },
  { method: 'GET', path: CONFIGS, handler: (ctx) => collectionResponse(ctx, CONFIGS.slice(1), METHOD_CONFIGURATION_IDS.map((id) => configurationView(ctx.tenant, id))) },
  { method: 'GET', path: `${CONFIGS}/{id}`, handler: (ctx) => entityResponse(ctx, `${CONFIGS.slice(1)}/$entity`, configurationView(ctx.tenant, findConfiguration(ctx))) },
  { method: 'GET', path: '/identity/conditionalAccess/policies', handler: listCaPolicies },
  { method: 'GET', path: '/identity/conditionalAccess/policies/{id}', handler: getCaPolicy },
  { method: 'GET', path: '/identity/conditionalAccess/authenticationContextClassReferences', handler: listAuthenticationContexts },
];
