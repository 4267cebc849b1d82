import type { AccountState, AuthMethod, DirectoryRole } from '../domain/target';
import type { TargetRef } from '../domain/target-ref';

/**
 * The directory (Microsoft Graph, or the simulated tenant over the same HTTP API). Expected outcomes, like a user
 * that does not exist, are values; transport and permission failures throw DirectoryError.
 */
export interface Directory {
  /** Finds an account: active, soft-deleted (deleted items), or hard-deleted (audit log within `auditSince`). */
  findAccount(ref: TargetRef, auditSince: Date): Promise<AccountState | undefined>;
  listMethods(userId: string): Promise<readonly AuthMethod[]>;
  /** Directory roles held directly or through groups. */
  listRoles(userId: string): Promise<readonly DirectoryRole[]>;
  /** Of `groupIds`, the ones the user belongs to, transitively. */
  memberOf(userId: string, groupIds: readonly string[]): Promise<readonly string[]>;
}

export type DirectoryFailure = 'denied' | 'throttled' | 'unavailable' | 'notFound' | 'badRequest';

/** A directory call failed. `requestId` lets an admin find the call in Graph's logs; the message is safe to show. */
export class DirectoryError extends Error {
  constructor(
    readonly failure: DirectoryFailure,
    message: string,
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}
