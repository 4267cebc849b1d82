import { ALL_USERS, type MethodScope, type VerifiedIdProfileInfo } from '../../src/domain/account-recovery';
import type { AuditEvent, SignInEvent } from '../../src/domain/audit';
import { ErrorCode } from '../../src/domain/errors';
import { ALTERNATE_MOBILE_PHONE_ID, MOBILE_PHONE_ID, defaultMethodId, type GraphRequest, type RecreateProfile } from '../../src/domain/plan';
import type { AccountState, AuthMethod, DirectoryRole, EligibleGroup, UserProfile } from '../../src/domain/target';
import type { TargetRef } from '../../src/domain/target-ref';
import type { Clock } from '../../src/ports/clock';
import {
  DirectoryError,
  type CallBudget,
  type Directory,
  type IssuedTap,
  type RecoveryProfile,
  type RegistrationDetails,
  type TapPolicy,
  type WriteResult,
} from '../../src/ports/directory';

export interface FakeUser extends UserProfile {
  readonly mailNickname?: string;
  readonly givenName?: string;
  readonly surname?: string;
}

/** A change the directory made, in the order it made it. Calls that found the work already done are not writes. */
export type DirectoryWrite =
  | { readonly op: 'restoreUser'; readonly userId: string }
  | { readonly op: 'createUser'; readonly userId: string; readonly userPrincipalName: string }
  | { readonly op: 'deleteMethod'; readonly userId: string; readonly methodId: string; readonly type: AuthMethod['type'] }
  | { readonly op: 'revokeSessions'; readonly userId: string }
  | { readonly op: 'setPassword'; readonly userId: string; readonly password: string; readonly forceChange: boolean }
  | { readonly op: 'createTap'; readonly userId: string; readonly pass: string; readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean };

type Operation = keyof Directory;

/**
 * The Directory port in memory: users (active, soft-deleted, hard-deleted), methods, registration details, roles,
 * nested groups, audit records, sign-ins, Conditional Access and the TAP policy. It refuses what Graph refuses as the
 * port describes it (methods of a user that is not active, the default method while others remain, the mobile phone
 * before the alternate one, a TAP outside policy) and records every change in `writes`, every call in `calls`.
 * `failNext` makes the next calls of one operation throw, as a Graph failure would.
 */
export class InMemoryDirectory implements Directory {
  readonly calls: Operation[] = [];
  readonly writes: DirectoryWrite[] = [];
  /** The budgets the batched calls were given, in call order. */
  readonly budgets: { readonly op: 'methodsAndDetails' | 'deleteMethods'; readonly budget: CallBudget | undefined }[] = [];
  private readonly active = new Map<string, FakeUser>();
  private readonly softDeleted = new Map<string, { user: FakeUser; deletedDateTime: string }>();
  private readonly hardDeleted = new Map<string, { id: string; displayName: string; userPrincipalName: string; at: string }>();
  private readonly methods = new Map<string, AuthMethod[]>();
  private readonly details = new Map<string, RegistrationDetails>();
  private readonly roles = new Map<string, DirectoryRole[]>();
  /** By user id: groups the user is eligible to join or own through PIM for Groups. */
  readonly eligibleGroupsOf = new Map<string, EligibleGroup[]>();
  private readonly groups = new Map<string, string[]>();
  private readonly audit: AuditEvent[] = [];
  private readonly signIns = new Map<string, SignInEvent[]>();
  private readonly policies = new Map<string, string[]>();
  private readonly failures: Array<{ op: Operation; error: Error | 'hang'; times: number }> = [];
  private counter = 0;
  private passes = 0;
  tap: TapPolicy = { enabled: true, minimumLifetimeInMinutes: 10, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, isUsableOnce: true };
  /** Account Recovery: the tenant's Verified ID profiles and who may use them; none by default (not set up). */
  profiles: VerifiedIdProfileInfo[] = [];
  verifiedIdTargets: MethodScope = { enabled: false, include: [], exclude: [] };
  tapTargets: MethodScope = { enabled: true, include: [{ targetType: 'group', id: ALL_USERS }], exclude: [] };

