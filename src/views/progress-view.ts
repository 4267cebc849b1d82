import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { PlanStep } from '../domain/plan';
import { describeState } from '../domain/workflow';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { scenarioLabel, targetLine } from './case-text';
import { formatUtc } from './format';
import { NO_STEP_ACTIONS, nextStepActions, type StepActions } from './next-step-actions';
import { stepStatusText, type StepRow } from './step-status';
import { verificationLines, type VerificationLine } from './verification-view';

/** Choices the progress card offers; the composition root passes the configured ones (CaseSettings has this shape). */
export interface ProgressOptions {
  readonly identityVerificationMethods: readonly string[];
  /**
   * The Temporary Access Pass the agent is offered. Bounds default to Entra's default TAP policy (60 to 480 minutes),
   * widened to include the configured lifetime.
   */
  readonly tap: { readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean; readonly minMinutes?: number; readonly maxMinutes?: number };
  /** Verified ID, when configured: the identity step then offers the bot's own verification. */
  readonly verifiedId?: { readonly maxAttempts: number };
  /** The clock, to tell an open Verified ID request from one past its expiry; without it the recorded status counts. */
  readonly now?: () => Date;
}

export const DEFAULT_PROGRESS_OPTIONS: ProgressOptions = {
  identityVerificationMethods: ['Video call with manager', 'In person with photo ID'],
  tap: { lifetimeInMinutes: 60, isUsableOnce: true },
};

export interface ProgressStepRow extends StepActions, StepRow {
  stepId: string;
  hasActions: boolean;
  /** The identity step's Verified ID requests, rules and fallback. */
  verification: VerificationLine[];
  hasVerification: boolean;
}

export interface ProgressView {
  caseId: string;
  version: number;
  target: string;
  status: string;
  scenario: string;
  stateNote: string;
  hasStateNote: boolean;
  steps: ProgressStepRow[];
  /** The requester starts an approved case. */
  canStart: boolean;
  secretsNote: string;
  identityMethods: { title: string; value: string }[];
  tapLifetime: number;
  tapMin: number;
  tapMax: number;
  tapLifetimeLabel: string;
  tapOneTime: 'true' | 'false';
  /** Where a secret step's Reveal button is: its own message, which the bot does not edit while the case runs. */
  revealHint: string;
  /** Where the identity step's form is: a message of its own (form-view.ts), which the bot does not edit while it is open. */
  identityFormHint: string;
  fallbackFormHint: string;
}

function stateNote(c: RecoveryCase): string {
  switch (c.state) {
    case 'approved':
      return `Approved. ${c.requester.name} starts the recovery; each step's result appears here.`;
    case 'failed':
      return 'Stopped on a failed step. Nothing after it ran. Fix the cause (the detail says what Graph answered), then retry the step.';
    case 'validating':
      return 'All steps are done. Validation and the summary follow in the summary card.';
    case 'documented':
      return 'The case is closed; see the summary card.';
    case 'denied':
    case 'expired':
    case 'cancelled':
      return `The case is ${describeState(c.state)}; no step will run.`;
    case 'opened':
    case 'triaged':
    case 'planProposed':
    case 'awaitingApproval':
      return 'No step runs before the plan is approved.';
    case 'executing':
      return '';
    default:
      return assertNever(c.state);
  }
}

function stepRow(c: RecoveryCase, step: PlanStep, index: number, next: ReturnType<typeof nextStepActions>, now: Date | undefined): ProgressStepRow {
  const run = c.steps?.[step.id];
  const actions = next?.stepId === step.id ? next.actions : NO_STEP_ACTIONS;
  const hasActions = Object.values(actions).some(Boolean);
  const requestIds = run?.requestIds ?? [];
  const detail = run?.detail ? `${shorten(run.detail, FREE_TEXT_CARD_CHARS)}${run.at ? ` (${formatUtc(run.at)})` : ''}` : '';
  const verification = step.kind === 'verifyIdentity' ? verificationLines(c, now).map((l) => ({ ...l, text: shorten(l.text, FREE_TEXT_CARD_CHARS) })) : [];
  return {
    stepId: step.id,
    number: `${index + 1}.`,
    title: step.title,
    ...stepStatusText(run?.status ?? 'pending', hasActions && !actions.retry),
    detail,
    hasDetail: detail !== '',
    requestIds: `Graph request id(s): ${requestIds.join(', ')}`,
    hasRequestIds: requestIds.length > 0,
    hasActions,
    verification,
    hasVerification: verification.length > 0,
    ...actions,
  };
}

/** The progress card's data: one row per step, and the agent's controls on the next step only. Never a secret. */
export function progressView(c: RecoveryCase, options: ProgressOptions = DEFAULT_PROGRESS_OPTIONS): ProgressView {
  const now = options.now?.();
  const next = nextStepActions(c, { verifiedId: options.verifiedId !== undefined, maxAttempts: options.verifiedId?.maxAttempts ?? 0, ...(now ? { now } : {}) });
  const note = stateNote(c);
  const { tap } = options;
  const tapMin = tap.minMinutes ?? Math.min(60, tap.lifetimeInMinutes);
  const tapMax = tap.maxMinutes ?? Math.max(480, tap.lifetimeInMinutes);
  return {
    caseId: c.id,
    version: c.version,
    target: targetLine(c),
    status: `Case ${c.id} is ${describeState(c.state)}.`,
    scenario: c.scenario ? scenarioLabel(c.scenario.value) : 'not chosen',
    stateNote: note,
    hasStateNote: note !== '',
    steps: (c.plan ?? []).map((step, i) => stepRow(c, step, i, next, now)),
    canStart: c.state === 'approved',
    secretsNote: `Secrets are shown only to ${c.requester.name}, never in this thread.`,
    identityMethods: options.identityVerificationMethods.map((m) => ({ title: m, value: m })),
    tapLifetime: tap.lifetimeInMinutes,
    tapMin,
    tapMax,
    tapLifetimeLabel: `Lifetime in minutes (${tapMin}–${tapMax})`,
    tapOneTime: tap.isUsableOnce ? 'true' : 'false',
    identityFormHint: `${c.requester.name}: record the manual check on its own message in this thread ("Case ${c.id}: identity check"); the bot does not change that message while you type.`,
    fallbackFormHint: `Approvers: accept or refuse the fallback on its own message in this thread ("Case ${c.id}: fallback approval").`,
    revealHint: `${c.requester.name}: reveal it on its own message in this thread ("Case ${c.id}: new password" or "Temporary Access Pass"). Only you can; the value appears there, for you alone, and stays.`,
  };
}
