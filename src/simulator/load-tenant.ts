import type { ParsedSeed, SeedMethod } from './seed-schema';
import { PASSWORD_METHOD_ID } from './seed-schema';
import { resolveSeedTimes, type Resolved } from './seed-time';
import { buildSignIn } from './sign-in-builder';
import {
  deletedUpn,
  type AuditRecord,
  type BackupSnapshot,
  type DeletedUserRecord,
  type PasswordMethod,
  type StoredMethod,
  type TenantState,
  type UserRecord,
} from './tenant-state';

/** Builds the state from a validated seed, resolving relative seed times against `now`. */
export function createTenantState(seed: ParsedSeed, now: Date): TenantState {
  const resolved = resolveSeedTimes(seed, now);
  const users = new Map<string, UserRecord>();
  const deletedUsers = new Map<string, DeletedUserRecord>();
  const methods = new Map<string, StoredMethod[]>();
  const backups = new Map<string, BackupSnapshot[]>();
  for (const seedUser of resolved.users) {
    const { methods: seeded, deletedDateTime, backup, ...profile } = seedUser;
    if (backup !== undefined)
      backups.set(
        profile.id,
        (Array.isArray(backup) ? [...backup] : [backup]).sort((a, b) => a.snapshotAt.localeCompare(b.snapshotAt)),
      );
    const password: PasswordMethod = { type: 'password', id: PASSWORD_METHOD_ID, createdDateTime: profile.lastPasswordChangeDateTime };
    methods.set(profile.id, [password, ...seeded]);
    const user: UserRecord = {
      ...profile,
      passwordReset: null,
      signInSessionsValidFromDateTime: profile.createdDateTime,
      registrationUpdatedDateTime: registrationUpdated(profile.id, profile.createdDateTime, seeded, resolved.audits),
    };
    if (deletedDateTime === undefined) users.set(user.id, user);
    else
      deletedUsers.set(user.id, {
        ...user,
        deletedDateTime,
        originalUserPrincipalName: user.userPrincipalName,
        userPrincipalName: deletedUpn(user.id, user.userPrincipalName),
      });
  }
  const state: TenantState = {
    tenant: resolved.tenant,
    callerApp: resolved.callerApp,
    users,
    deletedUsers,
    methods,
    backups,
    groups: new Map(resolved.groups.map((g) => [g.id, g])),
    roleDefinitions: resolved.roleDefinitions,
    roleAssignments: resolved.roleAssignments,
    roleEligibilitySchedules: resolved.roleEligibilitySchedules,
    groupEligibilitySchedules: resolved.groupEligibilitySchedules,
    authenticationContexts: resolved.authenticationContexts,
    protectedActions: { ...resolved.protectedActions },
    authenticationMethodsPolicy: resolved.authenticationMethodsPolicy,
    conditionalAccessPolicies: resolved.conditionalAccessPolicies,
    audits: resolved.audits,
    signIns: [],
    managers: new Map(Object.entries(resolved.managers)),
    outbox: [],
    verifiedIdProfiles: resolved.verifiedIdProfiles,
  };
  state.signIns = resolved.signIns.map((s) => {
    const user = users.get(s.userId) ?? deletedUsers.get(s.userId);
    if (!user) throw new Error(`seed sign-in ${s.id} names unknown user ${s.userId}`);
    return buildSignIn(state, { ...s, user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName } });
  });
  return state;
}

/** Refills `target` in place from the seed (POST /_simulator/reset). */
export function reseedTenant(target: TenantState, seed: ParsedSeed, now: Date): void {
  Object.assign(target, createTenantState(seed, now));
}

function registrationUpdated(userId: string, fallback: string, methods: readonly Resolved<SeedMethod>[], audits: readonly AuditRecord[]): string {
  const times = [fallback];
  for (const m of methods) if ('createdDateTime' in m) times.push(m.createdDateTime);
  for (const a of audits) if (a.loggedByService === 'Authentication Methods' && a.targetResources.some((t) => t.id === userId)) times.push(a.activityDateTime);
  return times.reduce((a, b) => (a > b ? a : b));
}
