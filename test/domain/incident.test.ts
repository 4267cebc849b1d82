import { decideIncident, incidentCounts, MAX_RECORDED_INCIDENT_REFUSALS, parseIncidentRequest, usersToRun, type IncidentCase } from '../../src/domain/incident';

const NOW = new Date('2025-06-15T12:00:00Z');
const requester = { aadObjectId: 'req', name: 'Requester' };
const a1 = { aadObjectId: 'a1', name: 'Approver 1' };
const a2 = { aadObjectId: 'a2', name: 'Approver 2' };

const incident = (over: Partial<IncidentCase> = {}): IncidentCase => ({
  id: 'IN-1',
  kind: 'incident',
  createdAt: NOW.toISOString(),
  requester,
  actor: { kind: 'userPrincipalName', value: 'sync@contoso.com' },
  window: { from: '2025-06-15T06:00:00.000Z', to: NOW.toISOString() },
  users: [
    { id: 'u1', displayName: 'U1', userPrincipalName: 'u1@contoso.com', deletedAt: '', state: 'softDeleted' },
    { id: 'u2', displayName: 'U2', userPrincipalName: 'u2@contoso.com', deletedAt: '', state: 'softDeleted' },
    { id: 'u3', displayName: 'U3', userPrincipalName: 'u3@contoso.com', deletedAt: '', state: 'gone' },
  ],
  otherChanges: [],
  requiredApprovals: 2,
  approvals: [],
  state: 'awaitingApproval',
  results: {},
  runs: 0,
  journal: [],
  ...over,
});

describe('parseIncidentRequest', () => {
  it.each([
    [
      'sync@contoso.com last 6h',
      { actor: { kind: 'userPrincipalName', value: 'sync@contoso.com' }, window: { from: '2025-06-15T06:00:00.000Z', to: '2025-06-15T12:00:00.000Z' } },
    ],
    [
      '5C000000-0000-4000-8000-00000000C0DE last 2d',
      {
        actor: { kind: 'objectId', value: '5c000000-0000-4000-8000-00000000c0de' },
        window: { from: '2025-06-13T12:00:00.000Z', to: '2025-06-15T12:00:00.000Z' },
      },
    ],
    [
      'sync@contoso.com from 2025-06-15T08:00:00Z to 2025-06-15T09:00:00Z',
      { actor: { kind: 'userPrincipalName', value: 'sync@contoso.com' }, window: { from: '2025-06-15T08:00:00.000Z', to: '2025-06-15T09:00:00.000Z' } },
    ],
  ])('reads "%s"', (text, expected) => {
    expect(parseIncidentRequest(text, NOW)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'Usage'],
    ["o'hara last 6h", 'neither a user principal name'],
    ["x'@contoso.com last 6h", 'neither a user principal name'],
    ['sync@contoso.com last six', 'not a duration'],
    ['sync@contoso.com last 6h extra', 'Usage'],
    ['sync@contoso.com from yesterday to today', 'ISO 8601'],
    ['sync@contoso.com from 2025-06-15T09:00:00Z to 2025-06-15T08:00:00Z', 'start before it ends'],
    ['sync@contoso.com from 2025-06-15T09:00:00Z to 2025-06-16T08:00:00Z', 'in the future'],
    ['sync@contoso.com last 31d', 'last 30 days'],
  ])('refuses "%s" with a clear message', (text, message) => {
    const r = parseIncidentRequest(text, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('INPUT.MALFORMED');
      expect(r.message).toContain(message);
    }
  });
});

