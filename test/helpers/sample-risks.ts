import type { RecoveryCase } from '../../src/domain/case';
import type { FlaggedRisk } from '../../src/domain/helpdesk-risk';

/** Long text as people write it (words, not one unbroken token): the end of the burst risk, 600 characters. */
export const LONG_RISK_TAIL = 'Cases opened back to back. '.repeat(23).slice(0, 600);
/** A long override reason, 900 characters. */
export const LONG_OVERRIDE_REASON = 'Many users lost their push approvals at once. '.repeat(20).slice(0, 900);

/** One risk of each rule, as intake flags them (long names included, for the card budget). */
export const EVERY_RISK: readonly FlaggedRisk[] = [
  {
    code: 'RISK.TARGET_RECENTLY_RECOVERED',
    text: 'This user was recovered or refused recently (within 30 days): RC-OLD00001 (executed, opened 2026-11-10T09:00:00.000Z by Megan Bowen).',
    consequence: { kind: 'raiseApprovals', by: 1 },
  },
  {
    code: 'RISK.REQUESTER_RECENTLY_RECOVERED',
    text: 'The requester Megan Bowen had their own account recovered within 30 days: RC-OWN00001 (executed, opened 2026-11-12T09:00:00.000Z by Diego Siciliani).',
    consequence: { kind: 'raiseApprovals', by: 1 },
  },
  {
    code: 'RISK.AGENT_BURST',
    text: `Megan Bowen opened 6 recovery cases within 60 minutes (more than 5). ${LONG_RISK_TAIL}`,
    consequence: { kind: 'override' },
  },
  { code: 'RISK.OUTSIDE_WORKING_HOURS', text: 'Requested outside working hours (07:00-19:00 UTC, ISO days 1,2,3,4,5).', consequence: { kind: 'override' } },
  { code: 'RISK.PRIVILEGED_TARGET', text: 'The user is privileged or decides recoveries: holds Global Administrator.', consequence: { kind: 'show' } },
  {
    code: 'RISK.REQUESTER_IS_MANAGER',
    text: 'The requester Megan Bowen is the user’s manager, who is also the one told of this recovery.',
    consequence: { kind: 'show' },
  },
];

/** The case with every risk flagged, and (unless `overridden` is false) the requester's override with a long reason. */
export function withEveryRisk(c: RecoveryCase, overridden = true): RecoveryCase {
  return {
    ...c,
    risks: EVERY_RISK,
    ...(overridden
      ? { riskOverride: { by: c.requester, at: '2026-11-18T12:05:00.000Z', reason: `Outage of the Authenticator push. ${LONG_OVERRIDE_REASON}` } }
      : {}),
  };
}
