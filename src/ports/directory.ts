import type { MethodScope, VerifiedIdProfileInfo } from '../domain/account-recovery';
import type { AuditEvent, SignInEvent } from '../domain/audit';
import { ErrorCode } from '../domain/errors';
import type { GraphRequest, RecreateProfile } from '../domain/plan';
import type { AccountState, AuthMethod, DirectoryRole, EligibleGroup } from '../domain/target';
import type { TargetRef } from '../domain/target-ref';

/**
 * How long a call may go on retrying: the time left of the step that made it. Without one, the adapter's own limits
 * apply (retry counts, the per-request deadline).
 */
export interface CallBudget {
  readonly withinMs: number;
}

/**
 * The directory (Microsoft Graph, or the simulated tenant over the same HTTP API). Expected outcomes, like a user
 * that does not exist, are values; transport and permission failures throw DirectoryError.
 */
export interface Directory {
  /** Finds an account: active, soft-deleted (deleted items), or hard-deleted (audit log within `auditSince`). */
  findAccount(ref: TargetRef, auditSince: Date): Promise<AccountState | undefined>;
  listMethods(userId: string): Promise<readonly AuthMethod[]>;
  /**
   * The methods and the registration report together (one `$batch` round trip on Graph). Transient failures inside
   * the batch are retried within `budget`.
   */
  methodsAndDetails(
    userId: string,
    budget?: CallBudget,
  ): Promise<{ readonly methods: readonly AuthMethod[]; readonly details: RegistrationDetails | undefined }>;
  /** Directory roles held directly or through groups. */
  listRoles(userId: string): Promise<readonly DirectoryRole[]>;
  /**
   * Groups the user is eligible to join or own through PIM for Groups, each with its roles. A tenant without PIM (no
   * Entra ID P2) has none; any other failure throws, and the caller counts the target as privileged.
   */
  eligibleGroups(userId: string): Promise<readonly EligibleGroup[]>;
  /** Of `groupIds`, the ones the user belongs to, transitively. */
  memberOf(userId: string, groupIds: readonly string[]): Promise<readonly string[]>;
  /** The users in the groups, transitively (nested groups expanded), each once. */
  groupMembers(groupIds: readonly string[]): Promise<readonly { id: string; displayName: string }[]>;

  /** Directory audit records that target the user, since a time, oldest first. */
  listAudit(userId: string, since: Date): Promise<readonly AuditEvent[]>;
  /** The user's sign-ins since a time, newest first. */
  listSignIns(userId: string, since: Date): Promise<readonly SignInEvent[]>;
  /** Registration state from the authentication-methods report; undefined when the user is not in it. */
  registrationDetails(userId: string): Promise<RegistrationDetails | undefined>;
  /** Enabled Conditional Access policies that include the user (directly, through All, or a group), by name. */
  conditionalAccessPoliciesFor(userId: string): Promise<readonly string[]>;
  tapPolicy(): Promise<TapPolicy>;

  // Account Recovery prerequisites (domain/account-recovery.ts): reads only; the recovery itself is the user's.
  /** The tenant's Verified ID profiles (GET /identity/verifiedId/profiles). */
  verifiedIdProfiles(): Promise<readonly VerifiedIdProfileInfo[]>;
  /** Who may use which Verified ID profile: the Verified ID authentication-method configuration's targets. */
  verifiedIdScope(): Promise<MethodScope>;
  /** Who the Temporary Access Pass method includes and excludes (the same read as tapPolicy). */
  tapScope(): Promise<MethodScope>;
  /**
   * The names Account Recovery matches against the ID document, and the last sign-in (it is offered only to accounts
   * with prior sign-ins). Undefined when the user does not exist.
   */
  recoveryProfile(userId: string): Promise<RecoveryProfile | undefined>;

