import type { RecoveryCase } from './case';

/** 2026-11-18T12:00:00.000Z as 2026-11-18 12:00 UTC: no locale, the same for every reader. */
const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * What the real user (and their manager) is told when a recovery of their account is requested: who asked, when, the
 * case id, and whom to call if it was not expected. No link (nothing to phish with), no secret, no detail of the plan.
 */
export function noticeText(c: RecoveryCase, securityContact: string): { subject: string; text: string } {
  const subject = `A recovery of ${c.target.displayName}'s account was requested`;
  const text =
    `A recovery of ${c.target.displayName}'s account (${c.target.userPrincipalName}) was requested by ${c.requester.name} ` +
    `at ${utc(c.openedAt)}, case ${c.id}. A recovery resets how the account signs in. ` +
    `If you did not expect this, call ${securityContact} now and quote the case id. Do not reply to this message.`;
  return { subject, text };
}
