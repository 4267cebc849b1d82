import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import type { MethodScope, VerifiedIdProfileInfo } from '../domain/account-recovery';
import type { AuditEvent, SignInEvent } from '../domain/audit';
import type { GraphRequest, RecreateProfile } from '../domain/plan';
import type { AccountState, AuthMethod, DirectoryRole, EligibleGroup, UserProfile } from '../domain/target';
import type { TargetRef } from '../domain/target-ref';
import {
  DirectoryError,
  type CallBudget,
  type Directory,
  type IssuedTap,
  type RecoveryProfile,
  type RegistrationDetails,
  type TapPolicy,
  type WriteResult,
} from '../ports/directory';
import { toMethodScope, toVerifiedIdProfileInfo, type GraphMethodConfigurationScope, type GraphVerifiedIdProfile } from './account-recovery-mapping';
import { newestFirst, oldestFirst, toAuditEvent, toSignInEvent } from './audit-mapping';
import { activePolicies, groupsNamed, includesUser, policyLabel, rolesNamed } from './conditional-access';
import * as writes from './directory-writes';
import { defaultTapTiming, type TapIssueTiming } from './directory-writes';
import { DEFAULT_RETRY_POLICY } from './retry-middleware';
import type { BatchOptions } from './graph-batch';
import { graphRequest } from './graph-path';
import { REQUESTS } from './graph-requests';
import { isNotFound, statusOf, toDirectoryError } from './graph-errors';
import { ErrorCode } from '../domain/errors';
import { toAuthMethod, type AnyMethod } from './method-mapping';
import { deleteMethodsInOrder, readBetaOnlyMethods, readMethodsAndPreference, withBetaOnly } from './method-batch';
import { odataString, readAll } from './paging';
import { ELIGIBLE_GROUPS_OPERATION, readEligibleGroups } from './pim-groups';
import { toRegistrationDetails, toTapPolicy } from './report-mapping';

const PROFILE_FIELDS = ['id', 'displayName', 'userPrincipalName', 'accountEnabled', 'jobTitle', 'department', 'onPremisesSyncEnabled'];
/** checkMemberGroups takes at most 20 group ids per call. */
const MEMBER_GROUPS_PER_CALL = 20;

type GraphUser = Graph.User & { signInActivity?: { lastSignInDateTime?: string | null; lastSuccessfulSignInDateTime?: string | null } | null };
type DeletedUser = GraphUser & { deletedDateTime?: string | null };

/**
 * The Directory port on Microsoft Graph. Works unchanged against real Graph and the simulated tenant: the client
 * it is given decides where requests go and how they authenticate.
 */
