import { decideOnIncident, openIncident, resumeIncidents, retryFailedUsers, runIncident, startIncident, type IncidentDeps } from '../../src/app/incident';
import type { Actor } from '../../src/domain/case';
import { incidentCounts, type IncidentCase } from '../../src/domain/incident';
import { createGraphClient } from '../../src/entra/graph-client';
import { GraphDirectory } from '../../src/entra/graph-directory';
import { GraphIncidentDirectory } from '../../src/entra/graph-incidents';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { StorageIncidentStore } from '../../src/store/storage-incident-store';
import { recordingLogger, type LogLine } from '../helpers/bot-harness';
import { incidentSeed, incidentUserId, SYNC_ACCOUNT } from '../helpers/incident-tenant';
import { ID } from '../simulator/graph-client';
import { pinnedClock } from '../helpers/test-clock';
import { simulatorCredential } from '../helpers/simulator-token';

const NOW = new Date('2025-06-15T12:00:00Z');
const megan: Actor = { aadObjectId: ID.megan, name: 'Megan Bowen' };
const grady: Actor = { aadObjectId: ID.grady, name: 'Grady Archie' };
const alex: Actor = { aadObjectId: ID.alex, name: 'Alex Wilber' };
const patti: Actor = { aadObjectId: ID.patti, name: 'Patti Fernandez' };

interface World {
  sim: RunningSimulator;
  deps: IncidentDeps;
  storage: InMemoryStorage;
  progress: number[];
  logs: LogLine[];
}

async function world(options: SimulatorOptions & { storage?: InMemoryStorage } = {}): Promise<World> {
  const sim = await startSimulator({
    port: 0,
    now: () => NOW,
    seed: incidentSeed({ deleted: 30, startedAt: new Date('2025-06-15T08:00:00Z'), restoredSince: 2, purged: 1, updates: 3 }),
    ...options,
  });
  const client = createGraphClient({ baseUrl: sim.url, credential: simulatorCredential(sim.url), retry: { baseDelayMs: 50, maxRetries: 2 } });
  const storage = options.storage ?? new InMemoryStorage();
  const progress: number[] = [];
  const logs: LogLine[] = [];
  let n = 0;
  const deps: IncidentDeps = {
    incidents: new StorageIncidentStore(storage),
    finder: new GraphIncidentDirectory(client, sim.url, { jitterMs: () => 0 }),
    directory: new GraphDirectory(client, sim.url),
    clock: { now: () => NOW },
    logger: recordingLogger(logs),
    newId: () => `IN-TEST000${++n}`,
    observer: { incidentChanged: () => Promise.resolve(), progress: (_c, answered) => Promise.resolve(void progress.push(answered)) },
    settings: { quorum: 2, helpdeskGroupIds: [ID.helpdeskGroup], approverGroupIds: [ID.approversGroup], progressIntervalMs: 0 },
  };
  return { sim, deps, storage, progress, logs };
}

