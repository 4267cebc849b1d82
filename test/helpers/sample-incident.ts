import type { AffectedUser, IncidentCase } from '../../src/domain/incident';

/** An incident of `n` users deleted by the sync account, at the given state, for views and cards. */
export function sampleIncident(n: number, over: Partial<IncidentCase> = {}): IncidentCase {
  const users: AffectedUser[] = Array.from({ length: n }, (_, i) => ({
    id: `5d000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    displayName: `Synced User ${i}`,
    userPrincipalName: `synced${i}@contoso.com`,
    deletedAt: '2026-11-25T08:00:00.000Z',
    state: i === 0 ? 'active' : i === 1 ? 'gone' : 'softDeleted',
  }));
  return {
    id: 'IN-7K2M9QXA',
    kind: 'incident',
    createdAt: '2026-11-25T10:00:00.000Z',
    requester: { aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' },
    actor: { kind: 'userPrincipalName', value: 'Sync_DC01_1a2b3c4d5e6f@contoso.onmicrosoft.com' },
    window: { from: '2026-11-25T07:00:00.000Z', to: '2026-11-25T10:00:00.000Z' },
    users,
    otherChanges: [{ activity: 'Update user', count: 12 }],
    requiredApprovals: 2,
    approvals: [],
    state: 'awaitingApproval',
    results: {},
    runs: 0,
    journal: [],
    ...over,
  };
}

const alex = { by: { aadObjectId: 'a', name: 'Alex Wilber' }, at: '2026-11-25T10:05:00.000Z' };
const patti = { by: { aadObjectId: 'p', name: 'Patti Fernandez' }, at: '2026-11-25T10:06:00.000Z' };

/** The same incident after a run in which users 5 and 6 failed. */
export function completedIncident(n: number): IncidentCase {
  const base = sampleIncident(n);
  const results = Object.fromEntries(
    base.users
      .filter((u) => u.state === 'softDeleted')
      .map((u, i) => [
        u.id,
        i === 3 || i === 4
          ? { status: 'failed' as const, at: '2026-11-25T10:08:00.000Z', run: 1, error: 'HTTP 403 Authorization_RequestDenied' }
          : { status: 'restored' as const, at: '2026-11-25T10:08:00.000Z', run: 1, requestId: `req-${i}` },
      ]),
  );
  return { ...base, approvals: [alex, patti], state: 'completed', runs: 1, results };
}