export class GraphDirectory implements Directory {
  /** Role definitions by id, read once (see roleNames). */
  private roleDefinitions: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly client: Client,
    private readonly baseUrl: string,
    /** Timing of the `$batch` runner (tests pass a fake clock); a call's budget becomes its deadline on `now`. */
    private readonly batchOptions: BatchOptions = {},
    /** How a TAP create waits for an attempt whose answer was lost (directory-writes.ts createTap). */
    private readonly tapTiming: TapIssueTiming = defaultTapTiming(DEFAULT_RETRY_POLICY.attemptTimeoutMs),
  ) {}

  /** The runner's options for a call within `budget`. */
  private batchWithin(budget: CallBudget | undefined): BatchOptions {
    if (!budget) return this.batchOptions;
    return { ...this.batchOptions, deadline: (this.batchOptions.now ?? Date.now)() + budget.withinMs };
  }

  async findAccount(ref: TargetRef, auditSince: Date): Promise<AccountState | undefined> {
    const active = await this.getActiveUser(ref);
    if (active) return { kind: 'active', user: active };
    const deleted = await this.getSoftDeletedUser(ref);
    if (deleted) return deleted;
    return this.findHardDeleted(ref, auditSince);
  }

  async listMethods(userId: string): Promise<readonly AuthMethod[]> {
    try {
      // v1.0 lists only v1.0 types: a hardware OATH token is read through beta (method-batch.ts, readBetaOnlyMethods).
      const [all, beta] = await Promise.all([
        readAll<AnyMethod>(this.client, () => graphRequest(this.client, REQUESTS.methodsList, { userId }).get(), this.baseUrl),
        readBetaOnlyMethods(this.client, this.baseUrl, userId),
      ]);
      return withBetaOnly(all.map(toAuthMethod), beta);
    } catch (e) {
      throw toDirectoryError(e, 'list authentication methods');
    }
  }

  async methodsAndDetails(
    userId: string,
    budget?: CallBudget,
  ): Promise<{ readonly methods: readonly AuthMethod[]; readonly details: RegistrationDetails | undefined }> {
    try {
      return await readMethodsAndPreference(this.client, this.baseUrl, userId, this.batchWithin(budget));
    } catch (e) {
      throw toDirectoryError(e, 'list authentication methods');
    }
  }

  async deleteMethods(requests: readonly GraphRequest[], budget?: CallBudget): Promise<WriteResult & { readonly deleted: number }> {
    try {
      const r = await deleteMethodsInOrder(this.client, requests, this.batchWithin(budget));
      return { requestIds: r.requestIds, alreadyDone: r.deleted === 0, deleted: r.deleted };
    } catch (e) {
      // A DirectoryError passes as it is; a plain Error is a bug in the caller (a request that is not a per-type delete).
      if (!(e instanceof GraphError) && !(e instanceof DirectoryError)) throw e;
      throw toDirectoryError(e, 'delete authentication methods');
    }
  }

  async listRoles(userId: string): Promise<readonly DirectoryRole[]> {
    const $filter = `principalId eq ${odataString(userId)}`;
    try {
      const direct = await readAll<Graph.UnifiedRoleAssignment>(
        this.client,
        () => graphRequest(this.client, REQUESTS.roleAssignmentsList, {}, { $filter }).get(),
        this.baseUrl,
      );
      // Roles held through role-assignable groups are visible only through the beta transitive API, which supports only
      // $count, $filter (eq) and $select (microsoft-graph-docs-contrib api-reference/beta/api/
      // rbacapplication-list-transitiveroleassignments.md): no $expand=roleDefinition, so names come from roleDefinitions.
      const transitive = await readAll<Graph.UnifiedRoleAssignment>(
        this.client,
        () =>
          graphRequest(
            this.client,
            REQUESTS.transitiveRoleAssignmentsList,
            {},
            { $filter, $count: true, $select: ['id', 'principalId', 'roleDefinitionId'] },
          ).get(),
        this.baseUrl,
      );
      const eligibleDirect = new Set(await this.eligibleRoleIds($filter));
      const eligibleViaGroups = new Set(await this.eligibleThroughGroups(userId));
      const directIds = new Set(direct.map((a) => a.roleDefinitionId));
      const activeIds = [...new Set([...direct, ...transitive].map((a) => a.roleDefinitionId ?? '').filter((id) => id !== ''))];
      const eligibleIds = [...new Set([...eligibleDirect, ...eligibleViaGroups])].filter((id) => !activeIds.includes(id));
      const names = await this.roleNames([...activeIds, ...eligibleIds]);
      return [
        ...activeIds.map((id): DirectoryRole => ({ roleDefinitionId: id, displayName: names.get(id) ?? id, via: directIds.has(id) ? 'direct' : 'group' })),
        ...eligibleIds.map((id): DirectoryRole => ({
          roleDefinitionId: id,
          displayName: names.get(id) ?? id,
          via: eligibleDirect.has(id) ? 'direct' : 'group',
          assignment: 'eligible',
        })),
      ];
    } catch (e) {
      throw toDirectoryError(e, 'list directory roles');
    }
  }

  /**
   * Roles the user is eligible for through PIM (can activate at any time: as privileged as holding them). A tenant
   * without Entra ID P2 has no PIM, and Graph answers its read with a licence error: then nobody is eligible. Any other
   * failure goes to the caller, which counts the target as privileged because it cannot tell.
   */
  private async eligibleRoleIds($filter: string): Promise<string[]> {
    try {
      const schedules = await readAll<Graph.UnifiedRoleEligibilitySchedule>(
        this.client,
        () => graphRequest(this.client, REQUESTS.roleEligibilitySchedulesList, {}, { $filter }).get(),
        this.baseUrl,
      );
      return schedules.map((s) => s.roleDefinitionId ?? '').filter((id) => id !== '');
    } catch (e) {
      if (toDirectoryError(e, 'list directory roles').code === ErrorCode.DirectoryLicenseMissing) return [];
      throw e;
    }
  }

  /**
   * Roles eligible to a role-assignable group the user is in (directly or nested): a member can activate them as well
   * as a direct holder. Only role-assignable groups can hold a directory role, so only those are read. Not read for a
   * soft-deleted user (Graph answers 404 under /users: open-case.ts counts it as privileged); eligible membership of a
   * group (PIM for Groups) is eligibleGroups'.
   */
  private async eligibleThroughGroups(userId: string): Promise<string[]> {
    let groups: (Graph.Group & { '@odata.type'?: string })[];
    try {
      groups = await readAll<Graph.Group & { '@odata.type'?: string }>(
        this.client,
        () => graphRequest(this.client, REQUESTS.usersTransitiveMemberOf, { userId }).get(),
        this.baseUrl,
      );
    } catch (e) {
      // A soft-deleted user is not under /users: its memberships come back with a restore and are not read here.
      if (isNotFound(e)) return [];
      throw e;
    }
    const assignable = groups.filter((g) => g['@odata.type'] === '#microsoft.graph.group' && g.isAssignableToRole === true && g.id);
    const held = await Promise.all(assignable.map((g) => this.eligibleRoleIds(`principalId eq ${odataString(g.id ?? '')}`)));
    return held.flat();
  }

  async eligibleGroups(userId: string): Promise<readonly EligibleGroup[]> {
    try {
      return await readEligibleGroups(this.client, this.baseUrl, userId, (ids) => this.roleNames(ids));
    } catch (e) {
      throw toDirectoryError(e, ELIGIBLE_GROUPS_OPERATION);
    }
  }

  /**
   * Role names by definition id, from `GET /roleManagement/directory/roleDefinitions` read once per adapter and kept:
   * built-in roles never change. An id it does not know (a custom role created since) reads the list again, once.
   */
  private async roleNames(ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const load = (): Promise<Map<string, string>> =>
      readAll<Graph.UnifiedRoleDefinition>(this.client, () => graphRequest(this.client, REQUESTS.roleDefinitionsList).get(), this.baseUrl).then(
        (defs) => new Map(defs.flatMap((d) => (d.id ? [[d.id.toLowerCase(), d.displayName ?? d.id] as const] : []))),
      );
    const cached = this.roleDefinitions ?? load();
    this.roleDefinitions = cached;
    let names: Map<string, string>;
    try {
      names = await cached;
    } catch (e) {
      if (this.roleDefinitions === cached) this.roleDefinitions = undefined;
      throw e;
    }
    if (ids.some((id) => !names.has(id.toLowerCase()))) {
      const fresh = load();
      this.roleDefinitions = fresh;
      names = await fresh;
    }
    return new Map(
      ids.flatMap((id) => {
        const name = names.get(id.toLowerCase());
        return name ? [[id, name] as const] : [];
      }),
    );
  }

  async groupMembers(groupIds: readonly string[]): Promise<readonly { id: string; displayName: string }[]> {
    const users = new Map<string, string>();
    try {
      for (const groupId of groupIds) {
        const members = await readAll<Graph.DirectoryObject & { '@odata.type'?: string; displayName?: string | null }>(
          this.client,
          () => graphRequest(this.client, REQUESTS.groupTransitiveMembersList, { groupId }, { $select: ['id', 'displayName'] }).get(),
          this.baseUrl,
        );
        for (const m of members) if (m.id && m['@odata.type'] === '#microsoft.graph.user') users.set(m.id, m.displayName ?? m.id);
      }
      return [...users].map(([id, displayName]) => ({ id, displayName }));
    } catch (e) {
      throw toDirectoryError(e, 'list group members');
    }
  }

  async memberOf(userId: string, groupIds: readonly string[]): Promise<readonly string[]> {
    const found: string[] = [];
    try {
      for (let i = 0; i < groupIds.length; i += MEMBER_GROUPS_PER_CALL) {
        const chunk = groupIds.slice(i, i + MEMBER_GROUPS_PER_CALL);
        const res = (await graphRequest(this.client, REQUESTS.usersCheckMemberGroups, { userId }).post({ groupIds: chunk })) as { value?: string[] };
        found.push(...(res.value ?? []).filter((id) => chunk.includes(id)));
      }
      return found;
    } catch (e) {
      if (isNotFound(e)) return [];
      throw toDirectoryError(e, 'check group membership');
    }
  }

  async listAudit(userId: string, since: Date): Promise<readonly AuditEvent[]> {
    const $filter = `targetResources/any(t: t/id eq ${odataString(userId)}) and activityDateTime ge ${since.toISOString()}`;
    try {
      const records = await readAll<Graph.DirectoryAudit>(
        this.client,
        () => graphRequest(this.client, REQUESTS.directoryAuditsList, {}, { $filter }).get(),
        this.baseUrl,
      );
      return oldestFirst(records.map(toAuditEvent));
    } catch (e) {
      throw toDirectoryError(e, 'read audit log');
    }
  }

  async listSignIns(userId: string, since: Date): Promise<readonly SignInEvent[]> {
    const $filter = `userId eq ${odataString(userId)} and createdDateTime ge ${since.toISOString()}`;
    try {
      const signIns = await readAll<Graph.SignIn>(this.client, () => graphRequest(this.client, REQUESTS.signInsList, {}, { $filter }).get(), this.baseUrl);
      return newestFirst(signIns.map(toSignInEvent));
    } catch (e) {
      throw toDirectoryError(e, 'read sign-ins');
    }
  }

  async registrationDetails(userId: string): Promise<RegistrationDetails | undefined> {
    try {
      const details = (await graphRequest(this.client, REQUESTS.registrationDetailsGet, { userId }).get()) as Graph.UserRegistrationDetails;
      return toRegistrationDetails(details);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toDirectoryError(e, 'read registration details');
    }
  }

  async conditionalAccessPoliciesFor(userId: string): Promise<readonly string[]> {
    let policies: Graph.ConditionalAccessPolicy[];
    try {
      policies = activePolicies(
        await readAll<Graph.ConditionalAccessPolicy>(this.client, () => graphRequest(this.client, REQUESTS.conditionalAccessPoliciesList).get(), this.baseUrl),
      );
    } catch (e) {
      throw toDirectoryError(e, 'read Conditional Access policies');
    }
    const groups = groupsNamed(policies);
    const roles = rolesNamed(policies);
    const subject = {
      userId,
      groupIds: new Set(groups.length > 0 ? await this.memberOf(userId, groups) : []),
      roleIds: new Set(roles.length > 0 ? (await this.listRoles(userId)).map((r) => r.roleDefinitionId) : []),
    };
    return policies.filter((p) => includesUser(p, subject)).map(policyLabel);
  }

  async tapPolicy(): Promise<TapPolicy> {
    try {
      return toTapPolicy((await graphRequest(this.client, REQUESTS.tapPolicyGet).get()) as Graph.TemporaryAccessPassAuthenticationMethodConfiguration);
    } catch (e) {
      throw toDirectoryError(e, 'read Temporary Access Pass policy');
    }
  }

  async verifiedIdProfiles(): Promise<readonly VerifiedIdProfileInfo[]> {
    try {
      const profiles = await readAll<GraphVerifiedIdProfile>(this.client, () => graphRequest(this.client, REQUESTS.verifiedIdProfilesList).get(), this.baseUrl);
      return profiles.map(toVerifiedIdProfileInfo);
    } catch (e) {
      throw toDirectoryError(e, 'read Verified ID profiles');
    }
  }

  async verifiedIdScope(): Promise<MethodScope> {
    try {
      return toMethodScope((await graphRequest(this.client, REQUESTS.verifiableCredentialsPolicyGet).get()) as GraphMethodConfigurationScope);
    } catch (e) {
      throw toDirectoryError(e, 'read the Verified ID method policy');
    }
  }

  async tapScope(): Promise<MethodScope> {
    try {
      return toMethodScope((await graphRequest(this.client, REQUESTS.tapPolicyGet).get()) as GraphMethodConfigurationScope);
    } catch (e) {
      throw toDirectoryError(e, 'read the Temporary Access Pass policy');
    }
  }

  async recoveryProfile(userId: string): Promise<RecoveryProfile | undefined> {
    const names = ['id', 'givenName', 'surname'];
    const read = async ($select: string[]): Promise<GraphUser> =>
      (await graphRequest(this.client, REQUESTS.usersGet, { userKey: userId }, { $select }).get()) as GraphUser;
    let user: GraphUser;
    let signIn: RecoveryProfile['signIn'];
    try {
      try {
        user = await read([...names, 'signInActivity']);
        const last = user.signInActivity?.lastSignInDateTime;
        signIn = last ? { readable: true, last } : { readable: true };
      } catch (e) {
        // signInActivity needs Entra ID P1 and AuditLog.Read.All (usersGet's note): then the names alone.
        if (statusOf(e) !== 403) throw e;
        user = await read(names);
        signIn = { readable: false };
      }
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toDirectoryError(e, 'read user');
    }
    return { ...(user.givenName ? { givenName: user.givenName } : {}), ...(user.surname ? { surname: user.surname } : {}), signIn };
  }

  restoreUser(userId: string): Promise<WriteResult> {
    return writes.restoreUser(this.client, userId);
  }

  createUser(profile: RecreateProfile, initialPassword: string): Promise<WriteResult & { readonly userId: string }> {
    return writes.createUser(this.client, profile, initialPassword);
  }

  deleteMethod(request: GraphRequest): Promise<WriteResult> {
    return writes.deleteMethod(this.client, request);
  }

  revokeSessions(userId: string): Promise<WriteResult> {
    return writes.revokeSessions(this.client, userId);
  }

  setPassword(userId: string, password: string, forceChangeAtNextSignIn: boolean): Promise<WriteResult> {
    return writes.setPassword(this.client, userId, password, forceChangeAtNextSignIn);
  }

  createTap(userId: string, options: { lifetimeInMinutes: number; isUsableOnce: boolean }): Promise<IssuedTap> {
    return writes.createTap(this.client, userId, options, this.tapTiming);
  }

  /**
   * Graph answers 400 ("Get By Key only supports UserId and the key has to be a valid Guid") when `signInActivity` is
   * selected on a user addressed by UPN (learn.microsoft.com Q&A 1311910): a UPN is resolved to the object id first,
   * without it, and the sign-in activity is then read by id.
   */
  private async getActiveUser(ref: TargetRef): Promise<UserProfile | undefined> {
    let id = ref.kind === 'objectId' ? ref.id : undefined;
    let resolved: UserProfile | undefined;
    if (ref.kind === 'upn') {
      try {
        resolved = toProfile((await graphRequest(this.client, REQUESTS.usersGet, { userKey: ref.upn }, { $select: PROFILE_FIELDS }).get()) as GraphUser);
        if (!resolved) return undefined;
        id = resolved.id;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw toDirectoryError(e, 'read user');
      }
    }
    const userKey = id ?? '';
    try {
      const user = (await graphRequest(this.client, REQUESTS.usersGet, { userKey }, { $select: [...PROFILE_FIELDS, 'signInActivity'] }).get()) as GraphUser;
      return toProfile(user);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      // signInActivity needs Entra ID P1 and AuditLog.Read.All; without them, show the profile with no sign-in data.
      if (statusOf(e) === 403) {
        if (resolved) return resolved;
        try {
          return toProfile((await graphRequest(this.client, REQUESTS.usersGet, { userKey }, { $select: PROFILE_FIELDS }).get()) as GraphUser);
        } catch (retryError) {
          if (isNotFound(retryError)) return undefined;
          throw toDirectoryError(retryError, 'read user');
        }
      }
      throw toDirectoryError(e, 'read user');
    }
  }

  private async getSoftDeletedUser(ref: TargetRef): Promise<AccountState | undefined> {
    const $select = [...PROFILE_FIELDS, 'deletedDateTime'];
    try {
      if (ref.kind === 'objectId') {
        const item = (await graphRequest(this.client, REQUESTS.deletedItemGet, { objectId: ref.id }, { $select }).get()) as DeletedUser & {
          '@odata.type'?: string;
        };
        if (item['@odata.type'] !== undefined && item['@odata.type'] !== '#microsoft.graph.user') return undefined;
        return softDeleted(item);
      }
      // A deleted user's UPN is prefixed with its object id (without hyphens), so search by suffix and then
      // insist on the exact prefixed form: a plain suffix match would also find "xadele@contoso.com".
      const $filter = `endswith(userPrincipalName,${odataString(ref.upn)})`;
      const candidates = await readAll<DeletedUser>(
        this.client,
        () => graphRequest(this.client, REQUESTS.deletedUsersList, {}, { $filter, $count: true, $select }).get(),
        this.baseUrl,
      );
      const match = candidates
        .filter((u) => u.id && (u.userPrincipalName ?? '').toLowerCase() === `${u.id.replace(/-/g, '')}${ref.upn}`.toLowerCase())
        .sort((a, b) => (b.deletedDateTime ?? '').localeCompare(a.deletedDateTime ?? ''))[0];
      return match ? softDeleted(match, ref.upn) : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toDirectoryError(e, 'read deleted users');
    }
  }

  private async findHardDeleted(ref: TargetRef, since: Date): Promise<AccountState | undefined> {
    const clauses = [`activityDisplayName eq 'Hard Delete user'`, `activityDateTime ge ${since.toISOString()}`];
    if (ref.kind === 'objectId') clauses.push(`targetResources/any(t: t/id eq ${odataString(ref.id)})`);
    try {
      const records = await readAll<Graph.DirectoryAudit>(
        this.client,
        () => graphRequest(this.client, REQUESTS.directoryAuditsList, {}, { $filter: clauses.join(' and ') }).get(),
        this.baseUrl,
      );
      for (const record of records) {
        const target = (record.targetResources ?? []).find((t) => t.type === 'User' && matchesTarget(t, ref));
        if (target?.id && record.activityDateTime) {
          const upn = ref.kind === 'upn' ? ref.upn : stripDeletedPrefix(target.userPrincipalName ?? '', target.id);
          return {
            kind: 'hardDeleted',
            id: target.id,
            displayName: target.displayName ?? upn,
            userPrincipalName: upn,
            hardDeletedDateTime: record.activityDateTime,
          };
        }
      }
      return undefined;
    } catch (e) {
      throw toDirectoryError(e, 'search audit log for deleted users');
    }
  }
}

