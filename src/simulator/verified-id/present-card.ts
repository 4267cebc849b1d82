import type { JsonObject } from '../json';
import type { ClaimConstraint, RequestedCredential } from './presentation-request';
import { photoClaimValue, subjectDid, type WalletCard } from './wallet';

/** The message the service gives when Face Check falls short (spec §2.2; https://learn.microsoft.com/entra/verified-id/using-facecheck). */
export const BELOW_THRESHOLD = 'Match confidence score failing to meet the threshold.';

/**
 * What presenting a card to a request comes to:
 * - `notOffered`: Authenticator would not offer the card at all (its type or a constraint does not match: constraints are
 *   "evaluated when the wallet selects candidate credentials", spec §1.2), so the user cannot present and nothing is sent;
 * - `error`: the service's own validation failed: a `presentation_error` callback. Only `claimValidationError` (Face Check
 *   below threshold) is a documented code; the simulator uses it for every validation failure, with a message saying
 *   which, since no other code is documented (spec §2.2 "Other presentation_error codes: not found");
 * - `verified`: a `presentation_verified` callback with the card's data and the Face Check score.
 */
export type PresentationOutcome =
  | { readonly kind: 'notOffered'; readonly reason: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'verified'; readonly credentialData: JsonObject; readonly subject: string };

const lower = (s: string): string => s.toLowerCase();

function satisfies(card: WalletCard, c: ClaimConstraint): boolean {
  const value = card.claims[c.claimName];
  if (value === undefined) return false;
  if ('values' in c) return c.values.some((v) => lower(v) === lower(value));
  if ('contains' in c) return lower(value).includes(lower(c.contains));
  return lower(value).startsWith(lower(c.startsWith));
}

/**
 * Presents `card` to the first requested credential, with the selfie's Face Check score `faceScore` (0–100), at `now`.
 * The order: the wallet's selection (type, constraints), then the service's validation (issuer, revocation, linked
 * domain, expiry, photo claim, Face Check threshold).
 */
export function presentCard(requested: RequestedCredential, card: WalletCard, faceScore: number | undefined, now: Date): PresentationOutcome {
  if (!card.type.includes(requested.type)) return { kind: 'notOffered', reason: `the card is not a ${requested.type}` };
  const unmet = requested.constraints.find((c) => !satisfies(card, c));
  if (unmet) return { kind: 'notOffered', reason: `the card's ${unmet.claimName} does not match the request's constraint` };
  const fail = (message: string): PresentationOutcome => ({ kind: 'error', code: 'claimValidationError', message });
  if (requested.acceptedIssuers.length > 0 && !requested.acceptedIssuers.includes(card.issuer)) return fail('The credential issuer is not accepted.');
  if (card.revocationStatus === 'REVOKED' && !requested.allowRevoked) return fail('The credential has been revoked.');
  if (requested.validateLinkedDomain && !card.domain.verified) return fail('The issuer\u2019s linked domain is not verified.');
  if (Date.parse(card.expirationDate) <= now.getTime()) return fail('The credential has expired.');
  const claims: Record<string, string> = { ...card.claims, [card.photoClaim]: photoClaimValue(card.id) };
  const data: JsonObject = {
    issuer: card.issuer,
    type: [...card.type],
    claims,
    credentialState: { revocationStatus: card.revocationStatus },
    domainValidation: { url: card.domain.url },
    issuanceDate: card.issuanceDate,
    expirationDate: card.expirationDate,
  };
  if (requested.faceCheck) {
    if (card.photoClaim !== requested.faceCheck.sourcePhotoClaimName) {
      return fail(`The credential has no ${requested.faceCheck.sourcePhotoClaimName} claim to compare the selfie with.`);
    }
    if (faceScore === undefined) throw new RangeError('a Face Check request needs a faceScore');
    // Below the threshold "the entire presentation fails", and no score is returned (spec §3).
    if (faceScore < requested.faceCheck.matchConfidenceThreshold) return fail(BELOW_THRESHOLD);
    data.faceCheck = { matchConfidenceScore: faceScore, sourcePhotoQuality: 'HIGH' };
  }
  return { kind: 'verified', credentialData: data, subject: subjectDid(card.id) };
}
