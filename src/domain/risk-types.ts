/**
 * The shapes of a helpdesk-attack risk and what it costs in approvals: a leaf module, so that `approvalRule`
 * (target.ts) can count them without target.ts depending on the rules (helpdesk-risk.ts), which read triage.
 */

export type RiskCode =
  | 'RISK.TARGET_RECENTLY_RECOVERED'
  | 'RISK.REQUESTER_RECENTLY_RECOVERED'
  | 'RISK.AGENT_BURST'
  | 'RISK.OUTSIDE_WORKING_HOURS'
  | 'RISK.PRIVILEGED_TARGET'
  | 'RISK.REQUESTER_IS_MANAGER';

export type RiskConsequence = { readonly kind: 'raiseApprovals'; readonly by: number } | { readonly kind: 'override' } | { readonly kind: 'show' };

/** A risk found at intake: a stable code, a sentence for people (names allowed, never a secret), and what it costs. */
export interface FlaggedRisk {
  readonly code: RiskCode;
  readonly text: string;
  readonly consequence: RiskConsequence;
}

/** The most approvals any case needs, however many risks raise it. */
export const MAX_REQUIRED_APPROVALS = 3;

/** The approvals the risks add, before the cap. */
export function extraApprovals(risks: readonly FlaggedRisk[]): number {
  return risks.reduce((n, r) => n + (r.consequence.kind === 'raiseApprovals' ? r.consequence.by : 0), 0);
}