function matchesTarget(t: Graph.TargetResource, ref: TargetRef): boolean {
  if (ref.kind === 'objectId') return t.id?.toLowerCase() === ref.id;
  const upn = (t.userPrincipalName ?? '').toLowerCase();
  return upn === ref.upn || (!!t.id && upn === `${t.id.replace(/-/g, '')}${ref.upn}`.toLowerCase());
}

function stripDeletedPrefix(upn: string, id: string): string {
  const prefix = id.replace(/-/g, '').toLowerCase();
  return upn.toLowerCase().startsWith(prefix) ? upn.slice(prefix.length) : upn;
}

function softDeleted(user: DeletedUser, upn?: string): AccountState | undefined {
  if (!user.id) return undefined;
  const profile = toProfile({ ...user, userPrincipalName: upn ?? stripDeletedPrefix(user.userPrincipalName ?? '', user.id) });
  return profile ? { kind: 'softDeleted', user: profile, deletedDateTime: user.deletedDateTime ?? '' } : undefined;
}

function toProfile(user: GraphUser): UserProfile | undefined {
  if (!user.id || !user.userPrincipalName) return undefined;
  const optional = {
    accountEnabled: user.accountEnabled ?? undefined,
    jobTitle: user.jobTitle ?? undefined,
    department: user.department ?? undefined,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled ?? undefined,
    lastSignInDateTime: user.signInActivity?.lastSignInDateTime ?? undefined,
    lastSuccessfulSignInDateTime: user.signInActivity?.lastSuccessfulSignInDateTime ?? undefined,
  };
  const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { id: user.id, displayName: user.displayName ?? user.userPrincipalName, userPrincipalName: user.userPrincipalName, ...defined };
}
