import { noOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { collectionResponse, contextUrl, entityResponse } from '../paging';
import type { VerifiedIdProfileRecord } from '../tenant-state';

/**
 * Account Recovery's configuration as Graph shows it (v1.0 only: the bot reads v1.0, and the trimmed beta metadata has
 * no verifiedIdProfile to check a beta answer against).
 *
 * - `GET /identity/verifiedId/profiles`: verifiedIdProfile, every property msgraph-metadata v1.0-Prod.csdl declares
 *   (https://learn.microsoft.com/graph/api/identityverifiedidroot-list-profiles: no optional query parameters).
 * - `GET .../authenticationMethodConfigurations/VerifiableCredentials`: who may use which profile. A profile holds no
 *   groups; the Verified ID method's includeTargets (verifiableCredentialAuthenticationMethodTarget, with the profile
 *   ids) and excludeTargets do (https://learn.microsoft.com/graph/api/verifiablecredentialsauthenticationmethodconfiguration-get).
 *   Its reference example (microsoft-graph-docs-contrib, ms.date 2026-04-29) shows includeTargets inline, each with
 *   `verifiedIdProfiles`, and method-wide excludeTargets; so each seed profile's `excludeGroups` become method-wide exclusions.
 *   The method is enabled when the tenant has a profile (the Account Recovery wizard creates both).
 *   Served on its own literal path: it is not in the authentication methods policy's list here (whether Graph lists it
 *   there was not checked), and the generic `{id}` route does not know it.
 */
function profileView(p: VerifiedIdProfileRecord): JsonObject {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    state: p.state,
    priority: p.priority,
    verifierDid: p.verifierDid,
    lastModifiedDateTime: p.lastModifiedDateTime,
    verifiedIdProfileConfiguration: {
      type: p.verifiedIdProfileConfiguration.type,
      acceptedIssuer: p.verifiedIdProfileConfiguration.acceptedIssuer,
      claimBindingSource: p.verifiedIdProfileConfiguration.claimBindingSource,
      claimBindings: p.verifiedIdProfileConfiguration.claimBindings.map((b) => ({ ...b })),
      claimValidation: { ...p.verifiedIdProfileConfiguration.claimValidation },
    },
    faceCheckConfiguration: { ...p.faceCheckConfiguration },
    verifiedIdUsageConfigurations: p.verifiedIdUsageConfigurations.map((u) => ({ ...u })),
  };
}

const CONFIG_PATH = 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations';
const TYPE = 'verifiableCredentialsAuthenticationMethodConfiguration';

function verifiableCredentialsView(ctx: RouteContext): JsonObject {
  const profiles = ctx.tenant.verifiedIdProfiles;
  const byGroup = new Map<string, string[]>();
  for (const p of profiles) for (const g of p.includeGroups) byGroup.set(g, [...(byGroup.get(g) ?? []), p.id]);
  const excluded = [...new Set(profiles.flatMap((p) => p.excludeGroups))];
  return {
    '@odata.type': `#microsoft.graph.${TYPE}`,
    id: 'VerifiableCredentials',
    state: profiles.length > 0 ? 'enabled' : 'disabled',
    excludeTargets: excluded.map((id) => ({ id, targetType: 'group' })),
    'includeTargets@odata.context': contextUrl(ctx, `${CONFIG_PATH}('VerifiableCredentials')/microsoft.graph.${TYPE}/includeTargets`),
    includeTargets: [...byGroup].map(([id, profileIds]) => ({ targetType: 'group', id, isRegistrationRequired: false, verifiedIdProfiles: profileIds })),
  };
}

function listProfiles(ctx: RouteContext): SimResponse {
  return collectionResponse(ctx, 'identity/verifiedId/profiles', ctx.tenant.verifiedIdProfiles.map(profileView));
}

export const verifiedIdProfileRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/identity/verifiedId/profiles',
    versions: ['v1.0'],
    query: noOptions('https://learn.microsoft.com/graph/api/identityverifiedidroot-list-profiles'),
    handler: listProfiles,
  },
  {
    method: 'GET',
    path: `/${CONFIG_PATH}/VerifiableCredentials`,
    versions: ['v1.0'],
    query: noOptions('https://learn.microsoft.com/graph/api/verifiablecredentialsauthenticationmethodconfiguration-get'),
    handler: (ctx) => entityResponse(ctx, `${CONFIG_PATH}/$entity`, verifiableCredentialsView(ctx)),
  },
];
