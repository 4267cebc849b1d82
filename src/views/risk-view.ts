import type { RecoveryCase } from '../domain/case';
import { consequenceText } from '../domain/helpdesk-risk';
import { approvalRule } from '../domain/target';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { formatUtc } from './format';

/** The risk lines every card that shows them shares (intake, approval, summary): at most six rules, each shortened. */
export interface RiskLines {
  risks: { text: string }[];
  hasRisks: boolean;
  /** Why this many approvals: the base rule and each risk that raised it. */
  approvalsBecause: string;
  riskOverride: string;
  hasRiskOverride: boolean;
}

/** One risk as people read it: "RISK.AGENT_BURST (needs an override with a reason): Megan Bowen opened 6 cases …". */
export function riskLine(r: { code: string; text: string; consequence: Parameters<typeof consequenceText>[0] }): string {
  return `${r.code} (${consequenceText(r.consequence)}): ${r.text}`;
}

export function riskLines(c: RecoveryCase): RiskLines {
  const risks = c.risks ?? [];
  const rule = approvalRule(c.intake, risks);
  const base = rule.approvers === 'privilegedApprovers' ? '2 from the privileged approvers (privileged target)' : '1 from the approvers';
  const override = c.riskOverride;
  return {
    risks: risks.map((r) => ({ text: shorten(riskLine(r), FREE_TEXT_CARD_CHARS) })),
    hasRisks: risks.length > 0,
    approvalsBecause: rule.raisedBy.length > 0 ? `${rule.required} approval(s) needed: ${base}, raised by ${rule.raisedBy.join(', ')} (at most 3).` : '',
    riskOverride: override
      ? `Risks overridden by ${override.by.name} at ${formatUtc(override.at)}. Reason: ${shorten(override.reason, FREE_TEXT_CARD_CHARS)}`
      : risks.some((r) => r.consequence.kind === 'override')
        ? `Approval can be requested only after the requester overrides these risks with a reason: "override ${c.id}" followed by the reason.`
        : '',
    hasRiskOverride: Boolean(override) || risks.some((r) => r.consequence.kind === 'override'),
  };
}
