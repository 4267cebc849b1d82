import { randomBytes } from 'node:crypto';
import { effectiveUserId, type Actor, type RecoveryCase } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { defaultMethodId, deleteRequest, deletionOrder, USABLE_AFTER_RESTORE, type PlanStep } from '../domain/plan';
import type { AuthMethod } from '../domain/target';
import { nextStep } from '../domain/workflow';
import type { CaseDeps } from '../ports/case-services';
import { DirectoryError, type CallBudget } from '../ports/directory';
import { record } from './mutate-case';

/** Two Graph deadlines (60 s each) and some paging: a step that takes longer is stuck, not slow. */
export const DEFAULT_STEP_DEADLINE_MS = 120_000;

/**
 * Gives a step until its deadline. A late step is recorded as failed with a message that says what is known: Graph
 * may still finish part of it, and Retry repeats the (idempotent) step, which checks what is done. The abandoned work
 * is left to end on its own; its result is ignored and its failure swallowed.
 */
async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new DirectoryError(
          'unavailable',
          `The step did not finish within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}, so it was stopped. Microsoft Graph may still complete some of its changes; Retry repeats the step, which checks what is already done.`,
          undefined,
          undefined,
          ErrorCode.DirectoryTimeout,
        ),
      );
    }, ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Steps a person completes (guided admin-center work, identity checks, revealing a secret). */
const AGENT_STEPS = new Set<PlanStep['kind']>(['pointInTimeRestore', 'verifyIdentity', 'resetPassword', 'issueTap']);

export interface StepOutcome {
  readonly requestIds: readonly string[];
  readonly detail: string;
  readonly newUserId?: string;
}

/** The requester starts an approved case; the automatic steps then run until one needs a person. */
/**
 * Records the start of the run; the steps themselves run after the click has been answered (runSteps, as background
 * work), because Teams gives an invoke about 5 s and a removal of many methods under throttling takes longer.
 */
export async function startExecution(deps: CaseDeps, request: { caseId: string; by: Actor }): Promise<Result<RecoveryCase>> {
  const started = await record(deps, request.caseId, { type: 'startExecution', by: request.by });
  return started.ok ? runSteps(deps, request.caseId, { graph: false }) : started;
}

export function methodsLabel(methods: readonly AuthMethod[]): string {
  return methods.length === 0 ? 'none' : methods.map((m) => `${m.type} (${m.detail})`).join(', ');
}

/**
 * Removes every method Graph can delete, in an order it accepts, then checks that none is left: three steps however
 * many methods (read methods and the default together, delete them as one ordered chain per API version, read again).
 * Each read includes the beta-only types (a hardware OATH token, which v1.0 never lists). A default method refused while
 * others remained is retried in a second pass. `budget` tells each batched call how long it may retry transient
 * failures (the time left of the step); without it the adapter's own limits apply.
 */
export async function removeAllMethods(
  deps: Pick<CaseDeps, 'directory'>,
  userId: string,
  budget: () => CallBudget | undefined = () => undefined,
): Promise<StepOutcome> {
  const requestIds: string[] = [];
  const removed: AuthMethod[] = [];
  let current = await deps.directory.methodsAndDetails(userId, budget());
  for (let pass = 0; pass < 2; pass++) {
    const methods = current.methods.filter((m) => m.type !== 'password' && deleteRequest(userId, m));
    if (methods.length === 0) break;
    const ordered = deletionOrder(methods, defaultMethodId(current.details?.userPreferredMethodForSecondaryAuthentication, methods));
    try {
      const result = await deps.directory.deleteMethods(
        ordered.flatMap((m) => deleteRequest(userId, m) ?? []),
        budget(),
      );
      requestIds.push(...result.requestIds);
      removed.push(...ordered);
      break;
    } catch (e) {
      // A default method refused while others remain is retried on the second pass, after the others are gone.
      if (!(e instanceof DirectoryError && e.failure === 'badRequest') || pass === 1) throw e;
      current = await deps.directory.methodsAndDetails(userId, budget());
      const left = new Set(current.methods.map((m) => m.id));
      removed.push(...ordered.filter((m) => !left.has(m.id)));
    }
  }
  const left = (await deps.directory.listMethods(userId)).filter((m) => m.type !== 'password');
  if (left.length > 0) throw new DirectoryError('badRequest', `These methods could not be removed: ${methodsLabel(left)}.`);
  return { requestIds, detail: `Removed ${removed.length} method(s): ${methodsLabel(removed)}. The password cannot be deleted; it is reset in a later step.` };
}

