import type { RecoveryCase } from '../domain/case';
import { describeState } from '../domain/workflow';
import { decisionRow, type DecisionRow } from './approval-view';
import { formatDuration, scenarioLabel, targetLine } from './case-text';
import { formatUtc } from './format';
import { cardReasons, FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { stepStatusText, validationOutcomeText, type StepRow, type TextColor } from './step-status';
import { riskLines, type RiskLines } from './risk-view';
import { lessonsText } from '../domain/closing';
import { noRecoveryLine } from './triage-view';

export type SummaryStepRow = StepRow;

export interface SummaryCheckRow {
  name: string;
  outcome: string;
  color: TextColor;
  detail: string;
}

export interface SummaryView extends RiskLines {
  caseId: string;
  version: number;
  target: string;
  objectId: string;
  status: string;
  requester: string;
  openedAt: string;
  closedAt: string;
  duration: string;
  scenario: string;
  scenarioWhy: string;
  reasons: { text: string }[];
  hasMoreReasons: boolean;
  moreReasons: string;
  hasOverride: boolean;
  overrideText: string;
  approvalNote: string;
  approvers: DecisionRow[];
  hasApprovers: boolean;
  steps: SummaryStepRow[];
  hasSteps: boolean;
  identity: string;
  checks: SummaryCheckRow[];
  hasChecks: boolean;
  /** Why there are no checks: not run yet, or nothing was recovered to validate. */
  noChecksText: string;
  lessons: string;
  hasLessons: boolean;
  /** A close without recovery (triage card), with its reason and who had to agree. */
  hasNoRecovery: boolean;
  noRecoveryText: string;
  /** Lessons, re-check and close: only while the case is in validation. */
  canClose: boolean;
  /** The close form is a message of its own (form-view.ts): validation edits this card, never the lessons being typed. */
  closeFormHint: string;
}

function scenarioWhy(c: RecoveryCase): string {
  const rec = c.triage
    ? `Recommended: ${scenarioLabel(c.triage.recommendation)}${c.triage.nothingChanged ? ' (nothing changed in the audit window)' : ''}.`
    : 'Not triaged.';
  const chosen = c.scenario ? ` Chosen by ${c.scenario.by.name} at ${formatUtc(c.scenario.at)}.` : '';
  return `${rec}${chosen}`;
}

/** The identity check as the record keeps it: how, by whom, when. The agent's free-text note stays in the journal. */
export function identityLine(c: RecoveryCase): string {
  const v = c.identityVerification;
  const attempts = c.verification?.attempts ?? [];
  const tried = attempts.length
    ? ` Verified ID requests: ${attempts.map((a) => `${a.attempt} ${a.status}${a.status === 'failed' || a.status === 'expired' ? ` (${a.failure ?? ''})` : ''}`).join('; ')}.`
    : '';
  if (!v) return `No identity verification was recorded.${tried}`;
  switch (v.kind) {
    case 'verifiedId':
      return `Verified ID with Face Check passed, started by ${v.by.name}, decided at ${formatUtc(v.at)}.${tried}`;
    case 'accountRecovery':
      return `The user recovered through ${v.method}, handed off by ${v.by.name}; completion seen ${formatUtc(v.at)} and confirmed by their new method.${tried}`;
    case 'fallback':
      return `WITHOUT Verified ID (fallback): ${v.method}, recorded by ${v.by.name}, accepted by ${v.approvedBy?.name ?? 'an approver'} at ${formatUtc(v.at)}.${tried}`;
    case 'manual':
    case undefined:
      return `${v.method}, recorded by ${v.by.name} at ${formatUtc(v.at)}.${tried}`;
  }
}

/** The summary card's data: the whole case on one card, for the thread and the record. Never a secret. */
export function summaryView(c: RecoveryCase): SummaryView {
  const plan = c.plan ?? [];
  const decisions = c.approval?.decisions ?? [];
  const checks = c.validation ?? [];
  return {
    caseId: c.id,
    version: c.version,
    target: targetLine(c),
    objectId: c.target.id,
    status: `Case ${c.id} is ${describeState(c.state)}.`,
    requester: c.requester.name,
    openedAt: formatUtc(c.openedAt),
    closedAt: c.closedAt ? formatUtc(c.closedAt) : 'still open',
    duration: formatDuration(c.openedAt, c.closedAt),
    scenario: c.scenario ? scenarioLabel(c.scenario.value) : 'not chosen',
    scenarioWhy: scenarioWhy(c),
    ...cardReasons(c.triage?.reasons ?? []),
    hasOverride: c.scenario?.overridden ?? false,
    overrideText: c.scenario?.overridden
      ? `Chosen against the recommendation. Reason: ${shorten(c.scenario.reason ?? '(none recorded)', FREE_TEXT_CARD_CHARS)}`
      : '',
    approvalNote: c.approval ? `${c.approval.required} approval(s) required; requested ${formatUtc(c.approval.requestedAt)}.` : 'Approval was not requested.',
    approvers: decisions.map(decisionRow),
    hasApprovers: decisions.length > 0,
    steps: plan.map((step, i) => {
      const run = c.steps?.[step.id];
      const requestIds = run?.requestIds ?? [];
      return {
        number: `${i + 1}.`,
        title: step.title,
        ...stepStatusText(run?.status ?? 'pending', false),
        detail: shorten(run?.detail ?? '', FREE_TEXT_CARD_CHARS),
        hasDetail: Boolean(run?.detail),
        requestIds: `Graph request id(s): ${requestIds.join(', ')}`,
        hasRequestIds: requestIds.length > 0,
      };
    }),
    hasSteps: plan.length > 0,
    identity: identityLine(c),
    checks: checks.map((k) => {
      const o = validationOutcomeText(k.outcome);
      return { name: k.name, outcome: `${o.icon} ${o.word}`, color: o.color, detail: shorten(k.detail, FREE_TEXT_CARD_CHARS) };
    }),
    hasChecks: checks.length > 0,
    noChecksText: c.noRecovery ? 'No validation: the case was closed without a recovery.' : 'No validation checks recorded yet.',
    lessons: shorten(lessonsText(c) ?? '', 4 * FREE_TEXT_CARD_CHARS),
    hasLessons: lessonsText(c) !== undefined,
    hasNoRecovery: c.noRecovery !== undefined,
    noRecoveryText: noRecoveryLine(c),
    canClose: c.state === 'validating',
    closeFormHint: `Have the user sign in, check that MFA, SSPR and Conditional Access apply, then close the case with what you learned on its own message in this thread ("Case ${c.id}: close with lessons learned").`,
    ...riskLines(c),
  };
}
