import type { RecoveryCase } from '../domain/case';
import { actorLabel, type Scenario, type TimelineEntry } from '../domain/triage';
import { describeState } from '../domain/workflow';
import { cardReasons, fitNewest, FREE_TEXT_CARD_CHARS, NAME_CARD_CHARS, shorten } from './card-budget';
import { scenarioLabel, scenarioPosture, targetLine } from './case-text';
import { formatUtc, methodLabel } from './format';

export interface TimelineRow {
  when: string;
  activity: string;
  method: string;
  /** Who made the change, as the audit log names them (directory text: rendered without Markdown). */
  who: string;
  result: string;
  /** "Outside working hours · unknown actor", or empty. */
  flag: string;
  flagged: boolean;
  /** One cell each on the card (fewer elements per row keep 25 rows well under the size limit). */
  activityText: string;
  resultText: string;
  resultColor: 'Attention' | 'Default';
  rowStyle: 'attention' | 'default';
}

export interface TriageView {
  caseId: string;
  version: number;
  target: string;
  status: string;
  hasTriage: boolean;
  nothingChanged: boolean;
  recommendation: string;
  recommendationColor: 'Good' | 'Attention';
  posture: string;
  reasons: { text: string }[];
  hasMoreReasons: boolean;
  moreReasons: string;
  hasTimeline: boolean;
  timelineSummary: string;
  timeline: TimelineRow[];
  hasMore: boolean;
  moreText: string;
  /** The agent's decision, once made. */
  hasScenario: boolean;
  scenarioText: string;
  overrideReason: string;
  hasOverrideReason: boolean;
  /** Choice, reason and the confirm button: while the scenario can still be chosen. */
  canConfirm: boolean;
  confirmTitle: string;
  scenarioChoices: { title: string; value: Scenario }[];
  defaultScenario: Scenario;
  /** "No recovery needed" with its reason: offered with the scenario choice, until asked once. */
  canCloseNoRecovery: boolean;
  /** What the button does for this case: closes now (nothing changed) or goes to the approvers (changes were seen). */
  noRecoveryHint: string;
  /** The close without recovery, once asked. */
  hasNoRecovery: boolean;
  noRecoveryText: string;
}

/** The close without recovery as the triage card and the summary say it: who, when, why, and who had to agree. */
export function noRecoveryLine(c: RecoveryCase): string {
  const n = c.noRecovery;
  if (!n) return '';
  const why = `Reason: ${shorten(n.reason, FREE_TEXT_CARD_CHARS)}`;
  if (!n.changesSeen) return `No recovery needed: closed by ${n.by.name} at ${formatUtc(n.at)}; nothing changed in the audit window. ${why}`;
  const outcome =
    c.state === 'documented'
      ? 'approved and closed'
      : c.state === 'denied' || c.state === 'expired' || c.state === 'cancelled'
        ? `not closed this way (${describeState(c.state)})`
        : 'waiting for the approvers, because the audit log shows changes';
  return `No recovery needed: asked by ${n.by.name} at ${formatUtc(n.at)}; ${outcome}. Nothing in the directory is changed by this close. ${why}`;
}

export function timelineRow(t: TimelineEntry): TimelineRow {
  const ip = t.actor.kind === 'user' && t.actor.ipAddress ? `, from ${t.actor.ipAddress}` : '';
  const flags = [t.outsideWorkingHours ? 'outside working hours' : '', t.actorTrust === 'unknown' ? 'unknown actor' : ''].filter(Boolean);
  const flag = flags.length > 0 ? `⚠ ${flags.join(', ')}` : '';
  const method = t.methodType ? methodLabel(t.methodType) : '';
  return {
    when: formatUtc(t.at),
    activity: t.activity,
    method,
    who: `${actorLabel(t.actor)}${ip}`,
    result: t.result,
    flag,
    flagged: flag !== '',
    activityText: method ? `${t.activity} (${method})` : t.activity,
    resultText: flag ? `${t.result} · ${flag}` : t.result,
    resultColor: flag ? 'Attention' : 'Default',
    rowStyle: flag !== '' ? 'attention' : 'default',
  };
}

/** The triage card's data: what changed, what the bot recommends and why, and the agent's choice. No secrets. */
export function triageView(c: RecoveryCase): TriageView {
  const triage = c.triage;
  const recommendation: Scenario = triage?.recommendation ?? 'malicious';
  const timeline = triage?.timeline ?? [];
  // The most recent changes matter most; the earlier ones stay in the export.
  const rows = timeline.map(timelineRow).map((row) => ({ ...row, who: shorten(row.who, NAME_CARD_CHARS) }));
  const { shown, hidden } = fitNewest(rows, (r) => `${r.when}${r.activityText}${r.who}${r.resultText}`);
  const canConfirm = triage !== undefined && (c.state === 'triaged' || c.state === 'planProposed') && !c.noRecovery;
  const chosen = c.scenario;
  return {
    caseId: c.id,
    version: c.version,
    target: targetLine(c),
    status: `Case ${c.id} is ${describeState(c.state)}.`,
    hasTriage: triage !== undefined,
    nothingChanged: triage?.nothingChanged ?? false,
    recommendation: scenarioLabel(recommendation),
    recommendationColor: recommendation === 'accidental' ? 'Good' : 'Attention',
    posture: scenarioPosture(recommendation),
    ...cardReasons(triage?.reasons ?? []),
    hasTimeline: shown.length > 0,
    timelineSummary: `${timeline.length} relevant change(s) in the audit window, oldest first.`,
    timeline: shown,
    hasMore: hidden > 0,
    moreText: `${hidden} more in the export (the earlier entries).`,
    hasScenario: chosen !== undefined,
    scenarioText: chosen
      ? `${scenarioLabel(chosen.value)}, confirmed by ${chosen.by.name} at ${formatUtc(chosen.at)}${chosen.overridden ? `, against the ${recommendation} recommendation` : ''}.`
      : '',
    overrideReason: chosen?.reason ? `Reason: ${shorten(chosen.reason, FREE_TEXT_CARD_CHARS)}` : '',
    hasOverrideReason: Boolean(chosen?.reason),
    canConfirm,
    confirmTitle: c.state === 'planProposed' ? 'Change scenario' : 'Confirm scenario',
    scenarioChoices: (['accidental', 'malicious'] as const).map((value) => ({
      title: `${scenarioLabel(value)}: ${scenarioPosture(value)}${value === recommendation ? ' (recommended)' : ''}`,
      value,
    })),
    defaultScenario: chosen?.value ?? recommendation,
    canCloseNoRecovery: canConfirm,
    noRecoveryHint: triage?.nothingChanged
      ? 'Nothing changed in the audit window, so the case closes at once with your reason.'
      : 'The audit log shows changes, so closing without a recovery goes to the approvers first (nothing in the directory is changed).',
    hasNoRecovery: c.noRecovery !== undefined,
    noRecoveryText: noRecoveryLine(c),
  };
}
