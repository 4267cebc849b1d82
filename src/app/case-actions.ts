import type { Actor, RecoveryCase } from '../domain/case';
import { ok } from '../domain/errors';
import type { CaseActions } from '../ports/case-actions';
import type { CaseDeps, Scheduler } from '../ports/case-services';
import { confirmGuidedStep, recordIdentityVerification, retryStep, revealSecret, skipStep } from './agent-actions';
import { decideApproval, isApprovalAudience, requestApproval, scheduleApprovalTimers } from './approvals';
import type { BackgroundWork } from './background-work';
import { confirmScenario } from './confirm-scenario';
import { mutateCase } from './mutate-case';
import { runSteps, startExecution } from './execute-case';
import { triageCase } from './triage-case';
import { cancelCase, closeCase, recheckCase, validateCase } from './validate-case';

/**
 * Binds the case use cases to their dependencies for the Teams shell: the implementation of the CaseActions port.
 * After a quorum the plan starts on the requester's behalf: the approvals were the last thing it waited for.
 * When the last step is done, validation runs.
 */
export function bindCaseActions(deps: CaseDeps, background: BackgroundWork, scheduler: Scheduler): CaseActions {
  const continueCase = async (caseId: string): Promise<void> => {
    // Approved but not started: the start after the quorum was lost (a crash, or a click that gave up); the approvals
    // were the last thing the case waited for, so the run starts on the requester's behalf as it would have then.
    const stored = (await deps.cases.get(caseId))?.value;
    if (stored?.state === 'approved') {
      const started = await startExecution(deps, { caseId, by: stored.requester });
      if (!started.ok) {
        deps.logger.warn('could not start an approved case', { caseId, code: started.code });
        return;
      }
    }
    const ran = await runSteps(deps, caseId);
    if (!ran.ok || ran.value.state !== 'validating' || ran.value.validation) return;
    const validated = await validateCase(deps, caseId);
    // Said in the thread: the summary card's Re-check runs it again.
    if (!validated.ok)
      await deps.observer.notify(
        ran.value,
        `Validation of case ${caseId} did not finish: ${validated.message} (${validated.code}) Click "Re-check validation" on the summary card to run it again.`,
      );
  };
  return {
    get: async (caseId: string) => (await deps.cases.get(caseId))?.value,
    confirmScenario: (r: { caseId: string; by: Actor; scenario: string; reason?: string }) => confirmScenario(deps, r),
    requestApproval: async (r: { caseId: string; by: Actor }) => {
      const requested = await requestApproval(deps, r);
      if (requested.ok) scheduleApprovalTimers(deps, scheduler, requested.value);
      return requested;
    },
    decide: async (r: { caseId: string; by: Actor; decision: 'approve' | 'deny'; text?: string }) => {
      const decided = await decideApproval(deps, r);
      if (!decided.ok || decided.value.state !== 'approved') return decided;
      const started = await startExecution(deps, { caseId: r.caseId, by: decided.value.requester });
      if (started.ok) return started;
      // Not lost: the approve route's background run (continueCase) starts an approved case, and the sweep does after a
      // crash; the approver's decision stands.
      deps.logger.warn('start after the quorum did not happen at once; the background run starts it', { caseId: r.caseId, code: started.code });
      return ok(decided.value);
    },
    start: (r: { caseId: string; by: Actor }) => startExecution(deps, r),
    confirmGuided: (r: { caseId: string; by: Actor; stepId: string }) => confirmGuidedStep(deps, r),
    recordIdentity: (r: { caseId: string; by: Actor; stepId: string; method: string; note: string }) => recordIdentityVerification(deps, r),
    reveal: (r: { caseId: string; by: Actor; stepId: string; kind: 'password' | 'tap'; tapLifetimeInMinutes?: number; tapOneTime?: boolean }) =>
      revealSecret(deps, r),
    skip: (r: { caseId: string; by: Actor; stepId: string }) => skipStep(deps, r),
    retry: (r: { caseId: string; by: Actor; stepId: string }) => retryStep(deps, r),
    recheck: (r: { caseId: string; by: Actor }) => recheckCase(deps, r),
    close: (r: { caseId: string; by: Actor; lessons: string }) => closeCase(deps, r),
    cancel: (r: { caseId: string; by: Actor; reason: string }) => cancelCase(deps, r),
    background: (caseId: string, work: 'triage' | 'run') => {
      background.run(caseId, async () => {
        if (work === 'triage') {
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
          return;
        }
        await continueCase(caseId);
      });
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
  };
}