function value<T>(r: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

const restoreAudits = (w: World, userId: string): number =>
  w.sim.tenant.audits.filter((a) => a.activityDisplayName === 'Restore user' && a.targetResources.some((t) => t.id === userId)).length;

async function approvedAndStarted(w: World): Promise<IncidentCase> {
  const c = value(await openIncident(w.deps, { text: `${SYNC_ACCOUNT.upn} from 2025-06-15T07:00:00Z to 2025-06-15T11:00:00Z`, requester: megan }));
  value(await decideOnIncident(w.deps, { id: c.id, by: alex, decision: 'approve' }));
  value(await decideOnIncident(w.deps, { id: c.id, by: patti, decision: 'approve' }));
  return value(await startIncident(w.deps, { id: c.id, by: megan }));
}

describe('bulk incident recovery against the simulated tenant', () => {
  let w: World;
  afterEach(async () => {
    await w.sim.close();
  });

  it('plans from the audit log: who the actor deleted, where each is now, what else it did; nothing changes', async () => {
    w = await world();
    const deletedBefore = w.sim.tenant.deletedUsers.size;
    const c = value(await openIncident(w.deps, { text: `${SYNC_ACCOUNT.upn} last 6h`, requester: megan }));
    expect(c.users).toHaveLength(30);
    expect(c.users.filter((u) => u.state === 'softDeleted')).toHaveLength(27);
    expect(
      c.users
        .filter((u) => u.state === 'active')
        .map((u) => u.id)
        .sort(),
    ).toEqual([incidentUserId(0), incidentUserId(1)]);
    expect(c.users.filter((u) => u.state === 'gone').map((u) => u.id)).toEqual([incidentUserId(2)]);
    expect(c.otherChanges).toEqual([{ activity: 'Update user', count: 3 }]);
    expect(c.requiredApprovals).toBe(2);
    expect(w.sim.tenant.deletedUsers.size).toBe(deletedBefore);
    expect((await w.deps.incidents.get(c.id))?.value).toEqual(c);
  });

  it('finds the same incident by the account object id, and stores nothing for an actor that deleted no one', async () => {
    w = await world();
    expect(value(await openIncident(w.deps, { text: `${SYNC_ACCOUNT.id} last 6h`, requester: megan })).users).toHaveLength(30);
    const none = await openIncident(w.deps, { text: 'alex@contoso.com last 6h', requester: megan });
    expect(none).toMatchObject({ ok: false, code: 'TARGET.NOT_FOUND' });
    expect(await w.deps.incidents.ids()).toHaveLength(1);
  });

  it('refuses a requester outside the helpdesk groups and bad input, storing nothing', async () => {
    w = await world();
    expect(await openIncident(w.deps, { text: `${SYNC_ACCOUNT.upn} last 6h`, requester: alex })).toMatchObject({ ok: false, code: 'REQUESTER.NOT_ALLOWED' });
    expect(await openIncident(w.deps, { text: `${SYNC_ACCOUNT.upn} last forever`, requester: megan })).toMatchObject({ ok: false, code: 'INPUT.MALFORMED' });
    expect(await openIncident(w.deps, { text: "x' or 1 eq 1 last 6h", requester: megan })).toMatchObject({ ok: false, code: 'INPUT.MALFORMED' });
    expect(await w.deps.incidents.ids()).toHaveLength(0);
  });

  it('needs two distinct approvers from the approver groups, then restores every restorable user exactly once', async () => {
    w = await world();
    const c = value(await openIncident(w.deps, { text: `${SYNC_ACCOUNT.upn} last 6h`, requester: megan }));
    expect(await decideOnIncident(w.deps, { id: c.id, by: megan, decision: 'approve' })).toMatchObject({ ok: false, code: 'APPROVAL.NOT_APPROVER' });
    expect(await decideOnIncident(w.deps, { id: c.id, by: grady, decision: 'approve' })).toMatchObject({ ok: false, code: 'APPROVAL.NOT_APPROVER' });
    expect(value(await decideOnIncident(w.deps, { id: c.id, by: alex, decision: 'approve' })).state).toBe('awaitingApproval');
    expect(await decideOnIncident(w.deps, { id: c.id, by: alex, decision: 'approve' })).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED' });
    expect(await startIncident(w.deps, { id: c.id, by: megan })).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
    expect(value(await decideOnIncident(w.deps, { id: c.id, by: patti, decision: 'approve' })).state).toBe('approved');
    expect(await startIncident(w.deps, { id: c.id, by: alex })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    value(await startIncident(w.deps, { id: c.id, by: megan }));
    const done = value(await runIncident(w.deps, c.id));
    expect(done.state).toBe('completed');
    expect(incidentCounts(done)).toMatchObject({ affected: 30, restorable: 27, restored: 27, failed: 0, alreadyActive: 2, gone: 1, pending: 0 });
    for (const u of done.users.filter((x) => x.state === 'softDeleted')) {
      expect(w.sim.tenant.users.has(u.id)).toBe(true);
      expect(restoreAudits(w, u.id)).toBe(1);
      expect(done.results[u.id]?.requestId).toEqual(expect.any(String));
    }
    expect(w.sim.tenant.users.has(incidentUserId(2))).toBe(false);
    expect(w.progress[w.progress.length - 1]).toBe(27);
    // Running again changes nothing: the incident is completed.
    expect(value(await runIncident(w.deps, c.id)).results).toEqual(done.results);
    expect(restoreAudits(w, incidentUserId(10))).toBe(1);
  });

  it('reports the users whose restore failed, and retries only those', async () => {
    w = await world();
    w.sim.faults.add({
      path: new RegExp(`/deletedItems/(${incidentUserId(5)}|${incidentUserId(6)})/restore$`),
      kind: 'error',
      status: 403,
      code: 'Authorization_RequestDenied',
      times: 2,
    });
    const c = await approvedAndStarted(w);
    const first = value(await runIncident(w.deps, c.id));
    expect(incidentCounts(first)).toMatchObject({ restored: 25, failed: 2 });
    expect(first.results[incidentUserId(5)]).toMatchObject({ status: 'failed', error: 'HTTP 403 Authorization_RequestDenied', run: 1 });
    expect(await retryFailedUsers(w.deps, { id: c.id, by: alex })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    value(await retryFailedUsers(w.deps, { id: c.id, by: megan }));
    const second = value(await runIncident(w.deps, c.id));
    expect(incidentCounts(second)).toMatchObject({ restored: 27, failed: 0 });
    expect(second.results[incidentUserId(5)]).toMatchObject({ status: 'restored', run: 2 });
    expect(second.results[incidentUserId(7)]?.run).toBe(1);
    for (let i = 3; i < 30; i++) expect(restoreAudits(w, incidentUserId(i))).toBe(1);
    expect(await retryFailedUsers(w.deps, { id: c.id, by: megan })).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
  });

  it('restores every user once under Graph throttling (a small write bucket), waiting out the 429s', async () => {
    w = await world({ now: pinnedClock(NOW), throttling: 'graph', identityLimits: { writes: 10, writeWindowMs: 500 } });
    const c = await approvedAndStarted(w);
    const done = value(await runIncident(w.deps, c.id));
    expect(incidentCounts(done)).toMatchObject({ restored: 27, failed: 0 });
    for (let i = 3; i < 30; i++) expect(restoreAudits(w, incidentUserId(i))).toBe(1);
    expect(w.logs.find((l) => l.message === 'incident run')?.fields).toMatchObject({ users: 27, throttled: expect.any(Number) });
    expect(Number(w.logs.find((l) => l.message === 'incident run')?.fields?.throttled)).toBeGreaterThan(0);
  });

  it('survives a restart mid-run: a new instance resumes it and restores each user once', async () => {
    w = await world();
    const c = await approvedAndStarted(w);
    // The first instance restored some users and died before saving any result.
    await w.deps.finder.restoreUsers([incidentUserId(3), incidentUserId(4)]);
    const restarted: IncidentDeps = { ...w.deps, incidents: new StorageIncidentStore(w.storage) };
    expect(await resumeIncidents(restarted)).toEqual([c.id]);
    const done = value({ ok: true as const, value: (await restarted.incidents.get(c.id))?.value });
    expect(done?.state).toBe('completed');
    expect(done?.results[incidentUserId(3)]?.status).toBe('alreadyActive');
    expect(incidentCounts(done as IncidentCase)).toMatchObject({ restored: 25, failed: 0, pending: 0 });
    for (let i = 3; i < 30; i++) expect(restoreAudits(w, incidentUserId(i))).toBe(1);
  });
});
