import type { RecoveryCase } from '../domain/case';
import type { PlanStep } from '../domain/plan';
import { describeState } from '../domain/workflow';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { graphRequestText, scenarioLabel, scenarioPosture, stepFlags, stepFlagsText, stepRequests, targetLine } from './case-text';
import { formatUtc } from './format';
import { noRecoveryLine } from './triage-view';

/** DELETEs listed for removeAllMethods before "and n more"; the step itself deletes whatever it finds when it runs. */
export const PREVIEW_CARD_ROWS = 15;

export interface PlanStepRow {
  number: string;
  title: string;
  /** Exact Graph calls, "METHOD /v1.0/path" (or /beta/). */
  requests: { line: string }[];
  hasRequests: boolean;
  note: string;
  hasNote: boolean;
  moreRequests: string;
  hasMoreRequests: boolean;
  flags: string;
  hasFlags: boolean;
  flagColor: 'Attention' | 'Default';
}

export interface PlanView {
  caseId: string;
  version: number;
  target: string;
  status: string;
  hasScenario: boolean;
  scenario: string;
  scenarioColor: 'Good' | 'Attention';
  posture: string;
  confirmedBy: string;
  overridden: boolean;
  overrideText: string;
  steps: PlanStepRow[];
  summary: string;
  /** Request approval and cancel: only while the plan is proposed. */
  canRequestApproval: boolean;
}

function stepNote(step: PlanStep, previewCount: number): string {
  if (step.kind === 'verifyIdentity') return 'No Graph call: the agent records how the caller\u2019s identity was checked.';
  if (step.kind === 'removeAllMethods') {
    return previewCount > 0
      ? 'Lists the methods when it runs and deletes each one; the deletions known now:'
      : 'Lists the methods when it runs and deletes each one; none are known now.';
  }
  if (step.kind === 'recreateUser') {
    const p = step.prefill;
    const extra = [p.jobTitle, p.department].filter(Boolean).join(', ');
    return `Creates ${p.displayName} (${p.userPrincipalName}, mail nickname ${p.mailNickname}${extra ? `; ${extra}` : ''}) with a new object id; nothing of the old account returns.`;
  }
  if (stepFlags(step).guided) return 'The bot cannot make this call (it needs a signed-in administrator); it checks the result.';
  return '';
}

export function planStepRow(step: PlanStep, index: number): PlanStepRow {
  const { main, preview } = stepRequests(step);
  const shownPreview = preview.slice(0, PREVIEW_CARD_ROWS);
  const hidden = preview.length - shownPreview.length;
  const requests = [...(main ? [main] : []), ...shownPreview].map((r) => ({ line: graphRequestText(r) }));
  const note = stepNote(step, preview.length);
  const flags = stepFlagsText(step);
  return {
    number: `${index + 1}.`,
    title: step.title,
    requests,
    hasRequests: requests.length > 0,
    note,
    hasNote: note !== '',
    moreRequests: `and ${hidden} more DELETE request(s)`,
    hasMoreRequests: hidden > 0,
    flags,
    hasFlags: flags !== '',
    flagColor: step.destructive ? 'Attention' : 'Default',
  };
}

/** The plan card's data: the playbook as numbered steps with the exact Graph calls, so the plan is its own dry run. */
export function planView(c: RecoveryCase): PlanView {
  const plan = c.plan ?? [];
  const chosen = c.scenario;
  const destructive = plan.filter((s) => s.destructive).length;
  return {
    caseId: c.id,
    version: c.version,
    target: targetLine(c),
    status: `Case ${c.id} is ${describeState(c.state)}.`,
    hasScenario: chosen !== undefined,
    scenario: chosen ? scenarioLabel(chosen.value) : '',
    scenarioColor: chosen?.value === 'accidental' ? 'Good' : 'Attention',
    posture: chosen ? scenarioPosture(chosen.value) : '',
    confirmedBy: chosen ? `Confirmed by ${chosen.by.name} at ${formatUtc(chosen.at)}.` : '',
    overridden: chosen?.overridden ?? false,
    overrideText: chosen?.overridden
      ? `Chosen against the ${c.triage?.recommendation ?? 'bot\u2019s'} recommendation. Reason: ${shorten(chosen.reason ?? '(none recorded)', FREE_TEXT_CARD_CHARS)}`
      : '',
    steps: plan.map(planStepRow),
    summary: c.noRecovery ? noRecoveryLine(c) : `${plan.length} step(s), ${destructive} of them destructive, in this order.`,
    canRequestApproval: c.state === 'planProposed',
  };
}
