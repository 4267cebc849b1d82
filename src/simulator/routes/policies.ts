import { directoryErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { collectionResponse, contextUrl, entityResponse } from '../paging';
import { param } from '../route-helpers';
import { METHOD_CONFIGURATION_IDS } from '../seed-schema';
import type { CaPolicyRecord } from '../tenant-state';

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

/** Configurations whose type only beta has (msgraph-metadata: no hardwareOathAuthenticationMethodConfiguration in v1.0). */
const BETA_ONLY_CONFIGURATIONS: ReadonlySet<string> = new Set(['HardwareOath']);

/** The configurations a version lists. */
function configurationIds(ctx: RouteContext): (typeof METHOD_CONFIGURATION_IDS)[number][] {
  return METHOD_CONFIGURATION_IDS.filter((id) => ctx.version === 'beta' || !BETA_ONLY_CONFIGURATIONS.has(id));
}

/** A feature of the Authenticator configuration left at Microsoft's default, for all users. */
const MICROSOFT_MANAGED = {
  state: 'default',
  includeTarget: { targetType: 'group', id: 'all_users' },
  excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' },
};

/**
 * Each type's own properties, which Graph always sends, at the values its reference examples show
 * (https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-get,
 * microsoftauthenticatorauthenticationmethodconfiguration-get, authenticationmethodspolicy-get for QRCodePin).
 */
const TYPE_DEFAULTS: Partial<Record<(typeof METHOD_CONFIGURATION_IDS)[number], JsonObject>> = {
  Fido2: {
    isAttestationEnforced: true,
    isSelfServiceRegistrationAllowed: true,
    defaultPasskeyProfile: null,
    keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
  },
  MicrosoftAuthenticator: {
    isSoftwareOathEnabled: false,
    featureSettings: { displayAppInformationRequiredState: MICROSOFT_MANAGED, displayLocationInformationRequiredState: MICROSOFT_MANAGED },
  },
  Email: { allowExternalIdToUseEmailOtp: 'default' },
  QRCodePin: { pinLength: 8, standardQRCodeLifetimeInDays: 365 },
  Voice: { isOfficePhoneAllowed: false },
  X509Certificate: {
    certificateUserBindings: [],
    authenticationModeConfiguration: null,
    crlValidationConfiguration: { state: 'disabled', exemptedCertificateAuthoritiesSubjectKeyIdentifiers: [] },
    issuerHintsConfiguration: null,
    certificateAuthorityScopes: [],
  },
};

/** Properties of TYPE_DEFAULTS that beta's types lack (msgraph-metadata schemas/type-mappings/beta-entity-types.json). */
const NOT_IN_BETA: Partial<Record<(typeof METHOD_CONFIGURATION_IDS)[number], readonly string[]>> = { X509Certificate: ['crlValidationConfiguration'] };

/**
 * One configuration. Graph returns its `includeTargets` (a navigation property) inline with its own @odata.context, as
 * every reference example shows.
 */
function configurationView(ctx: RouteContext, id: (typeof METHOD_CONFIGURATION_IDS)[number]): JsonObject {
  const policy = ctx.tenant.authenticationMethodsPolicy;
  const type = CONFIG_TYPES[id];
  const view: JsonObject = {
    '@odata.type': `#microsoft.graph.${type}`,
    id,
    state: policy.methodStates[id] ?? 'disabled',
    excludeTargets: [],
    ...Object.fromEntries(Object.entries(TYPE_DEFAULTS[id] ?? {}).filter(([k]) => ctx.version === 'v1.0' || !(NOT_IN_BETA[id] ?? []).includes(k))),
    'includeTargets@odata.context': contextUrl(
      ctx,
      `policies/authenticationMethodsPolicy/authenticationMethodConfigurations('${id}')/microsoft.graph.${type}/includeTargets`,
    ),
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
  const policy = ctx.tenant.authenticationMethodsPolicy;
  return entityResponse(ctx, 'policies/authenticationMethodsPolicy/$entity', {
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description:
      'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    lastModifiedDateTime: policy.lastModifiedDateTime,
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    reconfirmationInDays: null,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 1, state: 'default', excludeTargets: [], includeTargets: [] },
    },
    // Graph returns the configurations inline, with their own @odata.context (authenticationmethodspolicy-get example).
    'authenticationMethodConfigurations@odata.context': contextUrl(ctx, 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations'),
    authenticationMethodConfigurations: configurationIds(ctx).map((id) => configurationView(ctx, id)),
  });
}

function findConfiguration(ctx: RouteContext): (typeof METHOD_CONFIGURATION_IDS)[number] {
  const id = param(ctx, 'id');
  const match = configurationIds(ctx).find((c) => c.toLowerCase() === id.toLowerCase());
  if (!match) throw directoryErrors.notFound(id);
  return match;
}

/**
 * A Conditional Access policy. v1.0 has `templateId`, beta does not (msgraph-metadata v1.0-Prod.csdl, beta type
 * mappings). Graph returns grantControls.authenticationStrength inline with its own @odata.context (a navigation
 * property Graph expands itself: https://learn.microsoft.com/graph/api/conditionalaccesspolicy-get).
 */
function caPolicyView(ctx: RouteContext, p: CaPolicyRecord): JsonObject {
  const { conditions, grantControls } = p;
  return {
    id: p.id,
    ...(ctx.version === 'v1.0' ? { templateId: null } : {}),
    deletedDateTime: null,
    displayName: p.displayName,
    description: null,
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
      'authenticationStrength@odata.context': contextUrl(ctx, `identity/conditionalAccess/policies('${p.id}')/grantControls/authenticationStrength/$entity`),
      authenticationStrength: grantControls.authenticationStrength ? { ...grantControls.authenticationStrength } : null,
    },
  };
}

