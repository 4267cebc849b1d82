import { decideApproval, overrideRisks, requestApproval } from '../../src/app/approvals';
import { openCase } from '../../src/app/open-case';
import type { Actor, RecoveryCase } from '../../src/domain/case';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { USERS } from '../helpers/demo-ids';
import { alex, CaseWorld, megan, nestor, THREAD, value } from '../fakes/case-world';

const codes = (c: RecoveryCase): string[] => (c.risks ?? []).map((r) => r.code);

/** Marks a stored case as recovered and closed, as if its run had happened (the run itself is other tests' business). */
async function recovered(w: CaseWorld, caseId: string): Promise<void> {
  const stored = (await w.cases.get(caseId))!;
  const at = w.clock.now().toISOString();
  expect(await w.cases.replace({ ...stored.value, state: 'documented', executionStartedAt: at, closedAt: at }, stored.eTag)).not.toBe('conflict');
}

describe('helpdesk-attack risks at intake', () => {
  const open = (w: CaseWorld, target: string, by: Actor = megan) => openCase(w.openDeps, { rawTarget: target, requester: by, thread: THREAD });

  it('a user recovered within the cooldown: flagged, journalled, and the approval request needs one more approval', async () => {
    const w = new CaseWorld();
    const first = value(await open(w, USERS.adele.upn));
    expect(codes(first)).toEqual([]);
    await recovered(w, first.id);
    w.clock.advanceMinutes(60 * 24 * 29);
    const second = await w.planned(USERS.adele.upn);
    expect(codes(second)).toEqual(['RISK.TARGET_RECENTLY_RECOVERED']);
    expect(second.risks?.[0]?.text).toContain(first.id);
    expect(second.journal[1]).toMatchObject({ by: 'bot', event: 'Helpdesk-attack risks flagged', detail: expect.stringContaining('(+1 approval)') });
    const requested = value(await requestApproval(w.deps, { caseId: second.id, by: megan }));
    expect(requested.approval?.required).toBe(2);
    // One ordinary approver is no longer enough.
    expect(value(await decideApproval(w.deps, { caseId: second.id, by: alex, decision: 'approve' })).state).toBe('awaitingApproval');
  });

  it('a denied case asked again counts; a cancelled one does not; the cooldown’s end does not', async () => {
    const w = new CaseWorld();
    const first = await w.awaitingApproval(USERS.adele.upn);
    value(await decideApproval(w.deps, { caseId: first.id, by: alex, decision: 'deny', text: 'The caller could not say where they work.' }));
    expect(codes(value(await open(w, USERS.adele.upn, nestor)))).toEqual(['RISK.TARGET_RECENTLY_RECOVERED']);

    const quiet = new CaseWorld();
    const cancelled = value(await open(quiet, USERS.adele.upn));
    const stored = (await quiet.cases.get(cancelled.id))!;
    await quiet.cases.replace({ ...stored.value, state: 'cancelled' }, stored.eTag);
    expect(codes(value(await open(quiet, USERS.adele.upn)))).toEqual([]);

    const later = new CaseWorld();
    const old = value(await open(later, USERS.adele.upn));
    await recovered(later, old.id);
    later.clock.advanceMinutes(60 * 24 * 30);
    expect(codes(value(await open(later, USERS.adele.upn)))).toEqual([]);
  });

  it('a requester whose own account was recovered recently needs one more approval', async () => {
    const w = new CaseWorld();
    const own = value(await open(w, USERS.nestor.upn, megan));
    await recovered(w, own.id);
    const c = value(await open(w, USERS.adele.upn, nestor));
    expect(codes(c)).toEqual(['RISK.REQUESTER_RECENTLY_RECOVERED']);
    expect(c.risks?.[0]?.text).toContain(own.id);
  });

  it('a burst of openings from two instances at once is flagged exactly once, on the opening that went over the limit', async () => {
    const w = new CaseWorld({}, { risk: { burstLimit: 2 } });
    const other = { ...w.openDeps, cases: new StorageCaseStore(w.storage, 'unit-tier-journal-key-0123456789abcdef', () => w.clock.now().getTime()) };
    const [a, b, c] = await Promise.all([
      open(w, USERS.adele.upn),
      openCase(other, { rawTarget: USERS.lee.upn, requester: megan, thread: THREAD }),
      open(w, USERS.diego.upn),
    ]);
    const flagged = [a, b, c].map((r) => codes(value(r)).filter((x) => x === 'RISK.AGENT_BURST').length);
    expect(flagged.sort()).toEqual([0, 0, 1]);
  });

  it('out of hours: approval waits for the requester’s override with a reason, which the journal keeps', async () => {
    const w = new CaseWorld();
    w.clock.advanceMinutes(8 * 60); // 20:00 UTC, after the 07-19 working hours
    const c = await w.planned(USERS.adele.upn);
    expect(codes(c)).toEqual(['RISK.OUTSIDE_WORKING_HOURS']);
    expect(await requestApproval(w.deps, { caseId: c.id, by: megan })).toMatchObject({ ok: false, code: 'RISK.OVERRIDE_REQUIRED' });
    expect(await overrideRisks(w.deps, { caseId: c.id, by: nestor, reason: 'I am on call' })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    value(await overrideRisks(w.deps, { caseId: c.id, by: megan, reason: 'On call: the user is travelling and locked out.' }));
    const requested = value(await requestApproval(w.deps, { caseId: c.id, by: megan }));
    expect(requested.approval?.required).toBe(1);
    expect(await w.journal(c.id)).toEqual(expect.arrayContaining(['Risks overridden: RISK.OUTSIDE_WORKING_HOURS', 'Approval requested']));
  });

  it('a privileged target: the risk is shown and recorded, and the approvals stay two privileged ones', async () => {
    const w = new CaseWorld();
    const c = value(await open(w, USERS.lee.upn));
    expect(c.risks).toEqual([{ code: 'RISK.PRIVILEGED_TARGET', text: expect.stringContaining('Authentication Administrator'), consequence: { kind: 'show' } }]);
  });
});
