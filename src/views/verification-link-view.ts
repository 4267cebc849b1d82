import type { RecoveryCase } from '../domain/case';
import type { VerificationLink } from '../ports/case-actions';
import { targetLine } from './case-text';
import { formatUtc } from './format';

export interface VerificationLinkView {
  caseId: string;
  target: string;
  url: string;
  expiry: string;
  attempt: number;
}

/**
 * The Verified ID link card: only ever the invoke response to the agent who clicked (never posted, edited into the
 * thread, stored or logged), with no actions.
 */
export function verificationLinkView(c: RecoveryCase, link: VerificationLink): VerificationLinkView {
  return { caseId: c.id, target: targetLine(c), url: link.url, expiry: `The request expires ${formatUtc(link.expiresAt)}.`, attempt: link.attempt };
}
