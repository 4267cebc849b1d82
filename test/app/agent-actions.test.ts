import { confirmGuidedStep, recordIdentityVerification, revealSecret, skipStep } from '../../src/app/agent-actions';
import { decideFallback, requestFallback } from '../../src/app/verify-identity';
import { runSteps } from '../../src/app/execute-case';
import type { RecoveryCase } from '../../src/domain/case';
import { USERS } from '../helpers/demo-ids';
import { alex, CaseWorld, grady, isaiah, megan, patti, value } from '../fakes/case-world';

const adele = USERS.adele.id;

describe('agent actions in a malicious recovery', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });

  /** Adele's methods removed and sessions revoked; the run waits for the identity check (s03). */
  async function atIdentityCheck(): Promise<RecoveryCase> {
    const c = await w.started();
    return value(await runSteps(w.deps, c.id));
  }
  const askFallback = (caseId: string, by = megan, method = 'Video call with manager') =>
    requestFallback(w.deps, { caseId, by, stepId: 's03', method, note: 'Manager confirmed on a video call; badge matched' });
  /** The malicious identity step done the fallback way (no Verified ID configured here): Megan asks, Patti accepts. */
  const verify = async (caseId: string): Promise<RecoveryCase> => {
    value(await askFallback(caseId));
    return value(await decideFallback(w.deps, { caseId, by: patti, decision: 'approve' }));
  };

  it('reveals no secret before the identity check, and a malicious recovery cannot skip it', async () => {
    const c = await atIdentityCheck();
    expect(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' })).toMatchObject({ ok: false, code: 'STEP.OUT_OF_ORDER' });
    expect(await skipStep(w.deps, { caseId: c.id, by: megan, stepId: 's03' })).toMatchObject({
      ok: false,
      code: 'STEP.OUT_OF_ORDER',
      message: 'In a malicious recovery every step is required.',
    });
    expect(w.directory.writesOf('setPassword')).toEqual([]);
  });

  it('takes no manual method on the agent\u2019s word: the fallback needs one more approver, who is not the requester nor a plan approver', async () => {
    const c = await atIdentityCheck();
    const manual = await recordIdentityVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03', method: 'Video call with manager', note: 'Seemed fine' });
    expect(manual).toMatchObject({ ok: false, code: 'VERIFICATION.REQUIRED' });
    expect(await askFallback(c.id, megan, 'Asked their pet\u2019s name')).toMatchObject({ ok: false, code: 'INPUT.MALFORMED' });
    expect(await askFallback(c.id, alex)).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    value(await askFallback(c.id));
    expect(await askFallback(c.id)).toMatchObject({ ok: false, code: 'VERIFICATION.PENDING' });
    expect(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' })).toMatchObject({ ok: false, code: 'STEP.OUT_OF_ORDER' });
    expect(await decideFallback(w.deps, { caseId: c.id, by: megan, decision: 'approve' })).toMatchObject({ ok: false, code: 'APPROVAL.BY_REQUESTER' });
    expect(await decideFallback(w.deps, { caseId: c.id, by: alex, decision: 'approve' })).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED' });
    expect(await decideFallback(w.deps, { caseId: c.id, by: grady, decision: 'approve' })).toMatchObject({ ok: false, code: 'APPROVAL.NOT_APPROVER' });
    expect(await decideFallback(w.deps, { caseId: c.id, by: patti, decision: 'deny' })).toMatchObject({ ok: false, code: 'INPUT.REASON_REQUIRED' });
    const accepted = value(await decideFallback(w.deps, { caseId: c.id, by: patti, decision: 'approve' }));
    expect(accepted.identityVerification).toMatchObject({
      by: megan,
      method: 'Video call with manager',
      kind: 'fallback',
      approvedBy: patti,
      at: '2026-11-18T12:00:00.000Z',
    });
    expect(accepted.steps?.s03?.status).toBe('done');
    expect(accepted.steps?.s04?.status).toBe('waiting');
    expect(await decideFallback(w.deps, { caseId: c.id, by: isaiah, decision: 'approve' })).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED' });
    expect(await w.journal(c.id)).toEqual(
      expect.arrayContaining(['Fallback approval asked: Video call with manager', 'Identity accepted without Verified ID (fallback): Video call with manager']),
    );
  });

  it('a refused fallback is recorded with its reason, and the agent may ask again', async () => {
    const c = await atIdentityCheck();
    value(await askFallback(c.id));
    const refused = value(await decideFallback(w.deps, { caseId: c.id, by: patti, decision: 'deny', reason: 'Call the manager back on the HR number first' }));
    expect(refused.verification?.fallback).toBeUndefined();
    expect(refused.verification?.refusedFallbacks).toEqual([
      expect.objectContaining({ refusedBy: patti, reason: 'Call the manager back on the HR number first' }),
    ]);
    expect(refused.identityVerification).toBeUndefined();
    value(await askFallback(c.id));
    value(await decideFallback(w.deps, { caseId: c.id, by: isaiah, decision: 'approve' }));
    expect((await w.stored(c.id)).identityVerification).toMatchObject({ kind: 'fallback', approvedBy: isaiah });
  });

  it('reveals the password Graph was given, once, to the requester only, and never stores it', async () => {
    const c = await atIdentityCheck();
    await verify(c.id);
    expect(await revealSecret(w.deps, { caseId: c.id, by: alex, stepId: 's04', kind: 'password' })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    const revealed = value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' }));
    expect(w.directory.writesOf('setPassword')).toEqual([{ op: 'setPassword', userId: adele, password: revealed.secret.value, forceChange: true }]);
    expect(revealed.case.steps?.s05?.status).toBe('waiting');
    expect(JSON.stringify(await w.stored(c.id))).not.toContain(revealed.secret.value);
    expect(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' })).toMatchObject({ ok: false, code: 'STEP.OUT_OF_ORDER' });
  });

  it('refuses a TAP lifetime outside the tenant policy before changing anything', async () => {
    const c = await atIdentityCheck();
    await verify(c.id);
    value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' }));
    const refused = await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's05', kind: 'tap', tapLifetimeInMinutes: 600 });
    expect(refused).toMatchObject({ ok: false, code: 'INPUT.MALFORMED', message: expect.stringContaining('between 10 and 480 minutes') });
    expect(w.directory.writesOf('createTap')).toEqual([]);
    expect((await w.stored(c.id)).steps?.s05?.status).toBe('waiting');
  });

  it('deletes a TAP nobody in the case was shown before issuing the one it reveals', async () => {
    const c = await atIdentityCheck();
    await verify(c.id);
    value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' }));
    w.directory.registerMethod(adele, { id: 'tap-unseen', type: 'temporaryAccessPass', detail: 'one-time', createdDateTime: '2026-11-18T11:58:00Z' });
    const revealed = value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's05', kind: 'tap' }));
    expect(revealed.secret).toMatchObject({ kind: 'tap', value: 'TAP-0001', expiresAt: '2026-11-18T13:00:00.000Z', isUsableOnce: true });
    expect(w.directory.writes.slice(-2).map((x) => x.op)).toEqual(['deleteMethod', 'createTap']);
    expect(revealed.case.steps?.s05?.detail).toContain('A TAP created 2026-11-18T11:58:00Z that nobody in this case was shown');
    expect(w.logger.lines.map((l) => l.message)).toContain('deleted a TAP that nobody in the case was shown before issuing a new one');
  });

  it('believes "new methods registered" only after re-checking the directory, then moves to validation', async () => {
    const c = await atIdentityCheck();
    await verify(c.id);
    value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' }));
    value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's05', kind: 'tap' }));
    expect(await confirmGuidedStep(w.deps, { caseId: c.id, by: megan, stepId: 's06' })).toMatchObject({
      ok: false,
      code: 'STEP.OUT_OF_ORDER',
      message: expect.stringContaining('No new method is registered yet'),
    });
    w.directory.registerMethod(adele, { id: 'passkey-new', type: 'fido2', detail: 'Passkey in Authenticator' });
    const confirmed = value(await confirmGuidedStep(w.deps, { caseId: c.id, by: megan, stepId: 's06' }));
    expect(confirmed.state).toBe('validating');
    expect(confirmed.steps?.s06?.detail).toContain('New methods registered: fido2 (Passkey in Authenticator).');
  });
});
