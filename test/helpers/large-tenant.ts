import { loadDemoSeed, type TenantSeed } from '../../src/simulator';

/**
 * The demo tenant plus `extra` generated members, for size tests: every third one has only a mobile phone (fewer than
 * two methods, nothing phishing-resistant); the rest have Authenticator and a FIDO2 key.
 */
export function demoSeedWithUsers(extra: number): TenantSeed {
  const seed = loadDemoSeed();
  for (let i = 0; i < extra; i++) {
    const hex = i.toString(16).padStart(12, '0');
    const id = `5e000000-0000-4000-8000-${hex}`;
    const phoneOnly = i % 3 === 0;
    seed.users.push({
      id,
      displayName: `Generated User ${i}`,
      userPrincipalName: `user${i}@contoso.com`,
      mailNickname: `user${i}`,
      createdDateTime: { daysAgo: 200, time: '09:00:00' },
      lastPasswordChangeDateTime: { daysAgo: 60, time: '09:00:00' },
      userPreferredMethodForSecondaryAuthentication: phoneOnly ? 'sms' : 'push',
      methods: phoneOnly
        ? [{ type: 'phone', id: '3179e48a-750b-4051-897c-87b9720928f7', phoneType: 'mobile', phoneNumber: '+1 425 555 0199' }]
        : [
            {
              type: 'microsoftAuthenticator',
              id: `a7c0de11-${hex.slice(0, 4)}-4a1b-9c2d-${hex}`,
              displayName: 'Phone',
              phoneAppVersion: '6.8.6',
              createdDateTime: { daysAgo: 150, time: '09:00:00' },
            },
            {
              type: 'fido2',
              id: `fido2-${hex}`,
              displayName: 'Key',
              model: 'YubiKey 5 NFC',
              aaGuid: 'fa2b99dc-9e39-4257-8f92-4a30d23c4118',
              createdDateTime: { daysAgo: 100, time: '09:00:00' },
            },
          ],
    });
  }
  return seed;
}
