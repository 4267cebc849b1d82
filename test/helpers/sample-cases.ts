import type { RecoveryCase } from '../../src/domain/case';
import type { AccountState, AuthMethod } from '../../src/domain/target';

const adele = { id: '9a1b7c20-0004-4e8a-9c11-000000000004', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com' };

export const SAMPLE_METHODS: AuthMethod[] = [
  { id: '28c10230-6103-485e-b985-444c60001490', type: 'password', detail: 'password', createdDateTime: '2025-01-10T08:00:00Z' },
  { id: 'f1', type: 'fido2', detail: 'YubiKey 5 NFC', createdDateTime: '2025-02-01T09:30:00Z' },
  { id: 'e1', type: 'email', detail: 'a•••@fabrikam.com' },
];

/** A case as open-case would store it, for views and card tests. */
export function sampleCase(
  account: AccountState = { kind: 'active', user: { ...adele, lastSignInDateTime: '2026-11-24T09:00:00Z' } },
  methods: AuthMethod[] = SAMPLE_METHODS,
): RecoveryCase {
  const target = account.kind === 'hardDeleted' ? account : account.user;
  return {
    id: 'RC-7K2M9QXA',
    version: 1,
    state: 'opened',
    openedAt: '2026-11-25T10:00:00Z',
    requester: { aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' },
    thread: {
      tenantId: '5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10',
      conversationId: '19:abc@thread.tacv2;messageid=1',
      serviceUrl: 'http://localhost',
      channelId: 'msteams',
    },
    target: { id: target.id, userPrincipalName: target.userPrincipalName, displayName: target.displayName },
    intake: {
      account,
      ...(account.kind === 'active' ? { methods } : {}),
      roles: account.kind === 'hardDeleted' ? [] : [{ roleDefinitionId: 'r1', displayName: 'Privileged Authentication Administrator', via: 'direct' }],
      takenAt: '2026-11-25T10:00:00Z',
    },
    journal: [{ at: '2026-11-25T10:00:00Z', by: 'Megan Bowen', event: 'Case opened' }],
  };
}

/** The sample case for another (active) user, e.g. one of demo-ids.ts's USERS. */
export function sampleCaseFor(user: { readonly id: string; readonly upn: string; readonly name: string }): RecoveryCase {
  return sampleCase({ kind: 'active', user: { id: user.id, userPrincipalName: user.upn, displayName: user.name } });
}
