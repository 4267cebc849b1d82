import type { RecoveryCase } from '../domain/case';
import { describeState } from '../domain/workflow';
import { formatDuration, graphRequestText, scenarioLabel, stepFlagsText, stepRequests, targetLine } from './case-text';
import { formatUtc, methodLabel } from './format';
import { riskLine, riskLines } from './risk-view';
import { identityLine } from './summary-view';
import { ruleLabel } from './verification-view';
import { stepStatusText, validationOutcomeText } from './step-status';
import { timelineRow } from './triage-view';

/**
 * The case as a file for the incident record: everything the summary card shows, plus the full timeline, every
 * planned Graph request and the full journal. The case holds no secret, so neither export can contain one; both
 * reproduce what people typed faithfully (nothing is redacted or reworded).
 */
export function exportCaseMarkdown(c: RecoveryCase): string {
  return (
    [header(c), intake(c), risks(c), scenario(c), approvals(c), steps(c), identity(c), validation(c), lessons(c), timeline(c), journal(c)].join('\n\n') + '\n'
  );
}

/** The stored case, pretty-printed: the machine-readable record. */
export function exportCaseJson(c: RecoveryCase): string {
  return JSON.stringify(c, null, 2) + '\n';
}

/** Table cells: a pipe would end the cell and a newline the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>') || '—';
}

function table(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${headings.join(' | ')} |`, `|${headings.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** Free text as a quote block, so whatever was typed stays one block, line breaks included. */
function quote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

function header(c: RecoveryCase): string {
  return [
    `# Recovery case ${c.id}`,
    table(
      ['Field', 'Value'],
      [
        ['Target', targetLine(c)],
        ['Object id', c.target.id],
        ['State', describeState(c.state)],
        ['Requested by', c.requester.name],
        ['Opened', formatUtc(c.openedAt)],
        ['Closed', c.closedAt ? formatUtc(c.closedAt) : 'still open'],
        ['Duration', formatDuration(c.openedAt, c.closedAt)],
      ],
    ),
  ].join('\n\n');
}

function intake(c: RecoveryCase): string {
  const { account, methods, roles, takenAt } = c.intake;
  const methodRows = (methods ?? []).map((m) => [methodLabel(m.type), m.detail, m.createdDateTime ? formatUtc(m.createdDateTime) : '']);
  return [
    '## At intake',
    `Account: ${account.kind} (read ${formatUtc(takenAt)}). Directory roles: ${roles.length === 0 ? 'none' : roles.map((r) => r.displayName).join(', ')}.`,
    methods ? table(['Method', 'Detail', 'Registered'], methodRows) : 'Methods could not be read (the account was deleted).',
  ].join('\n\n');
}

/** Every helpdesk-attack risk in full (the cards shorten them), why approvals were raised, and the override's reason. */
function risks(c: RecoveryCase): string {
  const all = c.risks ?? [];
  if (all.length === 0) return '## Helpdesk-attack risks\n\nNone flagged when the case opened.';
  const lines = riskLines(c);
  const parts = ['## Helpdesk-attack risks', all.map((r) => `- ${riskLine(r)}`).join('\n')];
  if (lines.approvalsBecause) parts.push(lines.approvalsBecause);
  if (c.riskOverride) parts.push(`Overridden by ${c.riskOverride.by.name} at ${formatUtc(c.riskOverride.at)}. Reason:\n\n${quote(c.riskOverride.reason)}`);
  else if (lines.hasRiskOverride) parts.push(lines.riskOverride);
  return parts.join('\n\n');
}

function scenario(c: RecoveryCase): string {
  const parts = ['## Scenario'];
  if (c.triage) {
    parts.push(
      `Recommended: **${scenarioLabel(c.triage.recommendation)}**${c.triage.nothingChanged ? ' (nothing changed in the audit window)' : ''}, because:`,
    );
    parts.push(c.triage.reasons.map((r) => `- ${r}`).join('\n'));
  } else {
    parts.push('Not triaged.');
  }
  if (c.scenario) {
    parts.push(
      `Chosen: **${scenarioLabel(c.scenario.value)}** by ${c.scenario.by.name} at ${formatUtc(c.scenario.at)}${c.scenario.overridden ? ', against the recommendation' : ''}.`,
    );
    if (c.scenario.reason) parts.push(`Reason:\n\n${quote(c.scenario.reason)}`);
  }
  if (c.noRecovery) {
    const n = c.noRecovery;
    parts.push(
      `**No recovery needed**: asked by ${n.by.name} at ${formatUtc(n.at)}; ${
        n.changesSeen ? 'the audit log shows changes, so the close went to the approvers' : 'nothing changed in the audit window, so the reason alone closed it'
      }. Reason:\n\n${quote(n.reason)}`,
    );
  }
  return parts.join('\n\n');
}

function approvals(c: RecoveryCase): string {
  if (!c.approval) return '## Approvals\n\nApproval was not requested.';
  const a = c.approval;
  return [
    '## Approvals',
    `${a.required} approval(s) required; requested ${formatUtc(a.requestedAt)}, expiring ${formatUtc(a.expiresAt)}.`,
    table(
      ['Who', 'Decision', 'When', 'Comment or reason'],
      a.decisions.map((d) => [d.by.name, d.decision === 'approve' ? 'approved' : 'denied', formatUtc(d.at), d.comment ?? '']),
    ),
  ].join('\n\n');
}

