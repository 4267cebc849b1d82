import { assertNever } from './errors';
import type { FlaggedRisk, RiskConsequence } from './risk-types';

export { extraApprovals, MAX_REQUIRED_APPROVALS, type FlaggedRisk, type RiskCode, type RiskConsequence } from './risk-types';
import { isOutsideWorkingHours, type WorkingHours } from './triage';

/**
 * The helpdesk-attack rules, checked when a case opens. Helpdesk social engineering (a caller posing as the employee to
 * get MFA reset, or an insider agent working through a list) is the attack this product exists to stop; these rules
 * make the pattern visible to the agent and the approvers, and make it cost more than one approval.
 *
 * | Code | Fires when | Consequence | Why |
 * |---|---|---|---|
 * | `RISK.TARGET_RECENTLY_RECOVERED` | the target had a case opened within `RECOVERY_COOLDOWN_DAYS` that reached execution (the account was changed) or was denied | +1 approval | a second reset soon after the first is how an attacker takes back an account its owner just recovered; a denied case asked again is approver shopping. Cancelled or expired cases without a run are not counted: nothing happened and nobody said no |
 * | `RISK.REQUESTER_RECENTLY_RECOVERED` | the requester was the target of a case opened within `RECOVERY_COOLDOWN_DAYS` that reached execution | +1 approval | an account that was just reset may be the attacker's now; a second pair of eyes decides what it asks for |
 * | `RISK.AGENT_BURST` | the requester opened more than `RECOVERY_BURST_LIMIT` cases within `RECOVERY_BURST_WINDOW_MINUTES`, this one included | override with a reason | an insider, or a hijacked agent account, working through a list; a real outage morning is legitimate, and the agent says so in writing before any approver is asked |
 * | `RISK.OUTSIDE_WORKING_HOURS` | the request is outside the triage working hours (`WORKING_HOURS`, `WORKING_DAYS`, `HELPDESK_TIME_ZONE`) | override with a reason | callers choose nights and weekends, when the helpdesk is thin and the user cannot be reached; on-call work is legitimate and says why |
 * | `RISK.PRIVILEGED_TARGET` | the target is privileged or an approver (`privilegeReasons`) | shown only | `approvalRule` already asks two privileged approvers; the risk is still shown and recorded |
 * | `RISK.REQUESTER_IS_MANAGER` | the requester is the target's manager | shown only | the manager is told of the recovery out of band, and here the manager is the one asking; the alternate email (when configured) is the independent channel |
 *
 * Raised approvals add up, capped at {@link MAX_REQUIRED_APPROVALS} in all, and come from the same approver groups the
 * target needs anyway (`approvalRule` in target.ts is the one home of who decides). An override is one reason for all
 * the risks that need one, recorded by the requester before approval can be requested.
 */

/** A case from the history, as the rules need it. */
export interface PastCase {
  readonly id: string;
  readonly openedAt: string;
  readonly targetId: string;
  readonly targetName: string;
  readonly requesterId: string;
  readonly requesterName: string;
  /** executed: the run started (the account was changed); denied: an approver said no; other: open, cancelled, expired. */
  readonly outcome: 'executed' | 'denied' | 'other';
}

export interface RiskSettings {
  readonly cooldownDays: number;
  /** 0: the burst rule is off (RECOVERY_BURST_LIMIT=0, for load tests; not recommended). */
  readonly burstLimit: number;
  readonly burstWindowMinutes: number;
  readonly workingHours: WorkingHours;
}

export interface RiskInput {
  readonly caseId: string;
  readonly targetId: string;
  readonly requester: { readonly aadObjectId: string; readonly name: string };
  readonly at: Date;
  /** Why the target is privileged: `privilegeReasons(snapshot)` (target.ts), empty for an ordinary user. */
  readonly privilege: readonly string[];
  /** The target's own cases (this one excluded or not: it is skipped by id). */
  readonly targetHistory: readonly PastCase[];
  /** Cases in which the requester was the target. */
  readonly requesterAsTarget: readonly PastCase[];
  /** Cases the requester opened, this one included once recorded. */
  readonly requesterOpened: readonly PastCase[];
  /** The target's manager's object id, when known. */
  readonly managerId?: string;
}

