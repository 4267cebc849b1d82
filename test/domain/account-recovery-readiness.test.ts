import type { VerifiedIdProfileInfo } from '../../src/domain/account-recovery';
import { readable, type ReadinessSnapshot } from '../../src/domain/readiness';
import { assessReadiness } from '../../src/domain/readiness-checks';
import { sampleSnapshot } from '../helpers/sample-readiness';

/** Issue 17: the readiness report's Entra ID Account Recovery item (a profile found, in Production, with Face Check). */
const PRODUCTION: VerifiedIdProfileInfo = {
  id: 'p1',
  name: 'Recovery',
  state: 'enabled',
  usages: [{ purpose: 'recovery', isEnabledForTestOnly: false }],
  faceCheckEnabled: true,
};
const itemOf = (profiles: ReadinessSnapshot['verifiedIdProfiles']) =>
  assessReadiness({ ...sampleSnapshot(), verifiedIdProfiles: profiles }).checks.find((c) => c.id === 'accountRecovery.profile');

describe('readiness: Entra ID Account Recovery', () => {
  it('passes with an enabled Production profile with Face Check, and says what it cannot read', () => {
    expect(itemOf(readable([PRODUCTION]))).toMatchObject({
      status: 'pass',
      summary: expect.stringContaining('confirm in the admin center') as unknown,
      items: ['Recovery: enabled, Production, Face Check'],
      fix: { url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-account-recovery-enable' },
    });
  });

  it.each<[string, Partial<VerifiedIdProfileInfo>, string]>([
    ['Evaluation mode', { usages: [{ purpose: 'recovery', isEnabledForTestOnly: true }] }, 'Recovery: Evaluation mode'],
    ['disabled', { state: 'disabled' }, 'Recovery: disabled'],
    ['Face Check off', { faceCheckEnabled: false }, 'Recovery: Face Check off'],
    ['onboarding only', { usages: [{ purpose: 'onboarding', isEnabledForTestOnly: false }] }, 'Recovery: not for recovery'],
  ])('warns when the only profile is %s, naming why', (_name, change, item) => {
    expect(itemOf(readable([{ ...PRODUCTION, ...change }]))).toMatchObject({ status: 'warn', items: [item] });
  });

  it('warns when there is no profile: Account Recovery is optional', () => {
    expect(itemOf(readable([]))).toMatchObject({ status: 'warn', summary: 'No Verified ID profile: Entra ID Account Recovery is not set up.' });
  });

  it('cannot read the profiles without VerifiedId-Profile.Read.All', () => {
    expect(itemOf({ ok: false, reason: 'refused', needs: 'VerifiedId-Profile.Read.All' })).toMatchObject({
      status: 'unreadable',
      summary: 'Cannot read: needs VerifiedId-Profile.Read.All.',
    });
  });
});