  constructor(private readonly clock: Clock) {}

  // --- Seeding and inspection (the test's side) ---

  addUser(user: FakeUser, options: { methods?: AuthMethod[]; details?: RegistrationDetails; roles?: DirectoryRole[]; policies?: string[] } = {}): this {
    this.active.set(user.id, user);
    this.methods.set(user.id, [...(options.methods ?? [])]);
    if (options.details) this.details.set(user.id, options.details);
    if (options.roles) this.roles.set(user.id, options.roles);
    if (options.policies) this.policies.set(user.id, options.policies);
    return this;
  }

  softDelete(userId: string, at: string): this {
    const user = this.requireActive(userId);
    this.active.delete(userId);
    this.softDeleted.set(userId, { user, deletedDateTime: at });
    return this;
  }

  /** Gone for good; known only from the audit record the deletion left. */
  hardDelete(userId: string, at: string): this {
    const user = this.active.get(userId) ?? this.softDeleted.get(userId)?.user;
    if (!user) throw new Error(`no user ${userId} to hard-delete`);
    this.active.delete(userId);
    this.softDeleted.delete(userId);
    this.methods.delete(userId);
    this.hardDeleted.set(userId, { id: userId, displayName: user.displayName, userPrincipalName: user.userPrincipalName, at });
    this.addAudit({
      id: `audit-hard-delete-${userId}`,
      at,
      activity: 'Hard Delete user',
      result: 'success',
      actor: { kind: 'unknown' },
      details: [],
      targetIds: [userId],
    });
    return this;
  }

  /** A group whose members are user ids or other group ids (nested). */
  addGroup(groupId: string, members: readonly string[]): this {
    this.groups.set(groupId, [...members]);
    return this;
  }

  addAudit(...events: AuditEvent[]): this {
    this.audit.push(...events);
    return this;
  }

  addSignIn(userId: string, ...events: SignInEvent[]): this {
    this.signIns.set(userId, [...(this.signIns.get(userId) ?? []), ...events]);
    return this;
  }

  setDetails(userId: string, details: RegistrationDetails): this {
    this.details.set(userId, details);
    return this;
  }

  /** A method registered outside the case (the user with a TAP, or an attacker). */
  registerMethod(userId: string, method: AuthMethod): this {
    this.requireActive(userId);
    this.methods.set(userId, [...(this.methods.get(userId) ?? []), method]);
    return this;
  }

  /** The next `times` calls of `op` throw `error` ('hang': never answer, like a call stuck in Graph). */
  failNext(op: Operation, error: Error | 'hang', times = 1): this {
    this.failures.push({ op, error, times });
    return this;
  }

  methodsOf(userId: string): readonly AuthMethod[] {
    return this.methods.get(userId) ?? [];
  }

  isActive(userId: string): boolean {
    return this.active.has(userId);
  }

  /** The changes of one kind, for assertions such as "revoked exactly once". */
  writesOf<K extends DirectoryWrite['op']>(op: K): Extract<DirectoryWrite, { op: K }>[] {
    return this.writes.filter((w): w is Extract<DirectoryWrite, { op: K }> => w.op === op);
  }

  // --- Reads ---

  async findAccount(ref: TargetRef, auditSince: Date): Promise<AccountState | undefined> {
    await this.enter('findAccount');
    const matches = (u: { id: string; userPrincipalName: string }): boolean =>
      ref.kind === 'objectId' ? u.id.toLowerCase() === ref.id : u.userPrincipalName.toLowerCase() === ref.upn;
    const user = [...this.active.values()].find(matches);
    if (user) return { kind: 'active', user: profile(user) };
    const deleted = [...this.softDeleted.values()].find((d) => matches(d.user));
    if (deleted) return { kind: 'softDeleted', user: profile(deleted.user), deletedDateTime: deleted.deletedDateTime };
    const gone = [...this.hardDeleted.values()].find((h) => matches(h) && Date.parse(h.at) >= auditSince.getTime());
    return gone && { kind: 'hardDeleted', id: gone.id, displayName: gone.displayName, userPrincipalName: gone.userPrincipalName, hardDeletedDateTime: gone.at };
  }

