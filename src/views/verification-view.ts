import type { RecoveryCase, VerificationAttempt } from '../domain/case';
import { accountRecoveryAdvice } from '../domain/account-recovery-handoff';
import { isOpenAttempt } from '../domain/identity-verification';
import type { RuleName } from '../domain/verified-id';
import { formatUtc } from './format';
import type { TextColor } from './step-status';

/** One line of the identity step as the thread reads it: status changes and results, never the link or a claim value. */
export interface VerificationLine {
  text: string;
  color: TextColor;
}

const RULE_LABELS: Record<RuleName, string> = {
  credentialType: 'Credential type',
  issuer: 'Issuer',
  revocation: 'Not revoked',
  linkedDomain: 'Linked domain',
  validity: 'Within its validity',
  issuedBeforeCompromise: 'Issued before the compromise',
  faceMatch: 'Face Check',
  userMatch: 'Names this user',
};

export function ruleLabel(rule: RuleName): string {
  return RULE_LABELS[rule];
}

function attemptStatus(a: VerificationAttempt, now: Date | undefined): string {
  const open = now ? isOpenAttempt(a, now) : a.status === 'requested' || a.status === 'retrieved';
  switch (a.status) {
    case 'requested':
      return open ? `waiting for the user, expires ${formatUtc(a.expiresAt)}` : `no answer by ${formatUtc(a.expiresAt)}`;
    case 'retrieved':
      return open ? `opened on the user's phone, expires ${formatUtc(a.expiresAt)}` : `opened but not presented by ${formatUtc(a.expiresAt)}`;
    case 'verified':
      return 'passed';
    case 'failed':
      return `failed: ${a.failure ?? 'see the rules'}`;
    case 'expired':
      return `expired: ${a.failure ?? 'no answer in time'}`;
  }
}

/**
 * The identity step's record on the progress card: each Verified ID request and what became of it, the rules of the last
 * decided presentation one by one, and the fallback. Empty when nothing of that happened.
 */
export function verificationLines(c: RecoveryCase, now?: Date): VerificationLine[] {
  const lines: VerificationLine[] = [];
  const v = c.verification;
  for (const a of v?.attempts ?? []) {
    const color: TextColor = a.status === 'verified' ? 'Good' : a.status === 'failed' || a.status === 'expired' ? 'Attention' : 'Default';
    lines.push({ text: `Verified ID request ${a.attempt} (sent by ${a.by.name} ${formatUtc(a.requestedAt)}): ${attemptStatus(a, now)}`, color });
  }
  const decided = [...(v?.attempts ?? [])].reverse().find((a) => a.decision);
  for (const r of decided?.decision?.rules ?? [])
    lines.push({ text: `${r.passed ? '✔' : '✘'} ${ruleLabel(r.rule)}: ${r.detail}`, color: r.passed ? 'Good' : 'Attention' });
  for (const f of v?.refusedFallbacks ?? [])
    lines.push({ text: `Fallback (${f.method}) asked by ${f.by.name}, refused by ${f.refusedBy.name}: ${f.reason}`, color: 'Attention' });
  const id = c.identityVerification;
  const advice = accountRecoveryAdvice(c);
  if (!id && advice.advised && !v?.accountRecovery)
    lines.push({ text: `Entra ID Account Recovery is the better path here: ${advice.reasons.join(' ')}`, color: 'Warning' });
  const handOff = v?.accountRecovery;
  if (handOff) {
    const last = handOff.seen[handOff.seen.length - 1];
    const state =
      handOff.status === 'notStarted'
        ? 'no recovery event seen yet (Entra writes audit records minutes late)'
        : handOff.status === 'inProgress'
          ? `in progress${last ? `, last seen "${last.activity}" ${formatUtc(last.at)}` : ''}`
          : handOff.status === 'completed'
            ? 'completed'
            : `failed: ${handOff.failure ?? last?.activity ?? 'see the journal'}`;
    lines.push({
      text: `Handed to Account Recovery by ${handOff.by.name} ${formatUtc(handOff.handedOffAt)}${handOff.profile ? ` (profile ${handOff.profile})` : ''}: ${state}. Event names are provisional.`,
      color: handOff.status === 'failed' ? 'Attention' : handOff.status === 'completed' ? 'Good' : 'Default',
    });
  }
  if (v?.fallback && !id)
    lines.push({
      text: `Fallback asked by ${v.fallback.by.name} ${formatUtc(v.fallback.at)}: ${v.fallback.method}: ${v.fallback.note}. Waiting for an approver who has not decided on this case.`,
      color: 'Warning',
    });
  if (id?.kind === 'fallback')
    lines.push({ text: `Accepted WITHOUT Verified ID (fallback): ${id.method}, accepted by ${id.approvedBy?.name ?? 'an approver'}.`, color: 'Warning' });
  return lines;
}
