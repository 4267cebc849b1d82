import type { RevealedSecret } from '../ports/case-actions';
import { effectiveUserId, type Actor, type RecoveryCase } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { nextStep } from '../domain/workflow';
import { deleteRequest, isOptional, type PlanStep } from '../domain/plan';
import type { CaseDeps } from '../ports/case-services';
import { checkRecoveredMethods, methodsLabel, runSteps } from './execute-case';
import { record } from './mutate-case';
import { isFailure, withDirectory } from './directory-failure';
import { formatTime } from '../domain/time-text';

interface StepRequest {
  readonly caseId: string;
  readonly by: Actor;
  readonly stepId: string;
}

async function loadWaitingStep(deps: CaseDeps, request: StepRequest, kinds: readonly PlanStep['kind'][]): Promise<Result<{ c: RecoveryCase; step: PlanStep }>> {
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  const c = stored.value;
  if (request.by.aadObjectId !== c.requester.aadObjectId)
    return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name}, who opened case ${c.id}, can do this.`);
  const step = nextStep(c);
  if (c.state !== 'executing' || !step || step.id !== request.stepId || !kinds.includes(step.kind) || c.steps?.[step.id]?.status !== 'waiting') {
    return fail(ErrorCode.StepOutOfOrder, `That action is not available now: case ${c.id} is ${c.state}${step ? `, next step "${step.title}"` : ''}.`);
  }
  return ok({ c, step });
}

/** The agent says a guided step is done; the bot re-checks the directory before it believes it. */
export async function confirmGuidedStep(deps: CaseDeps, request: StepRequest): Promise<Result<RecoveryCase>> {
  const loaded = await loadWaitingStep(deps, request, ['pointInTimeRestore', 'checkMethods']);
  if (!loaded.ok) return loaded;
  const { c, step } = loaded.value;
  const checked = await withDirectory(deps.logger, 're-check methods', async () => {
    if (step.kind === 'pointInTimeRestore') return checkRecoveredMethods(deps, c);
    const methods = (await deps.directory.listMethods(effectiveUserId(c))).filter((m) => m.type !== 'password' && m.type !== 'temporaryAccessPass');
    return {
      complete: methods.length > 0,
      detail: methods.length > 0 ? `New methods registered: ${methodsLabel(methods)}.` : 'No new method is registered yet.',
    };
  });
  if (isFailure(checked)) return checked;
  if (!checked.complete)
    return fail(ErrorCode.StepOutOfOrder, `Re-checked, not done yet: ${checked.detail} Nothing was recorded; click again when it is done.`);
  const done = await record(deps, request.caseId, {
    type: 'completeStep',
    stepId: step.id,
    requestIds: [],
    detail: `Confirmed by ${request.by.name}, re-checked: ${checked.detail}`,
    by: request.by,
  });
  return done.ok ? runSteps(deps, request.caseId, { graph: false }) : done;
}

/** Records how the caller's identity was verified, which unlocks the secret steps. */
export async function recordIdentityVerification(deps: CaseDeps, request: StepRequest & { method: string; note: string }): Promise<Result<RecoveryCase>> {
  if (!deps.settings.identityVerificationMethods.includes(request.method)) {
    return fail(ErrorCode.InputMalformed, `Choose one of: ${deps.settings.identityVerificationMethods.join(', ')}.`);
  }
  const loaded = await loadWaitingStep(deps, request, ['verifyIdentity']);
  if (!loaded.ok) return loaded;
  const verified = await record(deps, request.caseId, { type: 'recordIdentityVerification', by: request.by, method: request.method, note: request.note });
  if (!verified.ok) return verified;
  const done = await record(deps, request.caseId, {
    type: 'completeStep',
    stepId: request.stepId,
    requestIds: [],
    detail: `${request.method}: ${request.note.trim()}`,
    by: request.by,
  });
  return done.ok ? runSteps(deps, request.caseId, { graph: false }) : done;
}

/** Optional steps of an accidental recovery ("as needed" in the guidance) can be marked not needed. */
export async function skipStep(deps: CaseDeps, request: StepRequest): Promise<Result<RecoveryCase>> {
  const loaded = await loadWaitingStep(deps, request, ['verifyIdentity', 'resetPassword', 'issueTap']);
  if (!loaded.ok) return loaded;
  if (!isOptional(loaded.value.step, loaded.value.c)) return fail(ErrorCode.StepOutOfOrder, 'In a malicious recovery every step is required.');
  const done = await record(deps, request.caseId, {
    type: 'completeStep',
    stepId: request.stepId,
    requestIds: [],
    detail:
      loaded.value.step.kind === 'issueTap' && loaded.value.c.identityVerification?.kind === 'accountRecovery'
        ? `Not needed: Account Recovery issued the user their Temporary Access Pass (${request.by.name})`
        : `Not needed (${request.by.name})`,
    by: request.by,
  });
  return done.ok ? runSteps(deps, request.caseId, { graph: false }) : done;
}

export async function retryStep(deps: CaseDeps, request: StepRequest): Promise<Result<RecoveryCase>> {
  const retried = await record(deps, request.caseId, { type: 'retryStep', by: request.by, stepId: request.stepId });
  return retried.ok ? runSteps(deps, request.caseId, { graph: false }) : retried;
}

/**
 * Creates the new password or the TAP at the moment the requesting agent asks for it and hands it back to that caller
 * only. The case records that it happened and when it expires, never the value. A step already done cannot reveal
 * again: the value was not kept.
 */
export async function revealSecret(
  deps: CaseDeps,
  request: StepRequest & { kind: 'password' | 'tap'; tapLifetimeInMinutes?: number; tapOneTime?: boolean },
): Promise<Result<{ secret: RevealedSecret; case: RecoveryCase }>> {
  const loaded = await loadWaitingStep(deps, request, [request.kind === 'password' ? 'resetPassword' : 'issueTap']);
  if (!loaded.ok) return loaded;
  const { c } = loaded.value;
  const stillAgent = await withDirectory(deps.logger, 'check requester', () => deps.directory.memberOf(request.by.aadObjectId, deps.settings.helpdeskGroupIds));
  if (isFailure(stillAgent)) return stillAgent;
  if (stillAgent.length === 0) return fail(ErrorCode.RequesterNotAllowed, 'You are no longer in a helpdesk group, so the secret cannot be revealed to you.');
  if (request.kind === 'tap') {
    // Checked before anything is recorded: a lifetime outside the tenant's policy changes nothing and can be corrected.
    const lifetime = request.tapLifetimeInMinutes ?? deps.settings.tap.lifetimeInMinutes;
    const policy = await withDirectory(deps.logger, 'read TAP policy', () => deps.directory.tapPolicy());
    if (isFailure(policy)) return policy;
    if (!policy.enabled)
      return fail(
        ErrorCode.InputMalformed,
        'The tenant\u2019s Temporary Access Pass policy is disabled; enable it, or use another way to let the user register.',
      );
    if (lifetime < policy.minimumLifetimeInMinutes || lifetime > policy.maximumLifetimeInMinutes) {
      return fail(
        ErrorCode.InputMalformed,
        `The TAP lifetime must be between ${policy.minimumLifetimeInMinutes} and ${policy.maximumLifetimeInMinutes} minutes (tenant policy). Nothing was changed.`,
      );
    }
  }
  const started = await record(deps, request.caseId, { type: 'startStep', stepId: request.stepId, by: request.by });
  if (!started.ok) return started;
  const userId = effectiveUserId(c);
  // A write whose answer was lost may have taken effect: the failure must not say that nothing changed.
  const made = await withDirectory(
    deps.logger,
    request.kind === 'password' ? 'set password' : 'create TAP',
    async () => {
      if (request.kind === 'password') {
        const value = deps.secrets.password();
        const r = await deps.directory.setPassword(userId, value, true);
        return { value, requestIds: r.requestIds, detail: 'New password set; the user must change it at next sign-in. Shown once to the requesting agent.' };
      }
      const lifetime = request.tapLifetimeInMinutes ?? deps.settings.tap.lifetimeInMinutes;
      const oneTime = request.tapOneTime ?? deps.settings.tap.isUsableOnce;
      const unseen = await deleteUnseenTaps(deps, userId);
      const r = await deps.directory.createTap(userId, { lifetimeInMinutes: lifetime, isUsableOnce: oneTime });
      return {
        value: r.pass,
        expiresAt: r.expiresAt,
        isUsableOnce: oneTime,
        requestIds: [...unseen.requestIds, ...r.requestIds],
        detail: `TAP issued (${oneTime ? 'one-time' : 'multi-use'}, ${r.lifetimeInMinutes} min), expires at ${formatTime(r.expiresAt, deps.settings.triage.timeZone)}. Shown once to the requesting agent.${unseen.detail}${lostAttempts(r.unseenDeleted)}`,
      };
    },
    { mayHaveChanged: true },
  );
  if (isFailure(made)) {
    await record(deps, request.caseId, { type: 'failStep', stepId: request.stepId, requestIds: [], error: `${made.message} (${made.code})` });
    return made;
  }
  const done = await record(deps, request.caseId, {
    type: 'completeStep',
    stepId: request.stepId,
    requestIds: made.requestIds,
    detail: made.detail,
    by: request.by,
  });
  if (!done.ok) return done;
  const after = await runSteps(deps, request.caseId, { graph: false });
  return ok({
    secret: {
      kind: request.kind,
      value: made.value,
      ...('expiresAt' in made && made.expiresAt ? { expiresAt: made.expiresAt, isUsableOnce: made.isUsableOnce } : {}),
      caseId: c.id,
      userPrincipalName: c.target.userPrincipalName,
    },
    case: after.ok ? after.value : done.value,
  });
}

/** What the record says when Microsoft Graph's answer to a create was lost and the pass it made was deleted. */
function lostAttempts(deleted: number): string {
  if (deleted === 0) return '';
  return ` Microsoft Graph's answer to an earlier create was lost; the ${deleted === 1 ? 'pass it made was' : `${deleted} passes it made were`} deleted unseen before this one.`;
}