/** Compares the methods now present with the ones the timeline says were removed, using the usability table. */
export async function checkRecoveredMethods(deps: CaseDeps, c: RecoveryCase): Promise<{ complete: boolean; detail: string }> {
  const methods = await deps.directory.listMethods(effectiveUserId(c));
  const removedTypes = [
    ...new Set((c.triage?.timeline ?? []).filter((t) => t.change === 'methodRemoved' && t.methodType).map((t) => t.methodType ?? 'unknown')),
  ];
  const presentTypes = new Set(methods.map((m) => m.type));
  const missing = removedTypes.filter((t) => !presentTypes.has(t) && USABLE_AFTER_RESTORE[t]);
  const usable = methods.filter((m) => USABLE_AFTER_RESTORE[m.type]);
  const unusable = methods.filter((m) => !USABLE_AFTER_RESTORE[m.type]);
  const detail = [
    `Usable now: ${methodsLabel(usable)}.`,
    unusable.length ? `Not usable after a restore (per the guidance): ${methodsLabel(unusable)}.` : '',
    missing.length ? `Still missing: ${missing.join(', ')}.` : removedTypes.length ? 'Every removed method type is back.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { complete: missing.length === 0, detail };
}

/**
 * The part of a step's deadline its batched calls may spend retrying: a quarter is kept for the round trip under way
 * when a wait would not fit and for the re-check after it, so a step that gives up says why before the deadline does.
 */
function budgetWithin(deps: Pick<CaseDeps, 'clock'>, deadlineMs: number): () => CallBudget {
  const endsAt = deps.clock.now().getTime() + deadlineMs * 0.75;
  return () => ({ withinMs: Math.max(0, endsAt - deps.clock.now().getTime()) });
}

async function perform(deps: CaseDeps, c: RecoveryCase, step: PlanStep, deadlineMs: number): Promise<StepOutcome> {
  const userId = effectiveUserId(c);
  switch (step.kind) {
    case 'restoreUser': {
      const r = await deps.directory.restoreUser(userId);
      return { requestIds: r.requestIds, detail: r.alreadyDone ? 'The user was already restored.' : 'User restored from deleted users.' };
    }
    case 'recreateUser': {
      const r = await deps.directory.createUser(step.prefill, deps.secrets.password());
      return {
        requestIds: r.requestIds,
        detail: `${r.alreadyDone ? 'The user already existed' : 'User recreated'} with object id ${r.userId}; it has no authentication methods.`,
        newUserId: r.userId,
      };
    }
    case 'removeAllMethods':
      return removeAllMethods(deps, userId, budgetWithin(deps, deadlineMs));
    case 'revokeSessions': {
      const r = await deps.directory.revokeSessions(userId);
      return { requestIds: r.requestIds, detail: 'Sign-in sessions revoked; existing tokens stop working within minutes.' };
    }
    case 'checkMethods':
      return { requestIds: [], detail: (await checkRecoveredMethods(deps, c)).detail };
    case 'pointInTimeRestore':
    case 'verifyIdentity':
    case 'resetPassword':
    case 'issueTap':
      throw new Error(`step ${step.kind} is done by a person, not by the executor`);
  }
}

function waitingText(c: RecoveryCase, step: PlanStep): string {
  switch (step.kind) {
    case 'pointInTimeRestore':
      return `A Backup Administrator restores ${c.target.userPrincipalName} in the Entra admin center: Backup and Recovery > pick the last snapshot before ${step.before || 'the change'} > Recover > scope "Users" > this user. Then click "I did it, re-check".`;
    case 'verifyIdentity':
      return 'Verify the caller\u2019s identity and record how before any password or TAP is revealed.';
    case 'resetPassword':
      return `${c.requester.name}: reveal the new password when you are on the call with the verified user.`;
    case 'issueTap':
      return `${c.requester.name}: reveal the Temporary Access Pass when you are on the call with the verified user.`;
    case 'checkMethods':
      return 'Ask the user to sign in with the TAP and register a phishing-resistant method, then click "I did it, re-check".';
    case 'restoreUser':
    case 'recreateUser':
    case 'removeAllMethods':
    case 'revokeSessions':
      return 'Waiting for the agent.';
  }
}

/**
 * A bug (not a Graph failure) stopped a step. It is logged in full under a correlation id, and the step is recorded
 * as failed with only that id, so the case offers Retry instead of sitting on a step that says "running" forever.
 */
async function failUnexpectedly(deps: CaseDeps, caseId: string, step: PlanStep, error: unknown): Promise<Result<RecoveryCase>> {
  const reference = `ERR-${randomBytes(4).toString('hex').toUpperCase()}`;
  deps.logger.error('step failed unexpectedly', {
    caseId,
    stepId: step.id,
    correlationId: reference,
    error: error instanceof Error ? error.name : 'unknown',
    detail: error instanceof Error ? error.message : String(error),
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  });
  const failed = await record(deps, caseId, {
    type: 'failStep',
    stepId: step.id,
    requestIds: [],
    error: `An unexpected error stopped this step (reference ${reference}); nothing after it ran. Retry repeats it; if it fails again, give the reference to your administrator. (${ErrorCode.StepUnexpected})`,
  });
  return failed.ok ? ok(failed.value) : failed;
}

/**
 * Runs automatic steps in order until one needs a person, fails, or the plan ends (with `graph: false`, only marks
 * the next step as waiting for a person when it is one, and runs no Graph step). Each step is recorded as running
 * before its Graph call and as done or failed after, and every step is idempotent, so a crash or a Retry repeats
 * nothing harmful.
 */
export async function runSteps(deps: CaseDeps, caseId: string, options: { graph: boolean } = { graph: true }): Promise<Result<RecoveryCase>> {
  for (;;) {
    const stored = await deps.cases.get(caseId);
    if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${caseId}.`);
    const c = stored.value;
    const step = nextStep(c);
    if (c.state !== 'executing' || !step) return ok(c);
    const run = c.steps?.[step.id];
    const needsPerson = AGENT_STEPS.has(step.kind) || (step.kind === 'checkMethods' && c.scenario?.value === 'malicious');
    if (needsPerson) {
      if (run?.status === 'waiting') return ok(c);
      return record(deps, caseId, { type: 'waitForAgent', stepId: step.id, detail: waitingText(c, step) });
    }
    // Without Graph (inside a click, which Teams gives about 5 s): stop before the first step that calls it.
    if (!options.graph) return ok(c);
    if (run?.status !== 'running') {
      const started = await record(deps, caseId, { type: 'startStep', stepId: step.id });
      if (!started.ok) return started;
    }
    let outcome: StepOutcome;
    const deadlineMs = deps.settings.stepDeadlineMs ?? DEFAULT_STEP_DEADLINE_MS;
    try {
      outcome = await withinDeadline(perform(deps, c, step, deadlineMs), deadlineMs);
    } catch (e) {
      if (!(e instanceof DirectoryError)) return failUnexpectedly(deps, caseId, step, e);
      deps.logger.warn('step failed', { caseId, stepId: step.id, failure: e.failure, code: e.code, requestId: e.requestId });
      const failed = await record(deps, caseId, {
        type: 'failStep',
        stepId: step.id,
        requestIds: e.requestId ? [e.requestId] : [],
        error: `${e.message} (${e.code})`,
      });
      return failed.ok ? ok(failed.value) : failed;
    }
    const done = await record(deps, caseId, {
      type: 'completeStep',
      stepId: step.id,
      requestIds: outcome.requestIds,
      detail: outcome.detail,
      ...(outcome.newUserId ? { newUserId: outcome.newUserId } : {}),
    });
    if (!done.ok) return done;
  }
}