function listCaPolicies(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  return collectionResponse(
    ctx,
    'identity/conditionalAccess/policies',
    ctx.tenant.conditionalAccessPolicies.map((p) => caPolicyView(ctx, p)),
  );
}

function getCaPolicy(ctx: RouteContext): SimResponse {
  const id = param(ctx, 'id');
  const p = ctx.tenant.conditionalAccessPolicies.find((x) => x.id === id.toLowerCase());
  if (!p) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'identity/conditionalAccess/policies/$entity', caPolicyView(ctx, p));
}

function listAuthenticationContexts(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const views = ctx.tenant.authenticationContexts.map((c) => ({
    id: c.id,
    displayName: c.displayName,
    description: c.description,
    isAvailable: c.isAvailable,
  }));
  return collectionResponse(ctx, 'identity/conditionalAccess/authenticationContextClassReferences', views);
}

const CONFIGS = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations';

export const policyRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/policies/authenticationMethodsPolicy',
    query: noOptions('https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get'),
    handler: getMethodsPolicy,
  },
  {
    method: 'GET',
    path: CONFIGS,
    query: noOptions('https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy'),
    handler: (ctx) => {
      rejectUnimplementedOptions(ctx, []);
      return collectionResponse(
        ctx,
        CONFIGS.slice(1),
        configurationIds(ctx).map((id) => configurationView(ctx, id)),
      );
    },
  },
  {
    method: 'GET',
    path: `${CONFIGS}/{id}`,
    query: noOptions('https://learn.microsoft.com/graph/api/authenticationmethodconfiguration-get'),
    handler: (ctx) => entityResponse(ctx, `${CONFIGS.slice(1)}/$entity`, configurationView(ctx, findConfiguration(ctx))),
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/policies',
    query: {
      page: 'https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies',
      options: ['$count', '$filter', '$orderby', '$select', '$skip', '$top'],
    },
    handler: listCaPolicies,
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/policies/{id}',
    query: { page: 'https://learn.microsoft.com/graph/api/conditionalaccesspolicy-get', options: ['$select'] },
    handler: getCaPolicy,
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/authenticationContextClassReferences',
    query: { page: 'https://learn.microsoft.com/graph/api/conditionalaccessroot-list-authenticationcontextclassreferences', options: ['$filter'] },
    handler: listAuthenticationContexts,
  },
];