/**
 * A TAP that exists when this step is about to issue one was never shown in this case: the step is still waiting, so
 * either a reveal was interrupted after Graph created the pass (a crash, a timeout) or someone outside the case made
 * it. Nobody here can hand it out and it may be an attacker's, so it is deleted and the deletion recorded; then the
 * user ends with exactly one pass, the one the agent sees. (Graph would replace it anyway, silently.)
 */
async function deleteUnseenTaps(deps: CaseDeps, userId: string): Promise<{ requestIds: string[]; detail: string }> {
  const taps = (await deps.directory.listMethods(userId)).filter((m) => m.type === 'temporaryAccessPass');
  const requestIds: string[] = [];
  for (const tap of taps) {
    const request = deleteRequest(userId, tap);
    if (request) requestIds.push(...(await deps.directory.deleteMethod(request)).requestIds);
  }
  if (taps.length === 0) return { requestIds, detail: '' };
  const when = taps.map((t) => t.createdDateTime ?? 'at an unknown time').join(', ');
  deps.logger.warn('deleted a TAP that nobody in the case was shown before issuing a new one', { userId, count: taps.length });
  return {
    requestIds,
    detail: ` A TAP created ${when} that nobody in this case was shown (an interrupted reveal, or made outside the case) was deleted first.`,
  };
}

export type { RevealedSecret };
