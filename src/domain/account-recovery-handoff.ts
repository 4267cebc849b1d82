import type { AccountRecoveryStatus } from './account-recovery-outcome';
import { choosePath } from './account-recovery';
import type { AccountRecoveryHandOff, Actor, RecoveryCase } from './case';
import { waitingIdentityStep } from './case-steps';
import { ErrorCode, fail, ok, type Failure } from './errors';
import { identityStepRefusal, type Decided, type VerificationCommand, type VerificationEvent } from './identity-verification';
import { isPrivilegedSnapshot } from './target';

/**
 * The identity step's hand-off to Entra ID Account Recovery (issue 17; shared/spec/verified-id.md §6, §7.1, §7.4): when it
 * is the better path, whether the requester may take it now, and what the watcher's readings of the audit log record.
 * Pure; the prerequisites and the audit log are read by src/app/account-recovery-step.ts.
 */

/** A hand-off still waiting for the user's recovery to end. */
export function openHandOff(c: RecoveryCase): AccountRecoveryHandOff | undefined {
  const h = c.verification?.accountRecovery;
  return h && (h.status === 'notStarted' || h.status === 'inProgress') ? h : undefined;
}

export const ACCOUNT_RECOVERY_METHOD = 'Entra ID Account Recovery (government ID and Face Check)';

/** Whether `by` may hand the case's user to Account Recovery now (checked before the prerequisites are read, and again). */
export function handOffRefusal(c: RecoveryCase, by: Actor): Failure | undefined {
  const refused = identityStepRefusal(c, by, 'hand the user to Account Recovery');
  if (refused) return refused;
  const open = openHandOff(c);
  if (open)
    return fail(
      ErrorCode.VerificationPending,
      `${c.target.userPrincipalName} was handed to Account Recovery by ${open.by.name} at ${open.handedOffAt}; the bot is watching for the outcome.`,
    );
  return undefined;
}

export function decideHandOff(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'handOffToAccountRecovery' }>, now: Date): Decided {
  const refused = handOffRefusal(c, command.by);
  if (refused) return refused;
  const at = now.toISOString();
  return ok([
    {
      type: 'accountRecoveryHandedOff',
      at,
      handOff: {
        by: command.by,
        handedOffAt: at,
        ...(command.profile ? { profile: command.profile } : {}),
        checks: command.checks,
        status: 'notStarted',
        seen: [],
      },
    },
  ]);
}

/**
 * The watcher's reading. Nothing is recorded when nothing changed. A completion completes the identity step only once
 * the user's new method is confirmed; a failure closes the hand-off (another path, or another hand-off, may follow).
 */
export function decideAccountRecovery(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'recordAccountRecovery' }>, now: Date): Decided {
  const open = openHandOff(c);
  if (!open) return ok([]);
  const at = now.toISOString();
  const completedUnconfirmed = command.status === 'completed' && !command.confirmed;
  const status: AccountRecoveryStatus = completedUnconfirmed ? 'inProgress' : command.status;
  const progressed: VerificationEvent = {
    type: 'accountRecoveryProgressed',
    at,
    status,
    seen: command.seen,
    ...(command.failure ? { failure: command.failure } : {}),
  };
  const changed = status !== open.status || command.seen.length !== open.seen.length;
  const step = waitingIdentityStep(c);
  if (command.status !== 'completed' || !command.confirmed || !step || c.identityVerification) return ok(changed ? [progressed] : []);
  const note = `${command.confirmed} The audit log shows "${command.seen[command.seen.length - 1]?.activity ?? 'completion'}" (provisional event names).`;
  return ok([
    progressed,
    { type: 'identityVerified', at, by: open.by, method: ACCOUNT_RECOVERY_METHOD, note, kind: 'accountRecovery' },
    { type: 'stepCompleted', at, stepId: step.id, requestIds: [], detail: `${ACCOUNT_RECOVERY_METHOD} completed: ${note}`, by: open.by },
  ]);
}

/**
 * Whether this case is one where the spec says Entra ID Account Recovery is the better path (§7.1): a malicious change
 * with an unknown compromise window (so the profile photo may have been changed too), or a privileged target. Read from
 * the case alone; the prerequisites are read from the directory when the agent takes the path. The reasons are shown on
 * the card, and say why a VerifiedEmployee card cannot pass here when that is so.
 */
export function accountRecoveryAdvice(c: RecoveryCase): { readonly advised: boolean; readonly reasons: readonly string[] } {
  const scenario = c.scenario?.value;
  if (!scenario) return { advised: false, reasons: [] };
  const compromiseStart = scenario === 'malicious' ? c.triage?.suspiciousFrom : undefined;
  const choice = choosePath({
    scenario,
    ...(compromiseStart ? { compromiseStart } : {}),
    photoChangeSeen: false,
    privileged: isPrivilegedSnapshot(c.intake),
    verifiedIdConfigured: true,
    // The hypothesis the card states: if the tenant's prerequisites hold, would this path be the better one?
    accountRecovery: { available: true, checks: [] },
  });
  const advised = choice.path === 'accountRecovery';
  return { advised, reasons: advised ? choice.reasons.filter((r) => !r.startsWith('Account Recovery prerequisites')) : [] };
}
