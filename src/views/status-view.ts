import type { RecoveryCase } from '../domain/case';
import { lessonsText } from '../domain/closing';
import { assertNever } from '../domain/errors';
import type { PlanStep } from '../domain/plan';
import { describeState, nextStep } from '../domain/workflow';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { targetLine } from './case-text';
import { formatTime, methodLabel } from './format';
import { stepStatusText, type TextColor } from './step-status';
import { noRecoveryLine } from './triage-view';

export interface StatusStepRow {
  number: string;
  title: string;
  icon: string;
  statusWord: string;
  statusColor: TextColor;
  detail: string;
  hasDetail: boolean;
}

/** The `status` card: where a case stands now, what its plan did, and what is still to do. Never a secret. */
export interface StatusView {
  caseId: string;
  target: string;
  /** "Case RC-… is closed." */
  state: string;
  /** What happens next, and who has to act; or how the case ended. */
  standing: string;
  /** What the run changed in the directory, or that nothing was changed. */
  changes: { text: string }[];
  changesNote: string;
  steps: StatusStepRow[];
  hasSteps: boolean;
  stepsSummary: string;
  /** The methods read when the case opened: shown only while they are still what the directory holds (no step ran). */
  showOpening: boolean;
  openingNote: string;
  openingMethods: { label: string; detail: string }[];
  hasNoRecovery: boolean;
  noRecoveryText: string;
  lessons: string;
  hasLessons: boolean;
}

/** A step the agent marked "Not needed": done, but nothing changed. */
const skipped = (detail: string | undefined): boolean => detail?.startsWith('Not needed') ?? false;

/** Steps that only check or record something: done, they change nothing in the directory. */
const CHANGES_NOTHING: ReadonlySet<PlanStep['kind']> = new Set(['verifyIdentity', 'checkMethods']);

function stepRow(c: RecoveryCase, step: PlanStep, index: number, timeZone: string): StatusStepRow {
  const run = c.steps?.[step.id];
  const status = run?.status ?? 'pending';
  const text = skipped(run?.detail) ? { icon: '➖', statusWord: 'not needed', statusColor: 'Default' as const } : stepStatusText(status, false);
  const detail = run?.detail ? `${shorten(run.detail, FREE_TEXT_CARD_CHARS)}${run.at ? ` (${formatTime(run.at, timeZone)})` : ''}` : '';
  return { number: `${index + 1}.`, title: step.title, ...text, detail, hasDetail: detail !== '' };
}

/** Who must act next, or how the case ended: one sentence. */
function standing(c: RecoveryCase, timeZone: string): string {
  const requester = c.requester.name;
  const closed = c.closedAt ? ` at ${formatTime(c.closedAt, timeZone)}` : '';
  switch (c.state) {
    case 'opened':
      return 'Triage is reading the audit log and sign-ins; the triage card follows in the thread.';
    case 'triaged':
      return `${requester} chooses the scenario on the triage card, or closes the case there as no recovery needed.`;
    case 'planProposed':
      return c.noRecovery
        ? `${requester} asked to close without recovery; the request goes to the approvers.`
        : `${requester} requests approval on the plan card.`;
    case 'awaitingApproval': {
      const a = c.approval;
      const got = a?.decisions.filter((d) => d.decision === 'approve').length ?? 0;
      return `Waiting for ${(a?.required ?? 0) - got} more approval(s) from the approvers, until ${formatTime(a?.expiresAt, timeZone)}.`;
    }
    case 'approved':
      return 'Approved; the run starts now.';
    case 'executing': {
      const step = nextStep(c);
      if (!step) return 'Running.';
      return c.steps?.[step.id]?.status === 'waiting' ? `Waiting for ${requester}: ${step.title}.` : `Running: ${step.title}.`;
    }
    case 'failed': {
      const step = nextStep(c);
      return `Stopped on a failed step${step ? `: ${step.title}` : ''}. ${requester} can retry it on the progress card.`;
    }
    case 'validating':
      return `All steps are done. ${requester} has the user sign in, re-checks the validation and closes the case with the lessons learned on the summary card.`;
    case 'documented':
      return c.noRecovery ? `Closed without recovery${closed}.` : `Closed${closed} with the summary.`;
    case 'denied':
    case 'expired':
    case 'cancelled':
      return `Ended${closed}: ${describeState(c.state)}. Nothing more will change.`;
    default:
      return assertNever(c.state);
  }
}

/** The status card's data: the case as it is now, not as it was when it opened; times in the helpdesk's zone. */
export function statusView(c: RecoveryCase, timeZone = 'UTC'): StatusView {
  const plan = c.plan ?? [];
  const done = plan.filter((s) => c.steps?.[s.id]?.status === 'done');
  const changed = done.filter((s) => !CHANGES_NOTHING.has(s.kind) && !skipped(c.steps?.[s.id]?.detail));
  const failed = plan.filter((s) => c.steps?.[s.id]?.status === 'failed');
  const skippedCount = done.filter((s) => skipped(c.steps?.[s.id]?.detail)).length;
  const ran = done.length > 0 || failed.length > 0;
  const pending = plan.length - done.length - failed.length;
  const methods = c.intake.methods ?? [];
  const lessons = lessonsText(c);
  return {
    caseId: c.id,
    target: targetLine(c),
    state: `Case ${c.id} is ${describeState(c.state)}.`,
    standing: standing(c, timeZone),
    changes: changed.map((s) => ({ text: `${s.title}: ${shorten(c.steps?.[s.id]?.detail ?? 'done', FREE_TEXT_CARD_CHARS)}` })),
    changesNote:
      changed.length > 0
        ? `${changed.length} step(s) changed the directory:`
        : failed.length > 0
          ? 'No step has changed the directory yet; a step failed (below).'
          : 'Nothing has been changed in the directory.',
    steps: plan.map((s, i) => stepRow(c, s, i, timeZone)),
    hasSteps: plan.length > 0,
    stepsSummary: `${done.length - skippedCount} done, ${skippedCount} not needed, ${failed.length} failed, ${pending} still to do.`,
    showOpening: !ran,
    openingNote: `Methods registered when the case opened (read ${formatTime(c.intake.takenAt, timeZone)}; no step has run since):`,
    openingMethods: methods.map((m) => ({ label: methodLabel(m.type), detail: m.detail })),
    hasNoRecovery: c.noRecovery !== undefined,
    noRecoveryText: noRecoveryLine(c),
    lessons: lessons ? `Lessons learned: ${shorten(lessons, FREE_TEXT_CARD_CHARS)}` : '',
    hasLessons: lessons !== undefined,
  };
}
