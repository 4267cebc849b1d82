import { retryStep } from '../../src/app/agent-actions';
import { decideApproval } from '../../src/app/approvals';
import { runSteps, startExecution } from '../../src/app/execute-case';
import { MOBILE_PHONE_ID, ALTERNATE_MOBILE_PHONE_ID } from '../../src/domain/plan';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { alex, CaseWorld, megan, value } from '../fakes/case-world';

const adele = USERS.adele.id;

describe('execute-case', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });

  it('starts only an approved case, and only for its requester; the click itself makes no Graph write', async () => {
    const c = await w.awaitingApproval();
    expect(await startExecution(w.deps, { caseId: c.id, by: megan })).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
    value(await decideApproval(w.deps, { caseId: c.id, by: alex, decision: 'approve' }));
    expect(await startExecution(w.deps, { caseId: c.id, by: alex })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    const started = value(await startExecution(w.deps, { caseId: c.id, by: megan }));
    expect(started).toMatchObject({ state: 'executing', executionStartedAt: '2026-11-18T12:00:00.000Z' });
    expect(started.steps?.s01?.status).toBe('pending');
    expect(w.directory.writes).toEqual([]);
  });

  it('runs the malicious plan in order: every method removed (alternate mobile before mobile, default last), sessions revoked, then waits for the agent', async () => {
    const c = await w.started();
    const ran = value(await runSteps(w.deps, c.id));
    expect(w.directory.writes.map((x) => (x.op === 'deleteMethod' ? x.methodId : x.op))).toEqual([
      ALTERNATE_MOBILE_PHONE_ID,
      'fido-adele',
      MOBILE_PHONE_ID,
      'auth-adele',
      'revokeSessions',
    ]);
    expect(w.directory.methodsOf(adele).map((m) => m.type)).toEqual(['password']);
    expect(ran.state).toBe('executing');
    expect([ran.steps?.s01?.status, ran.steps?.s02?.status, ran.steps?.s03?.status]).toEqual(['done', 'done', 'waiting']);
    expect(ran.steps?.s01?.requestIds).toHaveLength(4);
    expect((await w.journal(c.id)).slice(-5)).toEqual([
      'Step started: Remove every authentication method (4 now; any added later are removed too)',
      'Step done: Remove every authentication method (4 now; any added later are removed too)',
      'Step started: Revoke all sign-in sessions and refresh tokens',
      'Step done: Revoke all sign-in sessions and refresh tokens',
      expect.stringMatching(/^Waiting for the agent: Record how the caller/),
    ]);
  });

  it('also removes a method registered after the plan was approved', async () => {
    const c = await w.started();
    w.directory.registerMethod(adele, { id: 'attacker-oath', type: 'softwareOath', detail: 'Authenticator (attacker)' });
    value(await runSteps(w.deps, c.id));
    expect(w.directory.writesOf('deleteMethod').map((x) => x.methodId)).toContain('attacker-oath');
  });

  it('is idempotent: running again repeats no write', async () => {
    const c = await w.started();
    const first = value(await runSteps(w.deps, c.id));
    const writes = [...w.directory.writes];
    const again = value(await runSteps(w.deps, c.id));
    expect(w.directory.writes).toEqual(writes);
    expect(again.version).toBe(first.version);
  });

  it('records a failing step as failed with its code and request id, and stops there', async () => {
    const c = await w.started();
    w.directory.failNext('revokeSessions', new DirectoryError('throttled', 'Microsoft Graph is throttling requests.', 'req-429', 5));
    const failed = value(await runSteps(w.deps, c.id));
    expect(failed.state).toBe('failed');
    expect(failed.steps?.s01?.status).toBe('done');
    expect(failed.steps?.s02).toMatchObject({
      status: 'failed',
      requestIds: ['req-429'],
      detail: 'Microsoft Graph is throttling requests. (DIRECTORY.THROTTLED)',
    });
    expect(failed.steps?.s03?.status).toBe('pending');
    expect(w.directory.writesOf('revokeSessions')).toEqual([]);
    expect(w.observer.states().at(-1)).toBe('failed');
  });

  it('resumes a failed step on Retry by the requester only, without repeating the steps already done', async () => {
    const c = await w.started();
    w.directory.failNext('revokeSessions', new DirectoryError('unavailable', 'Microsoft Graph did not answer.'));
    value(await runSteps(w.deps, c.id));
    const deletions = w.directory.writesOf('deleteMethod').length;
    expect(await retryStep(w.deps, { caseId: c.id, by: alex, stepId: 's02' })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect(await retryStep(w.deps, { caseId: c.id, by: megan, stepId: 's03' })).toMatchObject({ ok: false, code: 'STEP.OUT_OF_ORDER' });
    expect(value(await retryStep(w.deps, { caseId: c.id, by: megan, stepId: 's02' })).state).toBe('executing');
    const resumed = value(await runSteps(w.deps, c.id));
    expect(resumed.steps?.s02?.status).toBe('done');
    expect(w.directory.writesOf('deleteMethod')).toHaveLength(deletions);
    expect(w.directory.writesOf('revokeSessions')).toHaveLength(1);
    expect(await w.journal(c.id)).toEqual(
      expect.arrayContaining(['Step failed: Revoke all sign-in sessions and refresh tokens', 'Step retried: Revoke all sign-in sessions and refresh tokens']),
    );
  });

  it('after a crash mid-step (recorded running, some methods gone) finishes the step without deleting anything twice', async () => {
    const c = await w.started();
    w.directory.failNext('deleteMethods', new DirectoryError('unavailable', 'The connection was reset.'));
    value(await runSteps(w.deps, c.id)); // s01 failed
    // Meanwhile part of it took effect, as a lost answer would leave it.
    await w.directory.deleteMethod({ method: 'DELETE', path: `/users/${adele}/authentication/phoneMethods/${ALTERNATE_MOBILE_PHONE_ID}`, version: 'v1.0' });
    value(await retryStep(w.deps, { caseId: c.id, by: megan, stepId: 's01' }));
    value(await runSteps(w.deps, c.id));
    const deleted = w.directory.writesOf('deleteMethod').map((x) => x.methodId);
    expect(deleted).toHaveLength(new Set(deleted).size);
    expect(deleted).toHaveLength(4);
  });

  it('records a bug in a step as STEP.UNEXPECTED with a reference, and logs the detail under that reference only', async () => {
    const c = await w.started();
    w.directory.failNext('methodsAndDetails', new TypeError('Cannot read properties of undefined'));
    const failed = value(await runSteps(w.deps, c.id));
    const detail = failed.steps?.s01?.detail ?? '';
    const reference = /reference (ERR-[0-9A-F]{8})/.exec(detail)?.[1];
    expect(detail).toContain('(STEP.UNEXPECTED)');
    expect(detail).not.toContain('Cannot read properties');
    expect(w.logger.lines.find((l) => l.level === 'error')?.fields).toMatchObject({ correlationId: reference, error: 'TypeError' });
  });

  it('gives the batched reads and deletes of removeAllMethods at most three quarters of the step deadline to retry in', async () => {
    const paced = new CaseWorld({ stepDeadlineMs: 40_000 });
    const c = await paced.started();
    value(await runSteps(paced.deps, c.id));
    expect(paced.directory.budgets.map((b) => b.op)).toEqual(['methodsAndDetails', 'deleteMethods']);
    for (const { budget } of paced.directory.budgets) {
      expect(budget?.withinMs).toBeGreaterThan(0);
      expect(budget?.withinMs).toBeLessThanOrEqual(30_000);
    }
  });

  it('stops a step that outlives its deadline with DIRECTORY.TIMEOUT', async () => {
    const quick = new CaseWorld({ stepDeadlineMs: 20 });
    const c = await quick.started();
    quick.directory.failNext('methodsAndDetails', 'hang');
    const failed = value(await runSteps(quick.deps, c.id));
    expect(failed.steps?.s01).toMatchObject({ status: 'failed', detail: expect.stringContaining('(DIRECTORY.TIMEOUT)') });
  });

  it('restores a soft-deleted user, then checks its methods automatically in an accidental recovery', async () => {
    const c = await w.started(USERS.diego.upn, 'accidental');
    const ran = value(await runSteps(w.deps, c.id));
    expect(c.plan?.map((s) => s.kind)).toEqual(['restoreUser', 'checkMethods', 'verifyIdentity', 'resetPassword', 'issueTap']);
    expect(w.directory.writes).toEqual([{ op: 'restoreUser', userId: USERS.diego.id }]);
    expect(ran.steps?.s02).toMatchObject({ status: 'done', detail: expect.stringContaining('Usable now: email (d•••@fabrikam.com), fido2 (YubiKey).') });
    expect(ran.steps?.s03?.status).toBe('waiting');
  });

  it('recreates a hard-deleted user, and later steps act on the new object id', async () => {
    const c = await w.started(USERS.johanna.upn, 'malicious');
    const ran = value(await runSteps(w.deps, c.id));
    const created = w.directory.writesOf('createUser')[0];
    expect(created).toMatchObject({ userPrincipalName: USERS.johanna.upn });
    expect(ran.recreatedUserId).toBe(created?.userId);
    expect(w.directory.writesOf('revokeSessions')).toEqual([{ op: 'revokeSessions', userId: created?.userId }]);
  });
});
