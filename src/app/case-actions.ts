import type { Actor, RecoveryCase } from '../domain/case';
import { pendingWork } from '../domain/workflow';
import type { CaseActions } from '../ports/case-actions';
import type { CaseDeps, Scheduler } from '../ports/case-services';
import { confirmGuidedStep, recordIdentityVerification, retryStep, revealSecret, skipStep } from './agent-actions';
import { decideApproval, isApprovalAudience, overrideRisks, requestApproval, scheduleApprovalTimers } from './approvals';
import type { BackgroundWork } from './background-work';
import { confirmScenario } from './confirm-scenario';
import { mutateCase } from './mutate-case';
import { runSteps, startExecution } from './execute-case';
import { triageCase } from './triage-case';
import { cancelCase, closeCase, recheckCase, validateCase } from './validate-case';
import { decideFallback, expireVerification, requestFallback, startVerification } from './verify-identity';
import { CALLBACK_GRACE_MS } from '../domain/identity-verification';
import { openHandOff } from '../domain/account-recovery-handoff';
import { ErrorCode, fail, type Result } from '../domain/errors';
import { closeWithoutRecovery } from './close-no-recovery';
import { ACCOUNT_RECOVERY_POLL_MINUTES, ACCOUNT_RECOVERY_WATCH_MINUTES, handOffToAccountRecovery, watchHandOff } from './account-recovery-step';

/**
 * Binds the case use cases to their dependencies for the Teams shell: the implementation of the CaseActions port.
 * What the bot does after any event is `pendingWork` (domain/workflow.ts), carried out by `continueCase`.
 */