const DAY_MS = 86_400_000;

/** Within the last `ms` before `at`: an instant exactly `ms` ago is outside (the boundary does not fire). */
function within(at: Date, iso: string, ms: number): boolean {
  const age = at.getTime() - Date.parse(iso);
  return age >= 0 && age < ms;
}

const caseList = (cases: readonly PastCase[]): string => cases.map((c) => `${c.id} (${c.outcome}, opened ${c.openedAt} by ${c.requesterName})`).join(', ');

/** The rules, in the table's order. Pure: the history and the time are passed in. */
export function helpdeskRisks(input: RiskInput, settings: RiskSettings): FlaggedRisk[] {
  const risks: FlaggedRisk[] = [];
  const cooldown = settings.cooldownDays * DAY_MS;
  const recent = input.targetHistory.filter(
    (c) => c.id !== input.caseId && c.outcome !== 'other' && c.targetId === input.targetId && within(input.at, c.openedAt, cooldown),
  );
  if (recent.length > 0) {
    risks.push({
      code: 'RISK.TARGET_RECENTLY_RECOVERED',
      text: `This user was recovered or refused recently (within ${settings.cooldownDays} days): ${caseList(recent)}.`,
      consequence: { kind: 'raiseApprovals', by: 1 },
    });
  }
  const self = input.requesterAsTarget.filter(
    (c) => c.id !== input.caseId && c.outcome === 'executed' && c.targetId === input.requester.aadObjectId && within(input.at, c.openedAt, cooldown),
  );
  if (self.length > 0) {
    risks.push({
      code: 'RISK.REQUESTER_RECENTLY_RECOVERED',
      text: `The requester ${input.requester.name} had their own account recovered within ${settings.cooldownDays} days: ${caseList(self)}.`,
      consequence: { kind: 'raiseApprovals', by: 1 },
    });
  }
  const burstWindow = settings.burstWindowMinutes * 60_000;
  const opened = new Set(
    input.requesterOpened.filter((c) => c.requesterId === input.requester.aadObjectId && within(input.at, c.openedAt, burstWindow)).map((c) => c.id),
  );
  opened.add(input.caseId);
  if (settings.burstLimit > 0 && opened.size > settings.burstLimit) {
    risks.push({
      code: 'RISK.AGENT_BURST',
      text: `${input.requester.name} opened ${opened.size} recovery cases within ${settings.burstWindowMinutes} minutes (more than ${settings.burstLimit}).`,
      consequence: { kind: 'override' },
    });
  }
  if (isOutsideWorkingHours(input.at.toISOString(), settings.workingHours)) {
    const h = settings.workingHours;
    risks.push({
      code: 'RISK.OUTSIDE_WORKING_HOURS',
      text: `Requested outside working hours (${String(h.startHour).padStart(2, '0')}:00-${String(h.endHour).padStart(2, '0')}:00 ${h.timeZone}, ISO days ${h.days.join(',')}).`,
      consequence: { kind: 'override' },
    });
  }
  const privilege = input.privilege;
  if (privilege.length > 0) {
    risks.push({
      code: 'RISK.PRIVILEGED_TARGET',
      text: `The user is privileged or decides recoveries: ${privilege.join('; ')}.`,
      consequence: { kind: 'show' },
    });
  }
  if (input.managerId !== undefined && input.managerId === input.requester.aadObjectId) {
    risks.push({
      code: 'RISK.REQUESTER_IS_MANAGER',
      text: `The requester ${input.requester.name} is the user's manager, who is also the one told of this recovery.`,
      consequence: { kind: 'show' },
    });
  }
  return risks;
}

/** The risks that need the requester's override with a reason before approval can be requested. */
export function risksNeedingOverride(risks: readonly FlaggedRisk[]): readonly FlaggedRisk[] {
  return risks.filter((r) => r.consequence.kind === 'override');
}

/** The consequence as people read it on cards and in the export. */
export function consequenceText(c: RiskConsequence): string {
  switch (c.kind) {
    case 'raiseApprovals':
      return `+${c.by} approval`;
    case 'override':
      return 'needs an override with a reason';
    case 'show':
      return 'shown only';
    default:
      return assertNever(c);
  }
}
