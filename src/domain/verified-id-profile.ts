/**
 * Entra ID Account Recovery's configuration as the directory shows it, apart from the checks on it
 * (account-recovery.ts) so that the readiness snapshot can hold it without a cycle.
 */

/** A Verified ID profile (Graph v1.0 verifiedIdProfile), reduced to what the prerequisites look at. */
export interface VerifiedIdProfileInfo {
  readonly id: string;
  readonly name: string;
  /** `enabled`, `disabled` (or a value Graph adds later, which counts as not enabled). */
  readonly state: string;
  /** The profile's usage configurations: `purpose` is `recovery`, `onboarding` or `all`; `isEnabledForTestOnly` is Evaluation mode. */
  readonly usages: readonly { readonly purpose: string; readonly isEnabledForTestOnly: boolean }[];
  readonly faceCheckEnabled: boolean;
  /** Lower first, when several profiles could apply (Graph: "processing priority"); absent sorts last. */
  readonly priority?: number;
}

/** Who an authentication-method configuration includes and excludes (includeTargets / excludeTargets). */
export interface MethodScope {
  /** The configuration's `state` is `enabled`. */
  readonly enabled: boolean;
  /**
   * `id` is a group id, a user id, or `all_users`. For the Verified ID method, `profileIds` are the Verified ID profiles
   * the target may use (verifiableCredentialAuthenticationMethodTarget.verifiedIdProfiles).
   */
  readonly include: readonly { readonly targetType: string; readonly id: string; readonly profileIds?: readonly string[] }[];
  readonly exclude: readonly { readonly targetType: string; readonly id: string }[];
}

/** The special include target meaning every user (authenticationMethodTarget id in Graph's examples). */
export const ALL_USERS = 'all_users';