function steps(c: RecoveryCase): string {
  const plan = c.plan ?? [];
  if (plan.length === 0) return '## Steps\n\nNo plan was made.';
  const items = plan.map((step, i) => {
    const run = c.steps?.[step.id];
    const status = stepStatusText(run?.status ?? 'pending', false);
    const { main, preview } = stepRequests(step);
    const flags = stepFlagsText(step);
    const lines = [`${i + 1}. **${step.title}**: ${status.statusWord}${run?.at ? ` (${formatUtc(run.at)})` : ''}`];
    if (flags) lines.push(`   - ${flags}`);
    for (const r of [...(main ? [main] : []), ...preview]) lines.push(`   - \`${graphRequestText(r)}\``);
    if (run?.detail) lines.push(`   - Result: ${run.detail.replace(/\r?\n/g, ' ')}`);
    if (run && run.requestIds.length > 0) lines.push(`   - Graph request id(s): ${run.requestIds.join(', ')}`);
    return lines.join('\n');
  });
  return ['## Steps', items.join('\n')].join('\n\n');
}

function identity(c: RecoveryCase): string {
  const v = c.identityVerification;
  const attempts = (c.verification?.attempts ?? []).map((a) => {
    const rules = (a.decision?.rules ?? []).map((r) => `   - ${r.passed ? 'pass' : 'FAIL'} ${ruleLabel(r.rule)}: ${r.detail}`);
    const evidence = a.evidence
      ? [
          `   - Credential: ${a.evidence.type.join(', ')} from ${a.evidence.issuer}${a.evidence.linkedDomain ? `, linked domain ${a.evidence.linkedDomain}` : ''}`,
          `   - Issued ${a.evidence.issuanceDate ?? 'unknown'}, expires ${a.evidence.expirationDate ?? 'unknown'}, revocation ${a.evidence.revocationStatus ?? 'unknown'}`,
          `   - Face Check: ${a.evidence.matchConfidenceScore ?? 'no score'} (threshold ${a.threshold}), source photo quality ${a.evidence.sourcePhotoQuality ?? 'unknown'}`,
          `   - Claims presented (names only): ${a.evidence.claimNames.join(', ') || 'none'}`,
        ]
      : [];
    const callbacks = a.callbacks.map((k) => `${k.status} ${k.at}`).join(', ');
    return [
      `${a.attempt}. Request ${a.requestId} by ${a.by.name} at ${a.requestedAt}, expires ${a.expiresAt}: **${a.status}**${a.failure ? ` (${a.failure})` : ''}`,
      `   - Compromise start used: ${a.compromiseStartedAt ?? 'unknown'}; callbacks: ${callbacks || 'none'}`,
      ...evidence,
      ...rules,
    ].join('\n');
  });
  const refused = (c.verification?.refusedFallbacks ?? []).map(
    (f) => `- Fallback ${f.method} asked by ${f.by.name} at ${f.at}, refused by ${f.refusedBy.name}: ${f.reason}`,
  );
  return [
    '## Identity verification',
    identityLine(c),
    ...(v ? [`Note:\n\n${quote(v.note)}`] : []),
    ...(attempts.length ? ['Verified ID requests (the photo, the subject DID and claim values other than the UPN are never kept):', attempts.join('\n')] : []),
    ...(refused.length ? [refused.join('\n')] : []),
  ].join('\n\n');
}

function validation(c: RecoveryCase): string {
  const checks = c.validation ?? [];
  if (checks.length === 0) return '## Validation\n\nNo validation checks recorded.';
  return [
    '## Validation',
    table(
      ['Check', 'Outcome', 'Detail'],
      checks.map((k) => [k.name, validationOutcomeText(k.outcome).word, k.detail]),
    ),
  ].join('\n\n');
}

function lessons(c: RecoveryCase): string {
  if (c.noLessons) return ['## Lessons learned', 'None, because:', quote(c.noLessons.reason)].join('\n\n');
  return ['## Lessons learned', c.lessons ? quote(c.lessons) : 'None recorded.'].join('\n\n');
}

function timeline(c: RecoveryCase): string {
  const entries = c.triage?.timeline ?? [];
  if (entries.length === 0) return '## Timeline\n\nNo relevant change in the audit window.';
  const rows = entries.map(timelineRow).map((r) => [r.when, r.activity, r.method, r.who, r.result, r.flag]);
  return ['## Timeline', `${entries.length} relevant change(s), oldest first.`, table(['When', 'Activity', 'Method', 'Who', 'Result', 'Flag'], rows)].join(
    '\n\n',
  );
}

function journal(c: RecoveryCase): string {
  return [
    '## Journal',
    table(
      ['When', 'By', 'Event', 'Detail'],
      c.journal.map((j) => [j.at, j.by, j.event, j.detail ?? '']),
    ),
  ].join('\n\n');
}