  // Writes. Each is idempotent: repeating one that already took effect succeeds (a deleted method is gone, a
  // restored user is present). Each returns the Graph request id(s) for the record.
  restoreUser(userId: string): Promise<WriteResult>;
  /** Creates the user with a random password no one sees; a later step sets the password the agent reveals. */
  createUser(profile: RecreateProfile, initialPassword: string): Promise<WriteResult & { readonly userId: string }>;
  /** Deletes one method through its per-type request (see plan.deleteRequest). 404 counts as success. */
  deleteMethod(request: GraphRequest): Promise<WriteResult>;
  /**
   * Deletes methods in the order given (plan.deletionOrder), as one ordered `$batch` chain on Graph: one round trip
   * however many methods. A 404 counts as done; a transient failure (429, 502, 503, 504) is retried within `budget`,
   * resending only what did not succeed; the first other failure throws.
   */
  deleteMethods(requests: readonly GraphRequest[], budget?: CallBudget): Promise<WriteResult & { readonly deleted: number }>;
  revokeSessions(userId: string): Promise<WriteResult>;
  setPassword(userId: string, password: string, forceChangeAtNextSignIn: boolean): Promise<WriteResult>;
  /**
   * Issues the pass to show. A create is never simply sent again (a second one replaces the first): after a create whose
   * answer was lost, the pass it may have made is deleted before the next, and the result is read back.
   */
  createTap(userId: string, options: { lifetimeInMinutes: number; isUsableOnce: boolean }): Promise<IssuedTap>;
}

/** A pass just made: the value is for the requesting agent only, never stored or logged. */
export interface IssuedTap extends WriteResult {
  readonly pass: string;
  readonly expiresAt: string;
  readonly lifetimeInMinutes: number;
  /** The pass's method id (not secret). */
  readonly methodId: string;
  /** Passes made by this call's own lost attempts (nobody saw them) and deleted before the one returned. */
  readonly unseenDeleted: number;
}

export interface WriteResult {
  readonly requestIds: readonly string[];
  /** True when the change had already been made (e.g. a 404 on delete): nothing changed this time. */
  readonly alreadyDone: boolean;
}

export interface RegistrationDetails {
  readonly isMfaRegistered: boolean;
  readonly isMfaCapable: boolean;
  readonly isSsprRegistered: boolean;
  readonly isSsprEnabled: boolean;
  readonly isPasswordlessCapable: boolean;
  readonly methodsRegistered: readonly string[];
  readonly userPreferredMethodForSecondaryAuthentication?: string;
}

export interface RecoveryProfile {
  readonly givenName?: string;
  readonly surname?: string;
  /** The last sign-in (`last` absent: never signed in), or `readable: false` when Graph would not say (no AuditLog.Read.All or P1). */
  readonly signIn: { readonly readable: true; readonly last?: string } | { readonly readable: false };
}

export interface TapPolicy {
  readonly enabled: boolean;
  readonly minimumLifetimeInMinutes: number;
  readonly maximumLifetimeInMinutes: number;
  readonly defaultLifetimeInMinutes: number;
  readonly isUsableOnce: boolean;
}

export type DirectoryFailure = 'denied' | 'throttled' | 'unavailable' | 'notFound' | 'badRequest';

const DEFAULT_CODES: Record<DirectoryFailure, ErrorCode> = {
  denied: ErrorCode.DirectoryDenied,
  throttled: ErrorCode.DirectoryThrottled,
  unavailable: ErrorCode.DirectoryUnavailable,
  notFound: ErrorCode.DirectoryNotFound,
  badRequest: ErrorCode.DirectoryBadRequest,
};

/**
 * A directory call failed. `failure` is what callers branch on; `code` is the stable code people see (one per kind of
 * Graph failure: DIRECTORY.DENIED, DIRECTORY.TAP_POLICY, ...). `requestId` lets an admin find the call in Graph's logs;
 * the message is safe to show and says what to do.
 */
export class DirectoryError extends Error {
  readonly code: ErrorCode;
  constructor(
    readonly failure: DirectoryFailure,
    message: string,
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
    code?: ErrorCode,
  ) {
    super(message);
    this.name = 'DirectoryError';
    this.code = code ?? DEFAULT_CODES[failure];
  }
}
