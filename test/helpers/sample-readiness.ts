import { ROLE, readable, type ReadinessSnapshot, type RegistrationRow } from '../../src/domain/readiness';

const long = (s: string): string => `${s} ${'名'.repeat(256)}`;

/** Registration rows: every `gapEvery`th user has one method and no phishing-resistant one. */
export function registrationRows(count: number, gapEvery = 3): RegistrationRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `user-${i}`,
    userPrincipalName: `user${i}@contoso.com`,
    isAdmin: i < 5,
    isMfaCapable: i % gapEvery !== 0,
    isGuest: false,
    methodsRegistered: i % gapEvery === 0 ? ['mobilePhone'] : ['microsoftAuthenticatorPush', 'fido2SecurityKey'],
  }));
}

/** A tenant with something in every check: gaps, standing admins, report-only policies; names as long as Entra allows. */
export function sampleSnapshot(users = 12, longNames = false): ReadinessSnapshot {
  const name = (s: string): string => (longNames ? long(s) : s);
  return {
    readAt: '2026-11-25T16:00:00.000Z',
    registrations: readable(registrationRows(users)),
    roleDefinitions: readable([
      {
        id: ROLE.authenticationAdministrator,
        displayName: 'Authentication Administrator',
        isBuiltIn: true,
        allowedResourceActions: ['microsoft.directory/users/authenticationMethods/delete'],
      },
      {
        id: 'custom-1',
        displayName: name('Helpdesk method reset'),
        isBuiltIn: false,
        allowedResourceActions: ['microsoft.directory/users/authenticationMethods/create'],
      },
    ]),
    activeAssignments: readable([
      { roleDefinitionId: ROLE.authenticationAdministrator, principalId: 'user-1' },
      { roleDefinitionId: ROLE.privilegedAuthenticationAdministrator, principalId: 'user-2' },
      { roleDefinitionId: 'custom-1', principalId: 'user-3' },
    ]),
    eligibleAssignments: readable([{ roleDefinitionId: ROLE.authenticationAdministrator, principalId: 'user-4' }]),
    conditionalAccess: readable([
      {
        id: 'p1',
        displayName: name('Require MFA for all users'),
        state: 'enabledForReportingButNotEnforced',
        includeUsers: ['All'],
        includeGroups: [],
        includeRoles: [],
        exclusions: 2,
        includeApplications: ['All'],
        includeUserActions: [],
        includeAuthenticationContexts: [],
        builtInControls: ['mfa'],
        authenticationStrength: { id: 's1', displayName: name('Phishing-resistant MFA') },
      },
    ]),
    tapPolicy: readable({ enabled: true, defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 43200, isUsableOnce: false }),
    hardDeleteAction: readable({ name: 'microsoft.directory/deletedItems/delete' }),
    verifiedIdProfiles: readable([
      { id: 'vp1', name: name('Recovery pilot'), state: 'enabled', usages: [{ purpose: 'recovery', isEnabledForTestOnly: true }], faceCheckEnabled: true },
    ]),
  };
}

/** Every source refused: the report still renders, each check saying what the bot needs. */
export function unreadableSnapshot(): ReadinessSnapshot {
  const denied = (needs: string) => ({ ok: false as const, reason: 'Microsoft Graph refused the request.', needs });
  return {
    readAt: '2026-11-25T16:00:00.000Z',
    registrations: denied('AuditLog.Read.All'),
    roleDefinitions: denied('RoleManagement.Read.Directory'),
    activeAssignments: denied('RoleManagement.Read.Directory'),
    eligibleAssignments: denied('RoleEligibilitySchedule.Read.Directory'),
    conditionalAccess: denied('Policy.Read.All'),
    tapPolicy: denied('Policy.Read.AuthenticationMethod'),
    hardDeleteAction: {
      ok: false,
      reason: 'Microsoft Graph did not answer. Try again in a few minutes. (read protected actions: HTTP 503 serviceNotAvailable)',
    },
    verifiedIdProfiles: denied('VerifiedId-Profile.Read.All'),
  };
}
