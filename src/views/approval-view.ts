import { isPrivilegedSnapshot, privilegeReasons } from '../domain/target';
import type { Decision, RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import { describeState } from '../domain/workflow';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { scenarioLabel, targetLine } from './case-text';
import { formatUtc } from './format';
import { planStepRow, type PlanStepRow } from './plan-view';
import { riskLines, type RiskLines } from './risk-view';

/** Teams refreshes a card automatically for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

/**
 * An approver to @mention and to refresh the card for. `id` is what Teams accepts for both (the user's Teams id,
 * 29:…, or the Entra object id); `aadObjectId`, when known, lets the card drop approvers who already decided.
 */
export interface ApproverMention {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId?: string;
}

export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export interface DecisionRow {
  who: string;
  verdict: 'Approved' | 'Denied';
  icon: string;
  color: 'Good' | 'Attention';
  when: string;
  comment: string;
  hasComment: boolean;
}

export interface ApprovalView extends RiskLines {
  caseId: string;
  version: number;
  target: string;
  status: string;
  requester: string;
  scenario: string;
  steps: string;
  required: string;
  privileged: boolean;
  /** Why the target is privileged; empty when it is not. */
  privilegedBecause: string;
  requestedAt: string;
  expiresAt: string;
  decisions: DecisionRow[];
  hasDecisions: boolean;
  /** Approve/deny inputs and buttons: only while the request waits for decisions. */
  canDecide: boolean;
  mentionText: string;
  hasMentions: boolean;
  mentionEntities: MentionEntity[];
  /** Who gets an automatic refresh: the approvers still to decide; empty once the request is decided. */
  refreshUserIds: string[];
  outcome: string;
  outcomeColor: 'Good' | 'Attention' | 'Warning';
  hasOutcome: boolean;
  /** The "Plan" fact: where the plan is shown (the thread's plan card, or below on a 1:1 card). */
  planFact: string;
  /** A copy of the request in an approver's 1:1 chat with the bot (approver-chats.ts), not the thread's card. */
  inChat: boolean;
  chatIntro: string;
  /** On a 1:1 card: what its person decided, once they have. */
  yourDecision: string;
  hasYourDecision: boolean;
  /** On a 1:1 card: the plan's steps with their Graph calls, since the plan card is in the thread, not in this chat. */
  planSteps: PlanStepRow[];
}

export function decisionRow(d: Decision): DecisionRow {
  const approved = d.decision === 'approve';
  return {
    who: d.by.name,
    verdict: approved ? 'Approved' : 'Denied',
    icon: approved ? '✅' : '⛔',
    color: approved ? 'Good' : 'Attention',
    when: formatUtc(d.at),
    comment: d.comment ? `${approved ? 'Comment' : 'Reason'}: ${shorten(d.comment, FREE_TEXT_CARD_CHARS)}` : '',
    hasComment: Boolean(d.comment),
  };
}

function outcomeOf(c: RecoveryCase): Pick<ApprovalView, 'outcome' | 'outcomeColor'> {
  const decisions = c.approval?.decisions ?? [];
  const denial = decisions.find((d) => d.decision === 'deny');
  if (denial) return { outcome: `Denied by ${denial.by.name} at ${formatUtc(denial.at)}. Nothing was changed.`, outcomeColor: 'Attention' };
  switch (c.state) {
    case 'opened':
    case 'triaged':
    case 'planProposed':
    case 'awaitingApproval':
      return { outcome: '', outcomeColor: 'Good' };
    case 'expired':
      return { outcome: `The request expired at ${formatUtc(c.approval?.expiresAt)} without enough approvals. Nothing was changed.`, outcomeColor: 'Warning' };
    case 'cancelled':
      return { outcome: `The case was cancelled${c.closedAt ? ` at ${formatUtc(c.closedAt)}` : ''}. Nothing more will change.`, outcomeColor: 'Warning' };
    case 'denied':
      return { outcome: 'Denied. Nothing was changed.', outcomeColor: 'Attention' };
    case 'approved':
    case 'executing':
    case 'failed':
    case 'validating':
    case 'documented': {
      const names = decisions.filter((d) => d.decision === 'approve').map((d) => d.by.name);
      if (c.noRecovery)
        return { outcome: `Approved by ${names.join(' and ')}. Closed without recovery; nothing in the directory was changed.`, outcomeColor: 'Good' };
      return { outcome: `Approved by ${names.join(' and ')}. ${c.requester.name} runs the recovery; progress follows in this thread.`, outcomeColor: 'Good' };
    }
    default:
      return assertNever(c.state);
  }
}

/** The approval card's data: the request, the decisions so far, and for the approvers still to decide, the buttons. */
export function approvalView(c: RecoveryCase, approverMentions: readonly ApproverMention[]): ApprovalView {
  const approval = c.approval;
  const decisions = approval?.decisions ?? [];
  const approvals = decisions.filter((d) => d.decision === 'approve').length;
  const canDecide = c.state === 'awaitingApproval';
  const decided = new Set(decisions.map((d) => d.by.aadObjectId));
  const excluded = (m: ApproverMention): boolean =>
    [m.id, m.aadObjectId].some((id) => id !== undefined && (decided.has(id) || id === c.requester.aadObjectId || id === c.target.id));
  const pending = canDecide ? approverMentions.filter((m) => !excluded(m)).slice(0, MAX_REFRESH_USERS) : [];
  const { outcome, outcomeColor } = outcomeOf(c);
  const plan = c.plan ?? [];
  return {
    caseId: c.id,
    version: c.version,
    target: targetLine(c),
    status: `Case ${c.id} is ${describeState(c.state)}.`,
    requester: c.requester.name,
    scenario: c.noRecovery
      ? `No recovery needed (close only): ${shorten(c.noRecovery.reason, FREE_TEXT_CARD_CHARS)}`
      : c.scenario
        ? scenarioLabel(c.scenario.value)
        : 'not chosen',
    steps: c.noRecovery
      ? 'None: the case is closed, nothing in the directory changes'
      : `${plan.length} step(s), ${plan.filter((s) => s.destructive).length} destructive`,
    required: approval ? `${approval.required} (${approvals} so far)` : 'not requested yet',
    privileged: isPrivilegedSnapshot(c.intake),
    privilegedBecause: privilegeReasons(c.intake).join('; '),
    requestedAt: formatUtc(approval?.requestedAt),
    expiresAt: formatUtc(approval?.expiresAt),
    decisions: decisions.map(decisionRow),
    hasDecisions: decisions.length > 0,
    canDecide,
    mentionText: `${pending.map((m) => `<at>${m.name}</at>`).join(', ')}: your decision is needed.`,
    hasMentions: pending.length > 0,
    mentionEntities: pending.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } })),
    refreshUserIds: pending.map((m) => m.id),
    outcome,
    outcomeColor,
    hasOutcome: outcome !== '',
    planFact: `${plan.length} step(s), ${plan.filter((s) => s.destructive).length} destructive (see the plan card above)`,
    inChat: false,
    chatIntro: '',
    yourDecision: '',
    hasYourDecision: false,
    planSteps: [],
    ...riskLines(c),
  };
}

/**
 * The request as one approver gets it in their 1:1 chat with the bot: the same facts, rules and buttons as the
 * thread's card, plus the plan itself (the plan card is in the thread, not here). Their buttons go once they have
 * decided, or once the request is over; then the card says what they decided and how the request ended.
 */
export function approvalChatView(c: RecoveryCase, viewer: string): ApprovalView {
  const view = approvalView(c, []);
  const mine = (c.approval?.decisions ?? []).find((d) => d.by.aadObjectId === viewer);
  const plan = c.plan ?? [];
  return {
    ...view,
    inChat: true,
    chatIntro: `${c.requester.name} asks the security approvers to approve this recovery. The case's thread in Teams has the triage, the plan card and the whole record; your decision here counts exactly as one there.`,
    planFact: `${plan.length} step(s), ${plan.filter((s) => s.destructive).length} destructive (below)`,
    canDecide: view.canDecide && !mine,
    yourDecision: mine ? `You ${mine.decision === 'approve' ? 'approved' : 'denied'} this request at ${formatUtc(mine.at)}.` : '',
    hasYourDecision: mine !== undefined,
    planSteps: plan.map(planStepRow),
    refreshUserIds: [],
  };
}
