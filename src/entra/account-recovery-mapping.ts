import type { MethodScope, VerifiedIdProfileInfo } from '../domain/account-recovery';

/**
 * Graph's verifiedIdProfile (v1.0), as msgraph-metadata schemas/v1.0-Prod.csdl declares it; the SDK's type package
 * has no such type yet. https://learn.microsoft.com/graph/api/resources/verifiedidprofile
 */
export interface GraphVerifiedIdProfile {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly state?: string;
  readonly priority?: number | null;
  readonly verifierDid?: string;
  readonly lastModifiedDateTime?: string | null;
  readonly faceCheckConfiguration?: { readonly isEnabled?: boolean; readonly sourcePhotoClaimName?: string } | null;
  readonly verifiedIdUsageConfigurations?: readonly { readonly purpose?: string; readonly isEnabledForTestOnly?: boolean }[] | null;
}

/**
 * An authentication-method configuration's scope as Graph returns it: `includeTargets` inline (a navigation property
 * every reference example shows expanded), each a verifiableCredentialAuthenticationMethodTarget for the Verified ID
 * method (`verifiedIdProfiles`: GUIDs), and `excludeTargets` (excludeTarget). msgraph-metadata v1.0-Prod.csdl;
 * https://learn.microsoft.com/graph/api/resources/verifiablecredentialauthenticationmethodtarget
 */
export interface GraphMethodConfigurationScope {
  readonly state?: string | null;
  readonly includeTargets?: readonly { readonly id?: string; readonly targetType?: string; readonly verifiedIdProfiles?: readonly string[] | null }[] | null;
  readonly excludeTargets?: readonly { readonly id?: string; readonly targetType?: string }[] | null;
}

/** A usage missing `isEnabledForTestOnly` counts as test-only, a missing Face Check flag as off: absent is never a pass. */
export function toVerifiedIdProfileInfo(p: GraphVerifiedIdProfile): VerifiedIdProfileInfo {
  return {
    id: p.id ?? '',
    name: p.name ?? p.id ?? '',
    state: p.state ?? 'unknown',
    usages: (p.verifiedIdUsageConfigurations ?? []).map((u) => ({ purpose: u.purpose ?? 'unknown', isEnabledForTestOnly: u.isEnabledForTestOnly !== false })),
    faceCheckEnabled: p.faceCheckConfiguration?.isEnabled === true,
    ...(typeof p.priority === 'number' ? { priority: p.priority } : {}),
  };
}

/** A configuration whose `state` is missing counts as disabled. */
export function toMethodScope(c: GraphMethodConfigurationScope): MethodScope {
  return {
    enabled: c.state === 'enabled',
    include: (c.includeTargets ?? []).map((t) => ({
      targetType: t.targetType ?? 'unknown',
      id: t.id ?? '',
      ...(t.verifiedIdProfiles ? { profileIds: [...t.verifiedIdProfiles] } : {}),
    })),
    exclude: (c.excludeTargets ?? []).map((t) => ({ targetType: t.targetType ?? 'unknown', id: t.id ?? '' })),
  };
}
