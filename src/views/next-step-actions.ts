import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { PlanStep } from '../domain/plan';
import { nextStep } from '../domain/workflow';

/** What the agent can do on one step. At most one step of a case has any of these: the next one. */
export interface StepActions {
  readonly confirmGuided: boolean;
  readonly recordIdentity: boolean;
  readonly revealPassword: boolean;
  readonly revealTap: boolean;
  readonly skip: boolean;
  readonly retry: boolean;
}

export const NO_STEP_ACTIONS: StepActions = { confirmGuided: false, recordIdentity: false, revealPassword: false, revealTap: false, skip: false, retry: false };

/**
 * In the accidental playbook the password, the TAP and the identity check that guards them are "as needed"
 * (guidance, accidental step 4); in the malicious playbook every step is required.
 */
function optional(step: PlanStep, c: RecoveryCase): boolean {
  const accidental = c.scenario?.value === 'accidental';
  return accidental && (step.kind === 'resetPassword' || step.kind === 'issueTap' || step.kind === 'verifyIdentity');
}

function agentActions(step: PlanStep, c: RecoveryCase): StepActions {
  const skip = optional(step, c);
  switch (step.kind) {
    case 'pointInTimeRestore':
      return { ...NO_STEP_ACTIONS, confirmGuided: true };
    case 'verifyIdentity':
      return { ...NO_STEP_ACTIONS, recordIdentity: true, skip };
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
export function nextStepActions(c: RecoveryCase): { stepId: string; actions: StepActions } | undefined {
  if (c.state !== 'executing' && c.state !== 'failed') return undefined;
  const step = nextStep(c);
  if (!step) return undefined;
  const status = c.steps?.[step.id]?.status ?? 'pending';
  if (c.state === 'failed') return status === 'failed' ? { stepId: step.id, actions: { ...NO_STEP_ACTIONS, retry: true } } : undefined;
  if (status === 'running' || status === 'failed') return undefined;
  const actions = agentActions(step, c);
  return Object.values(actions).some(Boolean) ? { stepId: step.id, actions } : undefined;
}