export function bindCaseActions(deps: CaseDeps, background: BackgroundWork, scheduler: Scheduler): CaseActions {
  /** Does what `pendingWork` says until the case waits for a person or is over (each step is idempotent). */
  const continueCase = async (caseId: string): Promise<void> => {
    let current = (await deps.cases.get(caseId))?.value;
    if (!current) return;
    if (pendingWork(current) === 'start') {
      const started = await startExecution(deps, { caseId, by: current.requester });
      if (!started.ok) {
        deps.logger.warn('could not start an approved case', { caseId, code: started.code });
        return;
      }
      current = started.value;
    }
    if (pendingWork(current) === 'run') {
      const ran = await runSteps(deps, caseId);
      if (!ran.ok) return;
      current = ran.value;
    }
    if (pendingWork(current) !== 'validate') return;
    const validated = await validateCase(deps, caseId);
    // Said in the thread: the summary card's Re-check runs it again.
    if (!validated.ok)
      await deps.observer.notify(
        current,
        `Validation of case ${caseId} did not finish: ${validated.message} (${validated.code}) Click "Re-check validation" on the summary card to run it again.`,
      );
  };
  const requestApprovalWithTimers = async (r: { caseId: string; by: Actor }): Promise<Result<RecoveryCase>> => {
    const requested = await requestApproval(deps, r);
    if (requested.ok) scheduleApprovalTimers(deps, scheduler, requested.value);
    return requested;
  };
  return {
    get: async (caseId: string) => (await deps.cases.get(caseId))?.value,
    confirmScenario: (r: { caseId: string; by: Actor; scenario: string; reason?: string }) => confirmScenario(deps, r),
    requestApproval: (r: { caseId: string; by: Actor }) => requestApprovalWithTimers(r),
    closeNoRecovery: (r: { caseId: string; by: Actor; reason: string }) => closeWithoutRecovery(deps, r, requestApprovalWithTimers),
    // After the quorum the run starts in `continueCase`, on the requester's behalf, like after a restart.
    decide: (r: { caseId: string; by: Actor; decision: 'approve' | 'deny'; text?: string }) => decideApproval(deps, r),
    start: (r: { caseId: string; by: Actor }) => startExecution(deps, r),
    confirmGuided: (r: { caseId: string; by: Actor; stepId: string }) => confirmGuidedStep(deps, r),
    recordIdentity: (r: { caseId: string; by: Actor; stepId: string; method: string; note: string }) => recordIdentityVerification(deps, r),
    reveal: (r: { caseId: string; by: Actor; stepId: string; kind: 'password' | 'tap'; tapLifetimeInMinutes?: number; tapOneTime?: boolean }) =>
      revealSecret(deps, r),
    verifyWithVerifiedId: async (r: { caseId: string; by: Actor; stepId: string }) => {
      const started = await startVerification(deps, r);
      if (started.ok) {
        // Closes the attempt when nobody presents in time; a restart forgets the timer, and the next look at the case
        // (a click, a callback, the sweep) closes it instead.
        const { requestId, expiresAt } = started.value.link;
        scheduler.at(new Date(Date.parse(expiresAt) + CALLBACK_GRACE_MS), () => expireVerification(deps, r.caseId, requestId));
      }
      return started;
    },
    requestFallback: (r: { caseId: string; by: Actor; stepId: string; method: string; note: string }) => requestFallback(deps, r),
    handOffToAccountRecovery: async (r: { caseId: string; by: Actor; stepId: string }) => {
      const handed = await handOffToAccountRecovery(deps, r);
      if (handed.ok) {
        // Timers look every few minutes for an hour; after a restart the sweep looks instead, and the agent can ask.
        const from = deps.clock.now().getTime();
        for (let m = ACCOUNT_RECOVERY_POLL_MINUTES; m <= ACCOUNT_RECOVERY_WATCH_MINUTES; m += ACCOUNT_RECOVERY_POLL_MINUTES)
          scheduler.at(new Date(from + m * 60_000), async () => {
            const watched = await watchHandOff(deps, r.caseId);
            if (!watched.ok) deps.logger.warn('could not read the Account Recovery outcome', { caseId: r.caseId, code: watched.code });
          });
      }
      return handed;
    },
    checkAccountRecovery: async (r: { caseId: string; by: Actor; stepId: string }) => {
      const stored = (await deps.cases.get(r.caseId))?.value;
      if (stored && stored.requester.aadObjectId !== r.by.aadObjectId)
        return fail(ErrorCode.CaseNotRequester, `Only ${stored.requester.name}, who opened case ${stored.id}, can do this.`);
      if (stored && !openHandOff(stored)) return fail(ErrorCode.StepOutOfOrder, `Case ${stored.id} has no hand-off to Account Recovery being watched.`);
      return watchHandOff(deps, r.caseId);
    },
    decideFallback: (r: { caseId: string; by: Actor; decision: 'approve' | 'deny'; reason?: string }) => decideFallback(deps, r),
    skip: (r: { caseId: string; by: Actor; stepId: string }) => skipStep(deps, r),
    retry: (r: { caseId: string; by: Actor; stepId: string }) => retryStep(deps, r),
    recheck: (r: { caseId: string; by: Actor }) => recheckCase(deps, r),
    close: (r: { caseId: string; by: Actor; lessons: string }) => closeCase(deps, r),
    cancel: (r: { caseId: string; by: Actor; reason: string }) => cancelCase(deps, r),
    overrideRisks: (r: { caseId: string; by: Actor; reason: string }) => overrideRisks(deps, r),
    background: (caseId: string, work: 'triage' | 'run') => {
      background.run(caseId, async () => {
        if (work === 'run') return continueCase(caseId);
        const triaged = await triageCase(deps, caseId);
        if (triaged.ok) return;
        deps.logger.warn('triage failed', { caseId, code: triaged.code, detail: triaged.message });
        // Said in the thread, with the way back: otherwise the case would sit in "opened" with nothing to click.
        const c = (await deps.cases.get(caseId))?.value;
        if (c?.state === 'opened')
          await deps.observer.notify(
            c,
            `Triage of case ${caseId} did not finish: ${triaged.message} (${triaged.code}) Type "status ${caseId}" to run it again.`,
          );
      });
    },
    followUp: (c: RecoveryCase) => {
      if (pendingWork(c)) background.run(c.id, () => continueCase(c.id));
    },
    /** A refused click goes into the case's journal (capped), so the record shows who tried what. */
    recordRefusal: async (r: { caseId: string; by: Actor | undefined; action: string; code: string }) => {
      const recorded = await mutateCase(
        deps.cases,
        r.caseId,
        () => deps.clock.now(),
        () => ({ type: 'recordRefusal', by: r.by, action: r.action, code: r.code }),
      );
      if (!recorded.ok) deps.logger.warn('could not record a refused attempt', { caseId: r.caseId, code: recorded.code });
    },
    isApprovalAudience: (c: RecoveryCase, by: Actor) => isApprovalAudience(deps, c, by),
    identityVerificationMethods: deps.settings.identityVerificationMethods,
    tap: deps.settings.tap,
    timeZone: deps.settings.triage.timeZone,
    ...(deps.verifiedId ? { verifiedId: { maxAttempts: deps.verifiedId.maxAttempts } } : {}),
    now: () => deps.clock.now(),
  };
}