  async listMethods(userId: string): Promise<readonly AuthMethod[]> {
    await this.enter('listMethods');
    this.requireActive(userId); // Graph lists no methods of a deleted user until it is restored.
    return [...this.methodsOf(userId)];
  }

  async methodsAndDetails(
    userId: string,
    budget?: CallBudget,
  ): Promise<{ readonly methods: readonly AuthMethod[]; readonly details: RegistrationDetails | undefined }> {
    this.budgets.push({ op: 'methodsAndDetails', budget });
    await this.enter('methodsAndDetails');
    this.requireActive(userId); // Graph lists no methods of a deleted user until it is restored.
    return { methods: [...this.methodsOf(userId)], details: this.details.get(userId) };
  }

  async listRoles(userId: string): Promise<readonly DirectoryRole[]> {
    await this.enter('listRoles');
    return this.roles.get(userId) ?? [];
  }

  async eligibleGroups(userId: string): Promise<readonly EligibleGroup[]> {
    await this.enter('eligibleGroups');
    return this.eligibleGroupsOf.get(userId) ?? [];
  }

  async memberOf(userId: string, groupIds: readonly string[]): Promise<readonly string[]> {
    await this.enter('memberOf');
    return groupIds.filter((g) => this.expand(g, new Set()).has(userId));
  }

  async groupMembers(groupIds: readonly string[]): Promise<readonly { id: string; displayName: string }[]> {
    await this.enter('groupMembers');
    const ids = new Set(groupIds.flatMap((g) => [...this.expand(g, new Set())]));
    return [...ids].flatMap((id) => {
      const user = this.active.get(id);
      return user ? [{ id, displayName: user.displayName }] : [];
    });
  }

  async listAudit(userId: string, since: Date): Promise<readonly AuditEvent[]> {
    await this.enter('listAudit');
    return this.audit.filter((e) => e.targetIds.includes(userId) && Date.parse(e.at) >= since.getTime()).sort((a, b) => a.at.localeCompare(b.at));
  }

  async listSignIns(userId: string, since: Date): Promise<readonly SignInEvent[]> {
    await this.enter('listSignIns');
    return (this.signIns.get(userId) ?? []).filter((s) => Date.parse(s.at) >= since.getTime()).sort((a, b) => b.at.localeCompare(a.at));
  }

  async registrationDetails(userId: string): Promise<RegistrationDetails | undefined> {
    await this.enter('registrationDetails');
    return this.details.get(userId);
  }

  async conditionalAccessPoliciesFor(userId: string): Promise<readonly string[]> {
    await this.enter('conditionalAccessPoliciesFor');
    return this.policies.get(userId) ?? [];
  }

  async tapPolicy(): Promise<TapPolicy> {
    await this.enter('tapPolicy');
    return this.tap;
  }

  async verifiedIdProfiles(): Promise<readonly VerifiedIdProfileInfo[]> {
    await this.enter('verifiedIdProfiles');
    return this.profiles;
  }

  async verifiedIdScope(): Promise<MethodScope> {
    await this.enter('verifiedIdScope');
    return this.verifiedIdTargets;
  }

  async tapScope(): Promise<MethodScope> {
    await this.enter('tapScope');
    return this.tapTargets;
  }

  async recoveryProfile(userId: string): Promise<RecoveryProfile | undefined> {
    await this.enter('recoveryProfile');
    const user = this.active.get(userId);
    if (!user) return undefined;
    return {
      ...(user.givenName ? { givenName: user.givenName } : {}),
      ...(user.surname ? { surname: user.surname } : {}),
      signIn: user.lastSignInDateTime ? { readable: true, last: user.lastSignInDateTime } : { readable: true },
    };
  }

