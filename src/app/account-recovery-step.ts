import { accountRecoveryInstructions } from '../domain/account-recovery';
import { PROVISIONAL_NOTE } from '../domain/account-recovery-outcome';
import { effectiveUserId, type Actor, type RecoveryCase } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { handOffRefusal, openHandOff } from '../domain/account-recovery-handoff';
import type { CaseDeps } from '../ports/case-services';
import { checkAccountRecovery, watchAccountRecovery } from './account-recovery';
import { isFailure, withDirectory } from './directory-failure';
import { runSteps } from './execute-case';
import { record } from './mutate-case';

/**
 * The identity step's third path (issue 17; shared/spec/verified-id.md §6, §7.4): Entra ID Account Recovery. Nobody
 * can start it for the user, so the bot reads the prerequisites it can, records the hand-off, tells the thread what the
 * user does, and then watches the user's audit log (by timer, by the sweep, or when the agent asks) until the recovery
 * completes (confirmed by a newly registered method) or fails.
 */

/** How long after the hand-off the timers keep looking; the sweep and the agent's button go on after it. */
export const ACCOUNT_RECOVERY_WATCH_MINUTES = 60;
/** How often the timers look: Entra writes audit records minutes after the event. */
export const ACCOUNT_RECOVERY_POLL_MINUTES = 2;

export async function handOffToAccountRecovery(deps: CaseDeps, request: { caseId: string; by: Actor; stepId: string }): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  const c = stored.value;
  const refused = handOffRefusal(c, request.by);
  if (refused) return refused;
  const prerequisites = await checkAccountRecovery(deps, c);
  if (!prerequisites.available) {
    const failed = prerequisites.checks.filter((k) => k.outcome !== 'pass').map((k) => `${k.name}: ${k.detail}`);
    return fail(
      ErrorCode.VerificationUnavailable,
      `Entra ID Account Recovery is not available for ${c.target.userPrincipalName}: ${failed.join(' ')} Nothing was recorded; verify with Verified ID or ask for fallback approval.`,
    );
  }
  const handed = await record(deps, c.id, {
    type: 'handOffToAccountRecovery',
    by: request.by,
    checks: prerequisites.checks.map((k) => ({ name: k.name, outcome: k.outcome, detail: k.detail })),
    ...(prerequisites.profile ? { profile: prerequisites.profile.name } : {}),
  });
  if (!handed.ok) return handed;
  const unknown = prerequisites.checks.filter((k) => k.outcome === 'unknown');
  const steps = accountRecoveryInstructions({ userPrincipalName: c.target.userPrincipalName, organisation: 'your organisation' });
  await deps.observer.notify(
    handed.value,
    [
      `Case ${c.id}: ${request.by.name} handed ${c.target.userPrincipalName} to Entra ID Account Recovery. Tell the user, on a channel you verified:`,
      ...steps.map((s, i) => `${i + 1}. ${s}`),
      ...(unknown.length ? [`Not readable by the bot, confirm in the admin center: ${unknown.map((k) => k.name).join(', ')}.`] : []),
      `The bot watches the user's audit log and updates the progress card. ${PROVISIONAL_NOTE}`,
    ].join('\n'),
  );
  return handed;
}

/**
 * One look at the user's recovery. A completion counts only with a method the user registered after the hand-off (not
 * the password, not a pass): that is what the recovery is for, and it does not rest on the provisional event names alone.
 */
export async function watchHandOff(deps: CaseDeps, caseId: string): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${caseId}.`);
  const c = stored.value;
  const open = openHandOff(c);
  if (!open) return ok(c);
  const watched = await watchAccountRecovery(deps, c, new Date(open.handedOffAt));
  if (!watched.ok) return fail(ErrorCode.DirectoryUnavailable, `The audit log could not be read: ${watched.reason}`);
  const outcome = watched.value;
  let confirmed: string | undefined;
  if (outcome.status === 'completed') {
    const methods = await withDirectory(deps.logger, 'list methods', () => deps.directory.listMethods(effectiveUserId(c)));
    if (isFailure(methods)) return methods;
    const since = Date.parse(open.handedOffAt);
    const fresh = methods.filter(
      (m) => m.type !== 'password' && m.type !== 'temporaryAccessPass' && m.createdDateTime !== undefined && Date.parse(m.createdDateTime) >= since,
    );
    if (fresh.length > 0) confirmed = `New method(s) registered: ${fresh.map((m) => `${m.type} (${m.detail})`).join(', ')}.`;
  }
  const recorded = await record(deps, caseId, {
    type: 'recordAccountRecovery',
    status: outcome.status,
    seen: outcome.seen,
    ...(outcome.failure ? { failure: outcome.failure } : {}),
    ...(confirmed ? { confirmed } : {}),
  });
  if (!recorded.ok) return recorded;
  return recorded.value.identityVerification?.kind === 'accountRecovery' ? runSteps(deps, caseId, { graph: false }) : recorded;
}
