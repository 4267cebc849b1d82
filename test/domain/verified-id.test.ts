import {
  decideVerification,
  toEvidence,
  type PresentedCredential,
  type RuleName,
  type VerificationPolicy,
  type VerificationTarget,
} from '../../src/domain/verified-id';

/**
 * Issue 17: the decision on a presented Verified ID credential, rule by rule (shared/spec/verified-id.md §7.2 step 6).
 * A credential that passes everything, then each rule broken alone: exactly that rule fails, and so does the decision.
 */
const NOW = new Date('2026-11-18T12:00:00Z');
const TENANT_DID = 'did:web:verifiedid.contoso.com';
const POLICY: VerificationPolicy = {
  credentialType: 'VerifiedEmployee',
  acceptedIssuers: [TENANT_DID],
  linkedDomains: ['contoso.com'],
  faceMatchThreshold: 85,
};
const TARGET: VerificationTarget = { userPrincipalNames: ['lee@contoso.com', 'lee.gu@contoso.com'], compromiseStartedAt: '2026-11-16T02:14:00Z' };
const PHOTO = 'JPEG-BASE64-OF-LEES-FACE';

const good: PresentedCredential = {
  type: ['VerifiableCredential', 'VerifiedEmployee'],
  issuer: TENANT_DID,
  claims: { displayName: 'Lee Gu', givenName: 'Lee', surname: 'Gu', revocationId: 'lee@contoso.com', photo: PHOTO },
  credentialState: { revocationStatus: 'VALID' },
  domainValidation: { url: 'https://contoso.com/' },
  issuanceDate: '2026-06-01T09:00:00Z',
  expirationDate: '2026-12-01T09:00:00Z',
  faceCheck: { matchConfidenceScore: 91.5, sourcePhotoQuality: 'HIGH' },
};

const failed = (c: PresentedCredential, t: VerificationTarget = TARGET): RuleName[] =>
  decideVerification(c, POLICY, t, NOW)
    .rules.filter((r) => !r.passed)
    .map((r) => r.rule);

describe('Verified ID: the decision on a presented credential', () => {
  it('passes a VerifiedEmployee from the tenant, valid, issued before the compromise, face match above the threshold, naming the user', () => {
    const decision = decideVerification(good, POLICY, TARGET, NOW);
    expect(decision.passed).toBe(true);
    expect(decision.rules.map((r) => r.rule)).toEqual([
      'credentialType',
      'issuer',
      'revocation',
      'linkedDomain',
      'validity',
      'issuedBeforeCompromise',
      'faceMatch',
      'userMatch',
    ]);
    expect(decision.rules.find((r) => r.rule === 'faceMatch')?.detail).toBe('face match 91 (threshold 85)');
  });

  const broken: Array<[string, PresentedCredential, RuleName]> = [
    ['another credential type', { ...good, type: ['VerifiableCredential', 'ContosoBadge'] }, 'credentialType'],
    ['another issuer', { ...good, issuer: 'did:web:attacker.example' }, 'issuer'],
    ['a revoked credential', { ...good, credentialState: { revocationStatus: 'REVOKED' } }, 'revocation'],
    ['no revocation status', { ...good, credentialState: {} }, 'revocation'],
    ['a linked domain of someone else', { ...good, domainValidation: { url: 'https://contoso.com.attacker.example/' } }, 'linkedDomain'],
    ['no linked domain', { ...good, domainValidation: {} }, 'linkedDomain'],
    ['a linked domain that is not a URL', { ...good, domainValidation: { url: 'contoso dot com' } }, 'linkedDomain'],
    ['an expired credential', { ...good, expirationDate: '2026-11-18T11:59:59Z' }, 'validity'],
    ['no expiry date', { ...good, expirationDate: undefined }, 'validity'],
    ['issued during the compromise (by whoever held the account)', { ...good, issuanceDate: '2026-11-16T02:30:00Z' }, 'issuedBeforeCompromise'],
    ['a face match below the threshold', { ...good, faceCheck: { matchConfidenceScore: 84.99 } }, 'faceMatch'],
    ['no Face Check', { ...good, faceCheck: undefined }, 'faceMatch'],
    ['another user\u2019s UPN', { ...good, claims: { ...good.claims, revocationId: 'megan@contoso.com' } }, 'userMatch'],
    ['no UPN claim', { ...good, claims: { displayName: 'Lee Gu' } }, 'userMatch'],
  ];
  it.each(broken)('refuses %s, and names exactly that rule', (_name, credential, rule) => {
    expect(failed(credential)).toEqual([rule]);
    expect(decideVerification(credential, POLICY, TARGET, NOW).passed).toBe(false);
  });

  it('refuses a credential issued in the future (the issuance date is checked against now as well)', () => {
    expect(failed({ ...good, issuanceDate: '2026-11-18T12:00:01Z' }, { ...TARGET, compromiseStartedAt: '2026-11-19T00:00:00Z' })).toEqual(['validity']);
  });

  it('proves nothing when the compromise window is unknown: the credential could be the attacker\u2019s', () => {
    const unknownWindow: VerificationTarget = { userPrincipalNames: TARGET.userPrincipalNames };
    expect(failed(good, unknownWindow)).toEqual(['issuedBeforeCompromise']);
    expect(decideVerification(good, POLICY, unknownWindow, NOW).rules.find((r) => r.rule === 'issuedBeforeCompromise')?.detail).toMatch(/window is unknown/);
  });

  it('accepts the threshold itself, an earlier UPN, and a UPN in another case', () => {
    expect(failed({ ...good, faceCheck: { matchConfidenceScore: 85 } })).toEqual([]);
    expect(failed({ ...good, claims: { ...good.claims, revocationId: 'Lee.Gu@Contoso.com' } })).toEqual([]);
  });

  it('shows every failing rule at once, not only the first', () => {
    expect(
      failed({ ...good, issuer: 'did:web:attacker.example', faceCheck: { matchConfidenceScore: 12 }, claims: { revocationId: 'megan@contoso.com' } }),
    ).toEqual(['issuer', 'faceMatch', 'userMatch']);
  });

  it('keeps no photo, no subject and no claim value in the evidence or the rule details', () => {
    const evidence = toEvidence(good);
    const decision = decideVerification(good, POLICY, TARGET, NOW);
    const kept = JSON.stringify({ evidence, decision });
    expect(kept).not.toContain(PHOTO);
    expect(kept).not.toContain('Lee Gu');
    expect(evidence.claimNames).toEqual(['displayName', 'givenName', 'photo', 'revocationId', 'surname']);
    expect(evidence).toMatchObject({ issuer: TENANT_DID, linkedDomain: 'contoso.com', matchConfidenceScore: 91.5, revocationStatus: 'VALID' });
  });
});
