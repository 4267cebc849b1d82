import type { VerifiedIdProfileInfo } from './verified-id-profile';
/**
 * The readiness report: the recovery guidance's "Preparation and prevention" section checked against what the
 * directory says. Pure: the adapter reads the tenant into a ReadinessSnapshot, `assessReadiness` (readiness-checks.ts)
 * turns it into checks. Every source can be unreadable on its own, so a missing permission costs one check, not the
 * report.
 */

/** A source the report reads. `needs` names the permission (or licence) whose absence made it unreadable. */
export type Readable<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string; readonly needs?: string };

export const readable = <T>(value: T): Readable<T> => ({ ok: true, value });

/** One row of the authentication-methods registration report (userRegistrationDetails). */
export interface RegistrationRow {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly isAdmin: boolean;
  readonly isMfaCapable: boolean;
  readonly methodsRegistered: readonly string[];
  /** Guests register their methods in their home tenant; the user checks count members only. */
  readonly isGuest: boolean;
}

export interface RoleDefinitionInfo {
  readonly id: string;
  readonly displayName: string;
  readonly isBuiltIn: boolean;
  readonly allowedResourceActions: readonly string[];
}

/** An active role assignment, or a PIM eligibility, of one principal (user, group or service principal). */
export interface RoleHolder {
  readonly roleDefinitionId: string;
  readonly principalId: string;
}

export type CaPolicyState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

/** The parts of a Conditional Access policy the checks look at. */
export interface CaPolicyInfo {
  readonly id: string;
  readonly displayName: string;
  readonly state: CaPolicyState;
  readonly includeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  /** Users, groups and roles excluded: break-glass accounts are expected here, but they are counted. */
  readonly exclusions: number;
  readonly includeApplications: readonly string[];
  readonly includeUserActions: readonly string[];
  readonly includeAuthenticationContexts: readonly string[];
  readonly builtInControls: readonly string[];
  readonly authenticationStrength?: { readonly id: string; readonly displayName: string };
}

export interface TapPolicyInfo {
  readonly enabled: boolean;
  readonly defaultLifetimeInMinutes: number;
  readonly minimumLifetimeInMinutes: number;
  readonly maximumLifetimeInMinutes: number;
  readonly isUsableOnce: boolean;
}

/** A directory permission that can be made a protected action; `authenticationContextId` is set when it is one. */
export interface ProtectedActionInfo {
  readonly name: string;
  readonly authenticationContextId?: string;
}

/** Everything the checks need, read at one time. */
export interface ReadinessSnapshot {
  readonly readAt: string;
  readonly registrations: Readable<readonly RegistrationRow[]>;
  readonly roleDefinitions: Readable<readonly RoleDefinitionInfo[]>;
  /** Active assignments of the roles that can manage authentication methods (see `managesAuthenticationMethods`). */
  readonly activeAssignments: Readable<readonly RoleHolder[]>;
  /** PIM eligibilities of the same roles. */
  readonly eligibleAssignments: Readable<readonly RoleHolder[]>;
  readonly conditionalAccess: Readable<readonly CaPolicyInfo[]>;
  readonly tapPolicy: Readable<TapPolicyInfo>;
  /** The hard-delete permission as a resource action; undefined when the directory does not list it. */
  readonly hardDeleteAction: Readable<ProtectedActionInfo | undefined>;
  /** Entra ID Account Recovery's Verified ID profiles (GET /identity/verifiedId/profiles). */
  readonly verifiedIdProfiles: Readable<readonly VerifiedIdProfileInfo[]>;
}

/** `manual`: nothing the bot can read answers it; a person checks it (never counted as a pass). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unreadable' | 'manual';

export const CHECK_IDS = [
  'methods.twoOrMore',
  'methods.phishingResistant',
  'mfa.capableShare',
  'roles.authenticationAdmins',
  'roles.otherMethodManagers',
  'ca.mfaAllUsers',
  'ca.securityInfoRegistration',
  'ca.authenticationStrength',
  'tap.policy',
  'protectedActions.hardDelete',
  'accountRecovery.profile',
  'verifiedId.configured',
  'verifiedId.faceCheckAddOn',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];
/** The checks of the bot's own Verified ID set-up (readiness-verified-id.ts), from its configuration rather than the tenant. */
export type SetupCheckId = Extract<CheckId, `verifiedId.${string}`>;

export interface ReadinessCheck {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** One line with counts, never a list: it goes on the card whatever the tenant's size. */
  readonly summary: string;
  /** Named items behind the counts (users, role holders, policies), for the export only. */
  readonly items: readonly string[];
  /** What to do, and where Microsoft documents it. */
  readonly fix: { readonly text: string; readonly url: string };
  /** The recovery guidance's recommendation this check follows. */
  readonly recommendation: string;
}

export interface ReadinessReport {
  readonly readAt: string;
  readonly checks: readonly ReadinessCheck[];
}

/** Microsoft's recovery guidance, at its preparation and prevention section. */
export const GUIDANCE_URL = 'https://learn.microsoft.com/en-us/entra/backup/recover-user-secrets#preparation-and-prevention';

/** Built-in role template ids (the same in every tenant). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
} as const;

/** The directory permission a hard delete needs; the one to make a protected action. */
export const HARD_DELETE_ACTION = 'microsoft.directory/deletedItems/delete';

/**
 * Whether a role can change other users' authentication methods: any non-read task on
 * `microsoft.directory/users/authenticationMethods`, or every task on users. Reading methods, or resetting only a
 * password, does not count here.
 */
export function managesAuthenticationMethods(role: RoleDefinitionInfo): boolean {
  return role.allowedResourceActions.some((action) => {
    const a = action.toLowerCase();
    if (a === 'microsoft.directory/users/allproperties/alltasks') return true;
    if (!a.startsWith('microsoft.directory/users/authenticationmethods/')) return false;
    return !a.endsWith('read');
  });
}
