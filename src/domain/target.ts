import { extraApprovals, MAX_REQUIRED_APPROVALS, type FlaggedRisk, type RiskCode } from './risk-types';
/**
 * What we know about the user being recovered, as the directory reports it. These are plain data: the Directory
 * port fills them, views render them, the workflow decides on them.
 */

/** The method families of the guidance's usability table, as Graph names them (the `@odata.type` without prefix). */
export type MethodType =
  | 'password'
  | 'phone'
  | 'email'
  | 'microsoftAuthenticator'
  | 'fido2'
  | 'windowsHelloForBusiness'
  | 'platformCredential'
  | 'softwareOath'
  | 'hardwareOath'
  | 'temporaryAccessPass'
  | 'externalAuthentication'
  | 'qrCodePin'
  | 'certificateBased'
  | 'unknown';

export interface AuthMethod {
  readonly id: string;
  readonly type: MethodType;
  /** A human detail: a masked phone number, a device name, a key model. Never a secret. */
  readonly detail: string;
  readonly createdDateTime?: string;
}

export interface DirectoryRole {
  readonly roleDefinitionId: string;
  readonly displayName: string;
  /**
   * How the role is held: directly, through a role-assignable group, or through a group the user is eligible to join
   * or own through PIM for Groups (`pimGroup`: the user can activate that membership, and with it the group's roles).
   */
  readonly via: 'direct' | 'group' | 'pimGroup';
  /** Eligible through PIM (can activate it at any time) rather than active; absent means active. */
  readonly assignment?: 'eligible';
  /** For `pimGroup`: the name of the group that holds the role. */
  readonly group?: string;
}

/**
 * A group the user is eligible to join (or own: an owner can add itself) through PIM for Groups. It can activate that
 * at any time, so it is as privileged as a member: `roles` are the group's roles (active or eligible), as the user's.
 */
export interface EligibleGroup {
  readonly id: string;
  readonly displayName: string;
  readonly access: 'member' | 'owner';
  readonly roles: readonly DirectoryRole[];
}

export interface UserProfile {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly accountEnabled?: boolean;
  readonly jobTitle?: string;
  readonly department?: string;
  readonly onPremisesSyncEnabled?: boolean;
  readonly lastSignInDateTime?: string;
  readonly lastSuccessfulSignInDateTime?: string;
}

/** Where the account stands. A hard-deleted account is known only from the audit log. */
export type AccountState =
  | { readonly kind: 'active'; readonly user: UserProfile }
  | { readonly kind: 'softDeleted'; readonly user: UserProfile; readonly deletedDateTime: string }
  | {
      readonly kind: 'hardDeleted';
      readonly id: string;
      readonly displayName: string;
      readonly userPrincipalName: string;
      readonly hardDeletedDateTime: string;
    };

/** The intake snapshot posted when a case opens. */
export interface TargetSnapshot {
  readonly account: AccountState;
  /** Present only for active accounts: methods of deleted users can't be listed until the user is restored. */
  readonly methods?: readonly AuthMethod[];
  readonly roles: readonly DirectoryRole[];
  /**
   * Why the target counts as privileged besides its roles: a member of the bot's own helpdesk or approver groups (a
   * takeover of an approver's account is how one approval becomes two), of a configured privileged-target group, or a
   * read that failed (then it counts as privileged, and says so).
   */
  readonly privilegeNotes?: readonly string[];
  /**
   * The target's manager (Graph's `manager`), told of the recovery out of band: the person, `none` when the directory
   * has none, `unread` when the read failed (the case goes on; the notice says so). Absent on cases stored before.
   */
  readonly manager?: { readonly id: string; readonly displayName: string; readonly userPrincipalName: string } | 'none' | 'unread';
  readonly takenAt: string;
}

/** Every reason the target counts as privileged, as people read them on the cards; empty for an ordinary user. */
export function privilegeReasons(s: Pick<TargetSnapshot, 'roles' | 'privilegeNotes'>): string[] {
  const role = (r: DirectoryRole): string => {
    if (r.via === 'pimGroup') return `eligible for ${r.displayName} through PIM for Groups (${r.group ?? 'a group'})`;
    return r.assignment === 'eligible'
      ? `eligible for ${r.displayName} through PIM${r.via === 'group' ? ' (through a group)' : ''}`
      : `holds ${r.displayName}${r.via === 'group' ? ' through a group' : ''}`;
  };
  return [...s.roles.map(role), ...(s.privilegeNotes ?? [])];
}

/** A privileged target needs two approvals from the privileged approvers: the one home of that rule's condition. */
export function isPrivilegedSnapshot(s: Pick<TargetSnapshot, 'roles' | 'privilegeNotes'>): boolean {
  return privilegeReasons(s).length > 0;
}

/**
 * Who decides a recovery of this target, the one home of that rule: one approval from the approver groups, or two from
 * the privileged approver groups when the target is privileged; each helpdesk-attack risk that raises approvals
 * (helpdesk-risk.ts) adds its count, from the same groups, capped at MAX_REQUIRED_APPROVALS. `raisedBy` names those
 * risks, so the approval card can say why more approvals are needed.
 */
export function approvalRule(
  s: Pick<TargetSnapshot, 'roles' | 'privilegeNotes'>,
  risks: readonly FlaggedRisk[] = [],
): {
  readonly required: number;
  readonly approvers: 'approvers' | 'privilegedApprovers';
  readonly raisedBy: readonly RiskCode[];
} {
  const base = isPrivilegedSnapshot(s) ? { required: 2, approvers: 'privilegedApprovers' as const } : { required: 1, approvers: 'approvers' as const };
  const raisedBy = risks.filter((r) => r.consequence.kind === 'raiseApprovals').map((r) => r.code);
  return { ...base, required: Math.min(MAX_REQUIRED_APPROVALS, Math.max(base.required, base.required + extraApprovals(risks))), raisedBy };
}

export function targetId(account: AccountState): string {
  return account.kind === 'hardDeleted' ? account.id : account.user.id;
}
export function targetUpn(account: AccountState): string {
  return account.kind === 'hardDeleted' ? account.userPrincipalName : account.user.userPrincipalName;
}
export function targetDisplayName(account: AccountState): string {
  return account.kind === 'hardDeleted' ? account.displayName : account.user.displayName;
}
