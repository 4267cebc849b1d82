import { accountRecoveryPrerequisites, type AccountRecoveryPrerequisites, type MethodScope } from '../domain/account-recovery';
import { accountRecoveryOutcome, type AccountRecoveryOutcome } from '../domain/account-recovery-outcome';
import { effectiveUserId, type RecoveryCase } from '../domain/case';
import { readable, type Readable } from '../domain/readiness';
import { DirectoryError, type Directory, type RecoveryProfile } from '../ports/directory';

export interface AccountRecoveryDeps {
  readonly directory: Pick<Directory, 'verifiedIdProfiles' | 'verifiedIdScope' | 'tapScope' | 'recoveryProfile' | 'memberOf' | 'listAudit'>;
}

/** A directory read as a value: a DirectoryError (refused, throttled, unavailable) becomes its safe message; bugs still throw. */
async function attempt<T>(read: () => Promise<T>): Promise<Readable<T>> {
  try {
    return readable(await read());
  } catch (e) {
    if (e instanceof DirectoryError) return { ok: false, reason: e.message };
    throw e;
  }
}

const groupsOf = (scope: Readable<MethodScope>): string[] =>
  scope.ok ? [...scope.value.include, ...scope.value.exclude].filter((t) => t.targetType === 'group' && t.id !== 'all_users').map((t) => t.id) : [];

/**
 * Whether Entra Account Recovery is open to the case's user, as far as the bot can read (domain/account-recovery.ts):
 * the profiles, who may use them, the TAP policy's scope, the user's names and last sign-in, and the user's membership
 * in the groups those scopes name. Every read is separate: one refused or failed read makes its checks "unknown" and the
 * others still count. It writes nothing: the lead's workflow records the result.
 */
export async function checkAccountRecovery(deps: AccountRecoveryDeps, c: RecoveryCase): Promise<AccountRecoveryPrerequisites> {
  const { directory } = deps;
  const userId = effectiveUserId(c);
  const [profiles, verifiedIdScope, tapScope, profile] = await Promise.all([
    attempt(() => directory.verifiedIdProfiles()),
    attempt(() => directory.verifiedIdScope()),
    attempt(() => directory.tapScope()),
    attempt(() => directory.recoveryProfile(userId)),
  ]);
  const groupIds = [...new Set([...groupsOf(verifiedIdScope), ...groupsOf(tapScope)])];
  const userGroupIds = groupIds.length === 0 ? readable([] as readonly string[]) : await attempt(() => directory.memberOf(userId, groupIds));
  const found = (p: Readable<RecoveryProfile | undefined>): Readable<RecoveryProfile> =>
    !p.ok ? p : p.value ? readable(p.value) : { ok: false, reason: 'The user was not found in the directory.' };
  const user = found(profile);
  return accountRecoveryPrerequisites({
    userId,
    profiles,
    verifiedIdScope,
    tapScope,
    userGroupIds,
    names: user.ok ? readable({ givenName: user.value.givenName, surname: user.value.surname }) : user,
    lastSignIn: !user.ok
      ? user
      : user.value.signIn.readable
        ? readable(user.value.signIn.last)
        : { ok: false, reason: 'Graph did not return sign-in activity.', needs: 'AuditLog.Read.All and Microsoft Entra ID P1 or P2' },
  });
}

/**
 * How the user's own recovery is going: the directory audit records that target the user since `since` (when the agent
 * handed off), read through the PROVISIONAL Account Recovery event names (domain/account-recovery-outcome.ts). Entra
 * writes audit records minutes after the fact, so `notStarted` soon after the hand-off means "not yet seen". A failed
 * read comes back as `ok: false` with its safe message. The caller confirms a completion by listing the user's methods.
 */
export async function watchAccountRecovery(deps: AccountRecoveryDeps, c: RecoveryCase, since: Date): Promise<Readable<AccountRecoveryOutcome>> {
  const events = await attempt(() => deps.directory.listAudit(effectiveUserId(c), since));
  return events.ok ? readable(accountRecoveryOutcome(events.value, since)) : events;
}
