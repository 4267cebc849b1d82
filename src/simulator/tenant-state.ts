import type { ParsedSeed, SeedAudit, SeedBackupSnapshot, SeedMethod, SeedUser } from './seed-schema';
import type { Resolved } from './seed-time';
import type { SignInRecord } from './sign-in-record';

export type PasswordMethod = { type: 'password'; id: string; createdDateTime: string };
export type StoredMethod = Resolved<SeedMethod> | PasswordMethod;
export type TapMethod = Extract<StoredMethod, { type: 'temporaryAccessPass' }>;
export type PhoneMethod = Extract<StoredMethod, { type: 'phone' }>;

/** What an admin password reset leaves behind: when, and the flags. Never the password. */
export interface PasswordResetRecord {
  resetDateTime: string;
  forceChangePasswordNextSignIn: boolean;
  forceChangePasswordNextSignInWithMfa: boolean;
}

export type UserRecord = Omit<Resolved<SeedUser>, 'methods' | 'deletedDateTime' | 'backup'> & {
  passwordReset: PasswordResetRecord | null;
  signInSessionsValidFromDateTime: string;
  /** When the user's registration (methods, default) last changed: userRegistrationDetails.lastUpdatedDateTime. */
  registrationUpdatedDateTime: string;
};

/** A soft-deleted user: the UPN carries the object id prefix, as Entra does; the original is kept for restore. */
export type DeletedUserRecord = UserRecord & { deletedDateTime: string; originalUserPrincipalName: string };

export type GroupRecord = Resolved<ParsedSeed['groups'][number]>;
export type RoleDefinitionRecord = ParsedSeed['roleDefinitions'][number];
export type RoleAssignmentRecord = ParsedSeed['roleAssignments'][number];
export type RoleEligibilityRecord = Resolved<ParsedSeed['roleEligibilitySchedules'][number]>;
export type GroupEligibilityRecord = Resolved<ParsedSeed['groupEligibilitySchedules'][number]>;
export type AuthenticationContextRecord = ParsedSeed['authenticationContexts'][number];
export type AuthMethodsPolicyRecord = Resolved<ParsedSeed['authenticationMethodsPolicy']>;
export type CaPolicyRecord = Resolved<ParsedSeed['conditionalAccessPolicies'][number]>;
export type AuditRecord = Resolved<SeedAudit>;
export type VerifiedIdProfileRecord = Resolved<ParsedSeed['verifiedIdProfiles'][number]>;
/** A daily backup of one user's methods (Microsoft Entra Backup and Recovery), as the seed gives it. */
export type BackupSnapshot = Resolved<SeedBackupSnapshot>;
export type { SignInRecord };

/**
 * The simulated tenant's whole state. One object per running simulator, mutated by the handlers; a reset refills the
 * same object so that a test holding `sim.tenant` keeps seeing the live state.
 */
export interface TenantState {
  tenant: ParsedSeed['tenant'];
  callerApp: ParsedSeed['callerApp'];
  users: Map<string, UserRecord>;
  deletedUsers: Map<string, DeletedUserRecord>;
  /** By user id. Kept while a user is soft-deleted (a restore brings them back); dropped on hard delete. */
  methods: Map<string, StoredMethod[]>;
  /** By user id: daily backup snapshots of the user's methods, oldest first. */
  backups: Map<string, BackupSnapshot[]>;
  groups: Map<string, GroupRecord>;
  roleDefinitions: RoleDefinitionRecord[];
  roleAssignments: RoleAssignmentRecord[];
  /** PIM eligibilities; not active assignments (roleAssignments), so they give no role until activated. */
  roleEligibilitySchedules: RoleEligibilityRecord[];
  /** PIM for Groups eligibilities: not memberships (groups.members), so they give nothing until activated. */
  groupEligibilitySchedules: GroupEligibilityRecord[];
  authenticationContexts: AuthenticationContextRecord[];
  /** Protected actions: directory permission name → authentication context id. */
  protectedActions: Record<string, string>;
  authenticationMethodsPolicy: AuthMethodsPolicyRecord;
  conditionalAccessPolicies: CaPolicyRecord[];
  /** In the order written; readers sort. */
  audits: AuditRecord[];
  signIns: SignInRecord[];
  verifiedIdProfiles: VerifiedIdProfileRecord[];
  /** User id → manager's user id (GET /users/{id}/manager). */
  managers: Map<string, string>;
  /** Mail accepted by POST /users/{sender}/sendMail, oldest first: the demo has no Exchange, so it is kept here to be read. */
  outbox: SentMail[];
}

/** One message sendMail accepted (202): what was asked to be sent, by whom, when. */
export interface SentMail {
  readonly at: string;
  /** The sending mailbox's UPN. */
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly contentType: 'text' | 'html';
  readonly content: string;
}

/** The prefix Entra puts in front of a deleted user's UPN: the object id without hyphens. */
export function deletedUpn(id: string, upn: string): string {
  return `${id.replace(/-/g, '')}${upn}`;
}

/** Finds an active user by object id or UPN (case-insensitive), as `/users/{id | userPrincipalName}` does. */
export function findUser(state: TenantState, key: string): UserRecord | undefined {
  const byId = state.users.get(key.toLowerCase());
  if (byId) return byId;
  const upn = key.toLowerCase();
  for (const u of state.users.values()) if (u.userPrincipalName.toLowerCase() === upn) return u;
  return undefined;
}

export function methodsOf(state: TenantState, userId: string): StoredMethod[] {
  let list = state.methods.get(userId);
  if (!list) {
    list = [];
    state.methods.set(userId, list);
  }
  return list;
}
