import { assessReadiness } from '../../src/domain/readiness-checks';
import { verifiedIdChecks, type VerifiedIdReadiness } from '../../src/domain/readiness-verified-id';
import { readinessView } from '../../src/views/readiness-view';
import { sampleSnapshot } from '../helpers/sample-readiness';

const SETTINGS: VerifiedIdReadiness = {
  authority: 'did:web:verifiedid.contoso.com',
  acceptedIssuers: ['did:web:verifiedid.contoso.com', 'did:web:idv.partner.example'],
  linkedDomains: ['contoso.com'],
  faceMatchThreshold: 85,
  credentialType: 'VerifiedEmployee',
};

describe('readiness: the bot\u2019s Verified ID set-up', () => {
  it('not configured: a warning that the malicious playbook falls back to a manual method and one more approval', () => {
    const checks = verifiedIdChecks(undefined);
    expect(checks.map((c) => [c.id, c.status])).toEqual([['verifiedId.configured', 'warn']]);
    expect(checks[0]?.summary).toMatch(/cannot verify a caller itself.*manual method with an evidence note and one more approval/);
  });

  it('configured: the threshold and accepted issuers, and the Face Check add-on to check by hand, never a pass', () => {
    const [configured, licence] = verifiedIdChecks(SETTINGS);
    expect(configured).toMatchObject({
      status: 'pass',
      summary: 'VerifiedEmployee from 2 accepted issuer(s) (the tenant\u2019s own), linked domain contoso.com, Face Check threshold 85 (API default 70).',
      items: ['authority did:web:verifiedid.contoso.com', 'accepted issuer did:web:verifiedid.contoso.com', 'accepted issuer did:web:idv.partner.example'],
    });
    expect(licence).toMatchObject({ id: 'verifiedId.faceCheckAddOn', status: 'manual' });
    expect(licence?.summary).toMatch(/^Cannot be read by the bot/);
  });

  it('says when no accepted issuer is the tenant\u2019s own authority, and fails a threshold under the API default', () => {
    expect(verifiedIdChecks({ ...SETTINGS, acceptedIssuers: ['did:web:idv.partner.example'] })[0]?.summary).toContain(
      'none from the tenant\u2019s own authority',
    );
    expect(verifiedIdChecks({ ...SETTINGS, faceMatchThreshold: 60 })[0]?.status).toBe('fail');
  });

  it('follows the tenant\u2019s checks when the bot passes its set-up, and shows "check by hand" on the card', () => {
    expect(assessReadiness(sampleSnapshot()).checks.map((c) => c.id)).not.toContain('verifiedId.configured');
    const report = assessReadiness(sampleSnapshot(), { verifiedId: SETTINGS });
    expect(report.checks.slice(-2).map((c) => c.id)).toEqual(['verifiedId.configured', 'verifiedId.faceCheckAddOn']);
    const view = readinessView(report);
    expect(view.counts.find((c) => c.title === '📝 Check by hand')?.value).toBe('1');
    expect(view.checks.at(-1)).toMatchObject({ label: '📝 Check by hand', color: 'Accent' });
  });
});
