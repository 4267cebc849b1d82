import type { Actor, IdentityVerification, RecoveryCase } from './case';
import type { PlanStep } from './plan';

/** The step that must run next: the first one not done. */
export function nextStep(c: RecoveryCase): PlanStep | undefined {
  return (c.plan ?? []).find((s) => c.steps?.[s.id]?.status !== 'done');
}

/** The identity step while it waits for the agent: the only time identity can be established. */
export function waitingIdentityStep(c: RecoveryCase): PlanStep | undefined {
  const step = nextStep(c);
  return c.state === 'executing' && step?.kind === 'verifyIdentity' && c.steps?.[step.id]?.status === 'waiting' ? step : undefined;
}

/** A step finished (by the bot, or by a person on a step that waited for them). */
export interface StepCompletedEvent {
  readonly type: 'stepCompleted';
  readonly at: string;
  readonly stepId: string;
  readonly requestIds: readonly string[];
  readonly detail: string;
  readonly by?: Actor;
  readonly newUserId?: string;
}

/** The caller's identity was established, and how (see IdentityVerification). */
export interface IdentityVerifiedEvent {
  readonly type: 'identityVerified';
  readonly at: string;
  readonly by: Actor;
  readonly method: string;
  readonly note: string;
  readonly kind?: IdentityVerification['kind'];
  readonly approvedBy?: Actor;
}
