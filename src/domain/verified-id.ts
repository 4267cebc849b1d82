/**
 * The pure decision on a Verified ID presentation (shared/spec/verified-id.md §2.2, §4, §5, §7.2 step 6). The Request
 * Service tells the bot that a credential was presented and what it held; this decides, rule by rule, whether that
 * proves the caller is the user being recovered. Every rule's outcome is kept so the card and the record can show it.
 *
 * Nothing personal is kept beyond what a rule needs: `toEvidence` drops the photo, the subject DID, the receipt and every
 * claim value except the UPN (`revocationId`) compared with the target's own.
 */

/** A `presentation_verified` callback's credential, as the Request Service sends it (spec §2.2). */
export interface PresentedCredential {
  readonly type: readonly string[];
  readonly issuer: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly credentialState?: { readonly revocationStatus?: string };
  readonly domainValidation?: { readonly url?: string };
  readonly issuanceDate?: string;
  readonly expirationDate?: string;
  readonly faceCheck?: { readonly matchConfidenceScore?: number; readonly sourcePhotoQuality?: string };
}

/** What the bot asked for and trusts (configuration), and what it knows of the case. */
export interface VerificationPolicy {
  /** The credential type required, e.g. "VerifiedEmployee". */
  readonly credentialType: string;
  /** Issuer DIDs accepted: the tenant's own authority and configured identity-verification partners. */
  readonly acceptedIssuers: readonly string[];
  /** Hosts the linked domain (`domainValidation.url`) may have, e.g. "contoso.com". */
  readonly linkedDomains: readonly string[];
  /** Face Check threshold, an integer 50-100 (spec §3: default 70; the bot's configuration should ask for more). */
  readonly faceMatchThreshold: number;
}

export interface VerificationTarget {
  /** The user's current UPN and any earlier one (a rename); compared case-insensitively with `revocationId`. */
  readonly userPrincipalNames: readonly string[];
  /**
   * When the compromise began: the earliest suspicious change triage found. Undefined when unknown: then no credential
   * can be shown to predate it, and the VerifiedEmployee path proves nothing (spec §4, Rec 4).
   */
  readonly compromiseStartedAt?: string;
  /**
   * The agent confirmed an accidental change (the recommendation, or an override with a reason): nobody else held the
   * account, so the issuance date is not compared with a compromise window.
   */
  readonly accidental?: boolean;
}

export type RuleName = 'credentialType' | 'issuer' | 'revocation' | 'linkedDomain' | 'validity' | 'issuedBeforeCompromise' | 'faceMatch' | 'userMatch';

export interface RuleOutcome {
  readonly rule: RuleName;
  readonly passed: boolean;
  /** For people: what was checked and found, without personal values. */
  readonly detail: string;
}

export interface VerificationDecision {
  readonly passed: boolean;
  readonly rules: readonly RuleOutcome[];
}

const hostOf = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

const time = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/**
 * Decides a presented credential against the policy and the target, at `now`. Every rule is evaluated (none short-cuts
 * another), so the card shows all that failed; the decision passes only when all pass.
 */
export function decideVerification(credential: PresentedCredential, policy: VerificationPolicy, target: VerificationTarget, now: Date): VerificationDecision {
  const rules: RuleOutcome[] = [];
  const rule = (name: RuleName, passed: boolean, detail: string): void => void rules.push({ rule: name, passed, detail });

  rule(
    'credentialType',
    credential.type.includes(policy.credentialType),
    credential.type.includes(policy.credentialType) ? `a ${policy.credentialType} credential` : `not a ${policy.credentialType} credential`,
  );

  const trusted = policy.acceptedIssuers.includes(credential.issuer);
  rule('issuer', trusted, trusted ? 'issued by an accepted issuer' : 'issued by an issuer the bot does not accept');

  const revocation = credential.credentialState?.revocationStatus;
  rule('revocation', revocation === 'VALID', revocation === 'VALID' ? 'not revoked' : `revocation status ${revocation ? 'is not VALID' : 'missing'}`);

  const host = hostOf(credential.domainValidation?.url);
  const linked = host !== undefined && policy.linkedDomains.some((d) => d.toLowerCase() === host);
  rule('linkedDomain', linked, linked ? `linked domain ${host}` : host ? 'linked domain not one of the tenant\u2019s' : 'no linked domain');

  const issued = time(credential.issuanceDate);
  const expires = time(credential.expirationDate);
  const valid = issued !== undefined && expires !== undefined && issued <= now.getTime() && now.getTime() < expires;
  rule(
    'validity',
    valid,
    valid
      ? `valid until ${credential.expirationDate ?? ''}`
      : issued === undefined || expires === undefined
        ? 'issuance or expiry date missing'
        : 'expired or not yet valid',
  );

  const compromise = time(target.compromiseStartedAt);
  const before = target.accidental === true || (issued !== undefined && compromise !== undefined && issued < compromise);
  rule(
    'issuedBeforeCompromise',
    before,
    target.accidental
      ? 'accidental change confirmed by the agent: no compromise window applies'
      : compromise === undefined
        ? 'the compromise window is unknown, so the credential could have been issued by whoever held the account'
        : before
          ? `issued ${credential.issuanceDate ?? ''}, before the compromise began ${target.compromiseStartedAt ?? ''}`
          : 'issued during or after the compromise: whoever held the account could have issued it',
  );

  const score = credential.faceCheck?.matchConfidenceScore;
  const faceOk = typeof score === 'number' && Number.isFinite(score) && score >= policy.faceMatchThreshold;
  rule(
    'faceMatch',
    faceOk,
    typeof score === 'number' ? `face match ${Math.floor(score)} (threshold ${policy.faceMatchThreshold})` : 'no face match score (Face Check was not done)',
  );

  const claimed = credential.claims.revocationId;
  const upnOk = typeof claimed === 'string' && target.userPrincipalNames.some((u) => u.toLowerCase() === claimed.toLowerCase());
  rule('userMatch', upnOk, upnOk ? 'the credential names the user being recovered' : 'the credential does not name the user being recovered');

  return { passed: rules.every((r) => r.passed), rules };
}

/** What the record keeps of a presentation (spec §7.2, journal entry): no photo, no subject DID, no other claim value. */
export interface VerificationEvidence {
  readonly type: readonly string[];
  readonly issuer: string;
  readonly linkedDomain?: string;
  readonly issuanceDate?: string;
  readonly expirationDate?: string;
  readonly revocationStatus?: string;
  readonly matchConfidenceScore?: number;
  readonly sourcePhotoQuality?: string;
  /** Names of the claims presented, never their values. */
  readonly claimNames: readonly string[];
}

export function toEvidence(credential: PresentedCredential): VerificationEvidence {
  const host = hostOf(credential.domainValidation?.url);
  const score = credential.faceCheck?.matchConfidenceScore;
  return {
    type: [...credential.type],
    issuer: credential.issuer,
    ...(host ? { linkedDomain: host } : {}),
    ...(credential.issuanceDate ? { issuanceDate: credential.issuanceDate } : {}),
    ...(credential.expirationDate ? { expirationDate: credential.expirationDate } : {}),
    ...(credential.credentialState?.revocationStatus ? { revocationStatus: credential.credentialState.revocationStatus } : {}),
    ...(typeof score === 'number' ? { matchConfidenceScore: score } : {}),
    ...(credential.faceCheck?.sourcePhotoQuality ? { sourcePhotoQuality: credential.faceCheck.sourcePhotoQuality } : {}),
    claimNames: Object.keys(credential.claims).sort(),
  };
}