describe('decideIncident', () => {
  const ok = (r: ReturnType<typeof decideIncident>): IncidentCase => {
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };

  it('is approved by the quorum of distinct approvers, never by the requester or an affected user', () => {
    expect(decideIncident(incident(), { type: 'approve', by: requester }, NOW)).toMatchObject({ ok: false, code: 'APPROVAL.BY_REQUESTER' });
    expect(decideIncident(incident(), { type: 'approve', by: { aadObjectId: 'u1', name: 'U1' } }, NOW)).toMatchObject({
      ok: false,
      code: 'APPROVAL.BY_TARGET',
    });
    const once = ok(decideIncident(incident(), { type: 'approve', by: a1 }, NOW));
    expect(once.state).toBe('awaitingApproval');
    expect(decideIncident(once, { type: 'approve', by: a1 }, NOW)).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED' });
    expect(ok(decideIncident(once, { type: 'approve', by: a2 }, NOW)).state).toBe('approved');
    expect(decideIncident(incident(), { type: 'deny', by: a1, reason: ' ' }, NOW)).toMatchObject({ ok: false, code: 'INPUT.REASON_REQUIRED' });
    expect(ok(decideIncident(incident(), { type: 'deny', by: a1, reason: 'not a sync error' }, NOW)).state).toBe('denied');
  });

  it('records results per user, never turns a restored user into a failed one, and retries only the failed', () => {
    const running = ok(decideIncident(incident({ state: 'approved' }), { type: 'start', by: requester }, NOW));
    expect(usersToRun(running).map((u) => u.id)).toEqual(['u1', 'u2']);
    const recorded = ok(
      decideIncident(
        running,
        { type: 'recordResults', results: { u1: { status: 'restored' }, u2: { status: 'failed', error: 'HTTP 403' }, stranger: { status: 'restored' } } },
        NOW,
      ),
    );
    expect(Object.keys(recorded.results).sort()).toEqual(['u1', 'u2']);
    const again = ok(decideIncident(recorded, { type: 'recordResults', results: { u1: { status: 'failed', error: 'late' } } }, NOW));
    expect(again.results.u1?.status).toBe('restored');
    const finished = ok(decideIncident(again, { type: 'finish' }, NOW));
    expect(incidentCounts(finished)).toMatchObject({ affected: 3, restorable: 2, restored: 1, failed: 1, gone: 1, pending: 0 });
    const retry = ok(decideIncident(finished, { type: 'retryFailed', by: requester }, NOW));
    expect(retry).toMatchObject({ state: 'executing', runs: 2 });
    expect(usersToRun(retry).map((u) => u.id)).toEqual(['u2']);
    const allDone = ok(
      decideIncident(ok(decideIncident(retry, { type: 'recordResults', results: { u2: { status: 'restored' } } }, NOW)), { type: 'finish' }, NOW),
    );
    expect(decideIncident(allDone, { type: 'retryFailed', by: requester }, NOW)).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
  });

  it('moves the version on every change and the state version only when the state changes (cards drawn before are stale)', () => {
    const opened = incident({ version: 1, stateVersion: 1 });
    const once = ok(decideIncident(opened, { type: 'approve', by: a1, comment: ' Checked with the sync team ' }, NOW));
    expect(once).toMatchObject({ version: 2, stateVersion: 1, approvals: [{ by: a1, comment: 'Checked with the sync team' }] });
    expect(once.journal.at(-1)?.text).toBe('Approved (1 of 2). Checked with the sync team');
    const approved = ok(decideIncident(once, { type: 'approve', by: a2 }, NOW));
    expect(approved).toMatchObject({ state: 'approved', version: 3, stateVersion: 3 });
    expect(approved.approvals[1]).toEqual({ by: a2, at: NOW.toISOString() });
    // Stored before the cards had buttons: no version, read as 0.
    expect(ok(decideIncident(incident(), { type: 'approve', by: a1 }, NOW))).toMatchObject({ version: 1, stateVersion: 0 });
  });

  it('journals a refused click with its code without a new version, and stops journaling after the cap', () => {
    const opened = incident({ version: 4, stateVersion: 2 });
    const refused = ok(decideIncident(opened, { type: 'recordRefusal', by: a1, action: 'incident.start', code: 'CASE.NOT_REQUESTER' }, NOW));
    expect(refused).toMatchObject({ version: 4, stateVersion: 2, refusals: 1, state: 'awaitingApproval' });
    expect(refused.journal).toEqual([{ at: NOW.toISOString(), by: a1, text: 'Refused: incident.start', code: 'CASE.NOT_REQUESTER' }]);
    const anonymous = ok(decideIncident(opened, { type: 'recordRefusal', by: undefined, action: 'incident.approve', code: 'REQUESTER.UNKNOWN' }, NOW));
    expect(anonymous.journal[0]).toEqual({ at: NOW.toISOString(), text: 'Refused: incident.approve', code: 'REQUESTER.UNKNOWN' });
    const full = incident({ refusals: MAX_RECORDED_INCIDENT_REFUSALS });
    expect(ok(decideIncident(full, { type: 'recordRefusal', by: a1, action: 'incident.deny', code: 'X.Y' }, NOW))).toBe(full);
  });
});