  // --- Writes ---

  async restoreUser(userId: string): Promise<WriteResult> {
    await this.enter('restoreUser');
    const deleted = this.softDeleted.get(userId);
    if (deleted) {
      this.softDeleted.delete(userId);
      this.active.set(userId, deleted.user);
      return this.wrote({ op: 'restoreUser', userId });
    }
    if (this.active.has(userId)) return this.alreadyDone();
    throw new DirectoryError('notFound', 'The user is neither in deleted users nor active.', this.requestId());
  }

  async createUser(profile: RecreateProfile, _initialPassword: string): Promise<WriteResult & { readonly userId: string }> {
    await this.enter('createUser');
    const existing = [...this.active.values()].find((u) => u.userPrincipalName.toLowerCase() === profile.userPrincipalName.toLowerCase());
    if (existing) {
      if (existing.displayName !== profile.displayName || existing.mailNickname !== profile.mailNickname) {
        throw new DirectoryError('badRequest', 'Another account already uses this user principal name.', this.requestId());
      }
      return { ...this.alreadyDone(), userId: existing.id };
    }
    const userId = `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`;
    this.active.set(userId, {
      id: userId,
      displayName: profile.displayName,
      userPrincipalName: profile.userPrincipalName,
      mailNickname: profile.mailNickname,
      accountEnabled: true,
    });
    this.methods.set(userId, []);
    return { ...this.wrote({ op: 'createUser', userId, userPrincipalName: profile.userPrincipalName }), userId };
  }

  async deleteMethod(request: GraphRequest): Promise<WriteResult> {
    await this.enter('deleteMethod');
    return this.deleteOne(request);
  }

  async deleteMethods(requests: readonly GraphRequest[], budget?: CallBudget): Promise<WriteResult & { readonly deleted: number }> {
    this.budgets.push({ op: 'deleteMethods', budget });
    await this.enter('deleteMethods');
    const requestIds: string[] = [];
    let deleted = 0;
    for (const request of requests) {
      const r = this.deleteOne(request);
      requestIds.push(...r.requestIds);
      if (!r.alreadyDone) deleted++;
    }
    return { requestIds, alreadyDone: deleted === 0, deleted };
  }

  async revokeSessions(userId: string): Promise<WriteResult> {
    await this.enter('revokeSessions');
    this.requireActive(userId);
    return this.wrote({ op: 'revokeSessions', userId });
  }

  async setPassword(userId: string, password: string, forceChangeAtNextSignIn: boolean): Promise<WriteResult> {
    await this.enter('setPassword');
    this.requireActive(userId);
    return this.wrote({ op: 'setPassword', userId, password, forceChange: forceChangeAtNextSignIn });
  }

  async createTap(userId: string, options: { lifetimeInMinutes: number; isUsableOnce: boolean }): Promise<IssuedTap> {
    await this.enter('createTap');
    this.requireActive(userId);
    if (!this.tap.enabled || options.lifetimeInMinutes < this.tap.minimumLifetimeInMinutes || options.lifetimeInMinutes > this.tap.maximumLifetimeInMinutes) {
      throw new DirectoryError(
        'badRequest',
        'The Temporary Access Pass is outside the tenant\u2019s TAP policy.',
        this.requestId(),
        undefined,
        ErrorCode.DirectoryTapPolicy,
      );
    }
    const n = ++this.passes;
    const pass = `TAP-${String(n).padStart(4, '0')}`;
    const now = this.clock.now();
    // A user holds one TAP at most: Graph replaces an existing one.
    const others = this.methodsOf(userId).filter((m) => m.type !== 'temporaryAccessPass');
    this.methods.set(userId, [
      ...others,
      {
        id: `tap-${n}`,
        type: 'temporaryAccessPass',
        detail: `${options.isUsableOnce ? 'one-time' : 'multi-use'}, ${options.lifetimeInMinutes} min`,
        createdDateTime: now.toISOString(),
      },
    ]);
    const result = this.wrote({ op: 'createTap', userId, pass, lifetimeInMinutes: options.lifetimeInMinutes, isUsableOnce: options.isUsableOnce });
    return {
      ...result,
      pass,
      expiresAt: new Date(now.getTime() + options.lifetimeInMinutes * 60_000).toISOString(),
      lifetimeInMinutes: options.lifetimeInMinutes,
      methodId: `tap-${n}`,
      unseenDeleted: 0,
    };
  }

