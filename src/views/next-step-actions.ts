import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import { isOptional, type PlanStep } from '../domain/plan';
import { accountRecoveryAdvice, openHandOff } from '../domain/account-recovery-handoff';
import { openAttempt } from '../domain/identity-verification';
import { nextStep } from '../domain/workflow';

/** What the agent can do on one step. At most one step of a case has any of these: the next one. */
export interface StepActions {
  readonly confirmGuided: boolean;
  /** Accidental playbook: the agent records a manual method. */
  readonly recordIdentity: boolean;
  /** The bot sends a Verified ID presentation request (configured, no request open, attempts left). */
  readonly verifyWithVerifiedId: boolean;
  /** Malicious playbook: the agent asks one more approver to accept a manual method. */
  readonly requestFallback: boolean;
  /** A fallback waits: approvers accept or refuse it (the use case checks who clicks). */
  readonly decideFallback: boolean;
  /** Account Recovery is the better path here: the requester hands the user to it. */
  readonly accountRecovery: boolean;
  /** A hand-off is open: the requester asks the bot to look at the audit log now. */
  readonly checkAccountRecovery: boolean;
  readonly revealPassword: boolean;
  readonly revealTap: boolean;
  readonly skip: boolean;
  readonly retry: boolean;
}

export const NO_STEP_ACTIONS: StepActions = {
  confirmGuided: false,
  recordIdentity: false,
  verifyWithVerifiedId: false,
  requestFallback: false,
  decideFallback: false,
  accountRecovery: false,
  checkAccountRecovery: false,
  revealPassword: false,
  revealTap: false,
  skip: false,
  retry: false,
};

/** What the identity step offers depends on the configuration too: whether Verified ID is set up, and its attempts. */
export interface IdentityOptions {
  readonly verifiedId: boolean;
  readonly maxAttempts: number;
  /** Without a clock, a request recorded as open counts as open. */
  readonly now?: Date;
}

function identityActions(c: RecoveryCase, skip: boolean, options: IdentityOptions): StepActions {
  const malicious = c.scenario?.value === 'malicious';
  const attempts = c.verification?.attempts ?? [];
  const pendingFallback = malicious && c.verification?.fallback !== undefined;
  const open = options.now ? openAttempt(c, options.now) : attempts.find((a) => a.status === 'requested' || a.status === 'retrieved');
  const canRequest = options.verifiedId && !open && attempts.length < options.maxAttempts;
  const handedOff = openHandOff(c) !== undefined;
  return {
    ...NO_STEP_ACTIONS,
    accountRecovery: !handedOff && accountRecoveryAdvice(c).advised,
    checkAccountRecovery: handedOff,
    verifyWithVerifiedId: canRequest,
    recordIdentity: !malicious,
    requestFallback: malicious && !pendingFallback,
    decideFallback: pendingFallback,
    skip,
  };
}

function agentActions(step: PlanStep, c: RecoveryCase, options: IdentityOptions): StepActions {
  const skip = isOptional(step, c);
  switch (step.kind) {
    case 'pointInTimeRestore':
      return { ...NO_STEP_ACTIONS, confirmGuided: true };
    case 'verifyIdentity':
      return identityActions(c, skip, options);
    case 'resetPassword':
      return { ...NO_STEP_ACTIONS, revealPassword: true, skip };
    case 'issueTap':
      return { ...NO_STEP_ACTIONS, revealTap: true, skip };
    case 'checkMethods':
      // In a malicious recovery the user re-registers with the TAP; the agent says when, and the bot re-checks.
      return c.scenario?.value === 'malicious' ? { ...NO_STEP_ACTIONS, confirmGuided: true } : NO_STEP_ACTIONS;
    case 'restoreUser':
    case 'recreateUser':
    case 'removeAllMethods':
    case 'revokeSessions':
      // The bot runs these itself; the agent has nothing to click.
      return NO_STEP_ACTIONS;
    default:
      return assertNever(step);
  }
}

/** The next step's actions, only while the case runs (or stopped on that step); nothing while the bot is working on it. */
export function nextStepActions(
  c: RecoveryCase,
  options: IdentityOptions = { verifiedId: false, maxAttempts: 0 },
): { stepId: string; actions: StepActions } | undefined {
  if (c.state !== 'executing' && c.state !== 'failed') return undefined;
  const step = nextStep(c);
  if (!step) return undefined;
  const status = c.steps?.[step.id]?.status ?? 'pending';
  if (c.state === 'failed') return status === 'failed' ? { stepId: step.id, actions: { ...NO_STEP_ACTIONS, retry: true } } : undefined;
  if (status === 'running' || status === 'failed') return undefined;
  const actions = agentActions(step, c, options);
  return Object.values(actions).some(Boolean) ? { stepId: step.id, actions } : undefined;
}
