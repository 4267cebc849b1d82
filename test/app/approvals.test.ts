import { decideApproval, expireIfDue, pendingApprovers, requestApproval, requiredApprovals, scheduleApprovalTimers } from '../../src/app/approvals';
import { BackgroundWork } from '../../src/app/background-work';
import { bindCaseActions } from '../../src/app/case-actions';
import type { Actor } from '../../src/domain/case';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { actor, alex, CaseWorld, grady, isaiah, megan, patti, value } from '../fakes/case-world';

describe('approvals', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });
  const decide = (caseId: string, by: Actor, decision: 'approve' | 'deny' = 'approve', text?: string) =>
    decideApproval(w.deps, { caseId, by, decision, ...(text !== undefined ? { text } : {}) });

  it('sends the plan for one approval within the TTL; only the requester may send it', async () => {
    const c = await w.planned();
    expect(await requestApproval(w.deps, { caseId: c.id, by: alex })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    const sent = value(await requestApproval(w.deps, { caseId: c.id, by: megan }));
    expect(sent).toMatchObject({
      state: 'awaitingApproval',
      approval: { requestedAt: '2026-11-18T12:00:00.000Z', expiresAt: '2026-11-18T13:00:00.000Z', required: 1, decisions: [] },
    });
    expect(w.observer.states().at(-1)).toBe('awaitingApproval');
  });

  it('lets the requester neither approve nor deny their own case, without asking the directory', async () => {
    const c = await w.awaitingApproval();
    const callsBefore = w.directory.calls.length;
    expect(await decide(c.id, megan)).toMatchObject({ ok: false, code: 'APPROVAL.BY_REQUESTER' });
    expect(await decide(c.id, megan, 'deny', 'no')).toMatchObject({ ok: false, code: 'APPROVAL.BY_REQUESTER' });
    expect(w.directory.calls.length).toBe(callsBefore);
    expect((await w.stored(c.id)).approval?.decisions).toEqual([]);
  });

  it('refuses an approver who is the user being recovered', async () => {
    const c = await w.awaitingApproval(USERS.alex.upn);
    expect(await decide(c.id, alex)).toMatchObject({ ok: false, code: 'APPROVAL.BY_TARGET' });
  });

  it('refuses someone outside the approver groups and leaves the case as it was', async () => {
    const c = await w.awaitingApproval();
    expect(await decide(c.id, grady)).toMatchObject({ ok: false, code: 'APPROVAL.NOT_APPROVER', message: expect.stringContaining('security approver groups') });
    expect(await w.stored(c.id)).toMatchObject({ version: c.version, state: 'awaitingApproval' });
  });

  it('approves with one approver from the (nested) approver groups, recording the comment', async () => {
    const c = await w.awaitingApproval();
    const approved = value(await decide(c.id, isaiah, 'approve', '  Verified with the manager  '));
    expect(approved.state).toBe('approved');
    expect(approved.approval?.decisions).toEqual([{ by: isaiah, decision: 'approve', at: '2026-11-18T12:00:00.000Z', comment: 'Verified with the manager' }]);
    expect((await w.journal(c.id)).slice(-2)).toEqual(['Approved', 'Approval quorum reached']);
    expect(await decide(c.id, alex)).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED', message: expect.stringContaining('Isaiah Langer') });
  });

  it('needs two privileged approvers for a target with a directory role; an ordinary approver is refused', async () => {
    const c = await w.awaitingApproval(USERS.lee.upn);
    expect(requiredApprovals(c)).toBe(2);
    expect(c.approval?.required).toBe(2);
    expect(await decide(c.id, alex)).toMatchObject({
      ok: false,
      code: 'APPROVAL.NOT_APPROVER',
      message: expect.stringContaining('privileged approver groups'),
    });
    expect(value(await decide(c.id, patti)).state).toBe('awaitingApproval');
    expect(await decide(c.id, patti)).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED' });
    expect(value(await decide(c.id, isaiah)).state).toBe('approved');
  });

  it('lists who can still decide: the privileged approvers minus the requester, the target and who decided', async () => {
    const c = await w.awaitingApproval(USERS.lee.upn);
    expect((await pendingApprovers(w.deps, c)).map((p) => p.name).sort()).toEqual(['Isaiah Langer', 'Patti Fernandez']);
    const after = value(await decide(c.id, patti));
    expect(await pendingApprovers(w.deps, after)).toEqual([{ aadObjectId: USERS.isaiah.id, name: USERS.isaiah.name }]);
  });

  it('denies only with a reason; a denied case is closed and later clicks are told who decided', async () => {
    const c = await w.awaitingApproval();
    expect(await decide(c.id, alex, 'deny', '   ')).toMatchObject({ ok: false, code: 'INPUT.REASON_REQUIRED' });
    const denied = value(await decide(c.id, alex, 'deny', 'Caller could not be verified'));
    expect(denied).toMatchObject({ state: 'denied', closedAt: '2026-11-18T12:00:00.000Z' });
    expect(denied.journal.at(-1)).toMatchObject({ by: 'Alex Wilber', event: 'Denied', detail: 'Caller could not be verified' });
    expect(await decide(c.id, patti)).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED', message: expect.stringContaining('Alex Wilber') });
  });

  it('refuses a decision after the deadline, and expires the request when due', async () => {
    const c = await w.awaitingApproval();
    w.clock.advanceMinutes(59);
    expect(value(await expireIfDue(w.deps, c.id)).state).toBe('awaitingApproval');
    w.clock.advanceMinutes(1);
    expect(await decide(c.id, alex)).toMatchObject({ ok: false, code: 'APPROVAL.EXPIRED' });
    expect(value(await expireIfDue(w.deps, c.id))).toMatchObject({ state: 'expired', closedAt: '2026-11-18T13:00:00.000Z' });
  });

  it('reminds the thread once at the reminder time and expires at the deadline (manual scheduler)', async () => {
    const c = await w.awaitingApproval();
    scheduleApprovalTimers(w.deps, w.scheduler, c);
    scheduleApprovalTimers(w.deps, w.scheduler, c); // a second instance holding the same timers
    expect(await w.scheduler.runUntil(new Date('2026-11-18T12:14:59Z'))).toBe(0);
    w.clock.advanceMinutes(15);
    expect(await w.scheduler.runUntil(w.clock.now())).toBe(2);
    expect(w.observer.notes).toEqual([{ caseId: c.id, text: expect.stringMatching(/^Reminder: case RC-00000001 .* still needs 1 approval\(s\)/) }]);
    w.clock.advanceMinutes(45);
    expect(await w.scheduler.runUntil(w.clock.now())).toBe(2);
    expect(w.observer.notes.slice(1)).toEqual([{ caseId: c.id, text: expect.stringContaining('expired without the required approvals; nothing was changed') }]);
    expect((await w.stored(c.id)).state).toBe('expired');
    expect((await w.journal(c.id)).filter((e) => e === 'Approvers reminded')).toHaveLength(1);
  });

  it('says nothing at the deadline of a case approved in time', async () => {
    const c = await w.awaitingApproval();
    scheduleApprovalTimers(w.deps, w.scheduler, c);
    value(await decide(c.id, alex));
    w.clock.advanceMinutes(60);
    await w.scheduler.runUntil(w.clock.now());
    expect(w.observer.notes).toEqual([]);
    expect((await w.stored(c.id)).state).toBe('approved');
  });

  it('reports a directory failure while checking the approver, and records nothing', async () => {
    const c = await w.awaitingApproval();
    w.directory.failNext('memberOf', new DirectoryError('unavailable', 'Microsoft Graph did not answer.'));
    expect(await decide(c.id, alex)).toMatchObject({ ok: false, code: 'DIRECTORY.UNAVAILABLE' });
    expect((await w.stored(c.id)).approval?.decisions).toEqual([]);
  });

  it('starts the run on the requester\u2019s behalf when the quorum is reached, as the follow-up of the click (bound case actions)', async () => {
    const background = new BackgroundWork(w.logger);
    const actions = bindCaseActions(w.deps, background, w.scheduler);
    const c = await w.awaitingApproval();
    const decided = value(await actions.decide({ caseId: c.id, by: actor(USERS.alex), decision: 'approve' }));
    // The click is answered with the approved case; nothing has run yet.
    expect(decided.state).toBe('approved');
    expect(w.directory.writes).toEqual([]);
    // pendingWork says "start": the follow-up starts it as the requester and runs the steps.
    actions.followUp(decided);
    await background.idle();
    const journal = await w.journal(c.id);
    expect(journal.slice(journal.indexOf('Approval quorum reached'), journal.indexOf('Approval quorum reached') + 2)).toEqual([
      'Approval quorum reached',
      'Execution started',
    ]);
    expect((await w.stored(c.id)).state).not.toBe('approved');
  });
});