  // --- Internals ---

  private deleteOne(request: GraphRequest): WriteResult {
    const match = /^\/users\/([^/]+)\/authentication\/([A-Za-z0-9]+)(?:\/([^/]+))?/.exec(request.path);
    if (request.method !== 'DELETE' || !match || match[2] === 'methods')
      throw new Error(`deleteMethod needs a per-type DELETE request, not ${request.method} ${request.path}`);
    const userId = decodeURIComponent(match[1] ?? '');
    if (!this.active.has(userId))
      throw new DirectoryError('notFound', 'The user is not an active account, so its methods cannot be deleted.', this.requestId());
    const all = this.methodsOf(userId);
    const method = match[2] === 'qrCodePinMethod' ? all.find((m) => m.type === 'qrCodePin') : all.find((m) => m.id === match[3]);
    if (!method) return this.alreadyDone();
    const others = all.filter((m) => m !== method && m.type !== 'password');
    if (method.id === defaultMethodId(this.details.get(userId)?.userPreferredMethodForSecondaryAuthentication, all) && others.length > 0) {
      throw new DirectoryError('badRequest', 'Cannot delete the default method while other methods are configured.', this.requestId());
    }
    if (method.id === MOBILE_PHONE_ID && all.some((m) => m.id === ALTERNATE_MOBILE_PHONE_ID)) {
      throw new DirectoryError('badRequest', 'A user cannot have an alternateMobile number without a mobile number.', this.requestId());
    }
    this.methods.set(
      userId,
      all.filter((m) => m !== method),
    );
    return this.wrote({ op: 'deleteMethod', userId, methodId: method.id, type: method.type });
  }

  private async enter(op: Operation): Promise<void> {
    this.calls.push(op);
    const failure = this.failures.find((f) => f.op === op);
    if (!failure) return;
    if (--failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
    if (failure.error === 'hang') await new Promise<never>(() => undefined);
    else throw failure.error;
  }

  private expand(groupId: string, seen: Set<string>): Set<string> {
    const users = new Set<string>();
    if (seen.has(groupId)) return users;
    seen.add(groupId);
    for (const member of this.groups.get(groupId) ?? []) {
      if (this.groups.has(member)) for (const nested of this.expand(member, seen)) users.add(nested);
      else users.add(member);
    }
    return users;
  }

  private requireActive(userId: string): FakeUser {
    const user = this.active.get(userId);
    if (!user) throw new DirectoryError('notFound', `User ${userId} is not an active account.`, this.requestId());
    return user;
  }

  private requestId(): string {
    return `req-${String(++this.counter).padStart(4, '0')}`;
  }

  private wrote(write: DirectoryWrite): WriteResult {
    this.writes.push(write);
    return { requestIds: [this.requestId()], alreadyDone: false };
  }

  private alreadyDone(): WriteResult {
    return { requestIds: [this.requestId()], alreadyDone: true };
  }
}

/** What the port reports of a user: the profile without the fake's own bookkeeping (the mail nickname). */
function profile(user: FakeUser): UserProfile {
  return Object.fromEntries(Object.entries(user).filter(([key]) => key !== 'mailNickname')) as unknown as UserProfile;
}
