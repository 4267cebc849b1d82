import { loadDemoSeed, type TenantSeed } from '../../src/simulator';

/** The on-premises sync account that deletes users in the incident (Entra Connect's account naming). */
export const SYNC_ACCOUNT = { id: '5c000000-0000-4000-8000-00000000c0de', upn: 'Sync_DC01_1a2b3c4d5e6f@contoso.onmicrosoft.com' } as const;

export const incidentUserId = (i: number): string => `5d000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export interface IncidentSeedOptions {
  /** Users the sync account soft-deleted. */
  readonly deleted: number;
  /** When the deletions happened: `startedAt` + i seconds. */
  readonly startedAt: Date;
  /** Of those, the first `restoredSince` are active again (someone restored them already). */
  readonly restoredSince?: number;
  /** And the next `purged` are gone from deleted items (permanently deleted). */
  readonly purged?: number;
  /** "Update user" records by the same account in the window, which the bot does not reverse. */
  readonly updates?: number;
}

/**
 * The demo tenant after a directory-sync incident: the sync account deleted `deleted` generated users, one audit
 * record each ("Delete user", Core Directory, initiated by the account), plus some attribute updates.
 */
export function incidentSeed(options: IncidentSeedOptions): TenantSeed {
  return withIncident(loadDemoSeed(), options);
}

/** The same incident added to another seed (the attack suite's tenant); returns that seed. */
export function withIncident(seed: TenantSeed, options: IncidentSeedOptions): TenantSeed {
  const restored = options.restoredSince ?? 0;
  const purged = options.purged ?? 0;
  const initiatedBy = {
    user: { id: SYNC_ACCOUNT.id, displayName: 'On-Premises Directory Synchronization Service Account', userPrincipalName: SYNC_ACCOUNT.upn, ipAddress: null },
  };
  for (let i = 0; i < options.deleted; i++) {
    const id = incidentUserId(i);
    const at = new Date(options.startedAt.getTime() + i * 1000).toISOString();
    const upn = `synced${i}@contoso.com`;
    if (i >= restored + purged || i < restored) {
      seed.users.push({
        id,
        displayName: `Synced User ${String(i).padStart(4, '0')}`,
        userPrincipalName: upn,
        mailNickname: `synced${i}`,
        createdDateTime: { daysAgo: 300, time: '09:00:00' },
        lastPasswordChangeDateTime: { daysAgo: 90, time: '09:00:00' },
        userPreferredMethodForSecondaryAuthentication: 'push',
        methods: [
          {
            type: 'microsoftAuthenticator',
            id: `a7c0de11-5d00-4a1b-9c2d-${i.toString(16).padStart(12, '0')}`,
            displayName: 'Phone',
            phoneAppVersion: '6.8.6',
            createdDateTime: { daysAgo: 150, time: '09:00:00' },
          },
        ],
        ...(i >= restored ? { deletedDateTime: at } : {}),
      });
    }
    (seed.audits ??= []).push({
      id: `Directory_incident_${i}`,
      activityDateTime: at,
      activityDisplayName: 'Delete user',
      category: 'UserManagement',
      loggedByService: 'Core Directory',
      operationType: 'Delete',
      correlationId: `6c000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      initiatedBy,
      targetResources: [{ id, displayName: null, type: 'User', userPrincipalName: upn }],
    });
  }
  for (let i = 0; i < (options.updates ?? 0); i++) {
    seed.audits?.push({
      id: `Directory_incident_update_${i}`,
      activityDateTime: new Date(options.startedAt.getTime() + i * 1000 + 500).toISOString(),
      activityDisplayName: 'Update user',
      category: 'UserManagement',
      loggedByService: 'Core Directory',
      operationType: 'Update',
      correlationId: `6d000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      initiatedBy,
      targetResources: [{ id: '9a1b7c20-0001-4e8a-9c11-000000000001', displayName: 'Megan Bowen', type: 'User', userPrincipalName: 'megan@contoso.com' }],
    });
  }
  return seed;
}
