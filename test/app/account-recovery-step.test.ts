import { handOffToAccountRecovery, watchHandOff } from '../../src/app/account-recovery-step';
import { revealSecret, skipStep } from '../../src/app/agent-actions';
import { runSteps } from '../../src/app/execute-case';
import { resumeOpenCases } from '../../src/app/resume-cases';
import { ALL_USERS } from '../../src/domain/account-recovery';
import { ACCOUNT_RECOVERY_EVENTS as E } from '../../src/domain/account-recovery-outcome';
import type { AuditEvent } from '../../src/domain/audit';
import type { RecoveryCase } from '../../src/domain/case';
import { accountRecoveryAdvice } from '../../src/domain/account-recovery-handoff';
import { alex, CaseWorld, megan, value } from '../fakes/case-world';
import { ADELE_METHODS } from '../fakes/small-tenant';
import { USERS } from '../helpers/demo-ids';

/**
 * Issue 17, the identity step's Account Recovery path: offered where the spec says it is the better path (here an
 * unknown compromise window), taken only when the prerequisites the bot can read hold, then watched in the audit log
 * until the user's recovery completes (confirmed by a new method) or fails.
 */

const PROFILE = {
  id: 'p-1',
  name: 'Contoso recovery',
  state: 'enabled',
  usages: [{ purpose: 'recovery', isEnabledForTestOnly: false }],
  faceCheckEnabled: true,
};

let n = 0;
const event = (activity: string, at: string, result = 'success'): AuditEvent => ({
  id: `ar-${++n}`,
  at,
  activity,
  result,
  actor: { kind: 'user', id: USERS.adele.id },
  details: [],
  targetIds: [USERS.adele.id],
});

describe('the Account Recovery path of the identity step', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
    w.directory.addUser(
      {
        id: USERS.adele.id,
        userPrincipalName: USERS.adele.upn,
        displayName: USERS.adele.name,
        accountEnabled: true,
        givenName: 'Adele',
        surname: 'Vance',
        lastSignInDateTime: '2026-11-10T08:00:00Z',
      },
      { methods: ADELE_METHODS },
    );
    w.directory.profiles = [PROFILE];
    w.directory.verifiedIdTargets = { enabled: true, include: [{ targetType: 'group', id: ALL_USERS, profileIds: ['p-1'] }], exclude: [] };
  });

  /** Adele's case as malicious with no suspicious signal in the audit window: the compromise window is unknown. */
  async function atIdentityCheck(): Promise<RecoveryCase> {
    const c = await w.started();
    return value(await runSteps(w.deps, c.id));
  }

  it('is advised when the compromise window is unknown, and says why a VerifiedEmployee card cannot settle it', async () => {
    const c = await atIdentityCheck();
    const advice = accountRecoveryAdvice(c);
    expect(advice.advised).toBe(true);
    expect(advice.reasons.join(' ')).toMatch(/compromise window is unknown/);
  });

  it('refuses a hand-off whose prerequisites fail, naming them, and records nothing', async () => {
    const c = await atIdentityCheck();
    w.directory.profiles = [{ ...PROFILE, state: 'disabled' }];
    const refused = await handOffToAccountRecovery(w.deps, { caseId: c.id, by: megan, stepId: 's03' });
    expect(refused).toMatchObject({ ok: false, code: 'VERIFICATION.UNAVAILABLE', message: expect.stringContaining('profileEnabled') });
    expect((await w.stored(c.id)).verification).toBeUndefined();
    expect(await handOffToAccountRecovery(w.deps, { caseId: c.id, by: alex, stepId: 's03' })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
  });

  it('hands off, tells the thread what the user does, watches, and completes the step only with a method registered after the hand-off', async () => {
    const c = await atIdentityCheck();
    const handed = value(await handOffToAccountRecovery(w.deps, { caseId: c.id, by: megan, stepId: 's03' }));
    expect(handed.verification?.accountRecovery).toMatchObject({ by: megan, status: 'notStarted', profile: 'Contoso recovery' });
    expect(w.observer.notes.at(-1)?.text).toMatch(/Recover your account/);
    expect(await handOffToAccountRecovery(w.deps, { caseId: c.id, by: megan, stepId: 's03' })).toMatchObject({ ok: false, code: 'VERIFICATION.PENDING' });

    // Nothing seen yet: nothing recorded.
    const versions = (await w.stored(c.id)).version;
    value(await watchHandOff(w.deps, c.id));
    expect((await w.stored(c.id)).version).toBe(versions);

    w.clock.advanceMinutes(10);
    w.directory.addAudit(event(E.started, '2026-11-18T12:03:00Z'));
    expect(value(await watchHandOff(w.deps, c.id)).verification?.accountRecovery?.status).toBe('inProgress');

    // The completion event alone is not enough: the user's new method must be there.
    w.directory.addAudit(event(E.completed, '2026-11-18T12:09:00Z'));
    const unconfirmed = value(await watchHandOff(w.deps, c.id));
    expect(unconfirmed.identityVerification).toBeUndefined();
    expect(unconfirmed.verification?.accountRecovery?.status).toBe('inProgress');

    w.directory.registerMethod(USERS.adele.id, {
      id: 'passkey-new',
      type: 'fido2',
      detail: 'Passkey in Authenticator',
      createdDateTime: '2026-11-18T12:08:30Z',
    });
    const done = value(await watchHandOff(w.deps, c.id));
    expect(done.identityVerification).toMatchObject({ kind: 'accountRecovery', by: megan });
    expect(done.steps?.s03?.status).toBe('done');
    expect(done.steps?.s04?.status).toBe('waiting');
    expect(await w.journal(c.id)).toEqual(
      expect.arrayContaining(['Handed to Entra ID Account Recovery', 'Account Recovery: in progress', 'Account Recovery: completed']),
    );
  });

  it('lets the TAP step be marked not needed after Account Recovery, which issued the user one', async () => {
    const c = await atIdentityCheck();
    value(await handOffToAccountRecovery(w.deps, { caseId: c.id, by: megan, stepId: 's03' }));
    w.directory.addAudit(event(E.completed, '2026-11-18T12:09:00Z'));
    w.directory.registerMethod(USERS.adele.id, { id: 'passkey-new', type: 'fido2', detail: 'Passkey', createdDateTime: '2026-11-18T12:08:30Z' });
    value(await watchHandOff(w.deps, c.id));
    // The password is still required (whoever held the account knew the old one); the TAP is not.
    expect(await skipStep(w.deps, { caseId: c.id, by: megan, stepId: 's04' })).toMatchObject({ ok: false, code: 'STEP.OUT_OF_ORDER' });
    value(await revealSecret(w.deps, { caseId: c.id, by: megan, stepId: 's04', kind: 'password' }));
    const skipped = value(await skipStep(w.deps, { caseId: c.id, by: megan, stepId: 's05' }));
    expect(skipped.steps?.s05).toMatchObject({
      status: 'done',
      detail: 'Not needed: Account Recovery issued the user their Temporary Access Pass (Megan Bowen)',
    });
  });

  it('records a failed recovery, closing the hand-off so the agent can take another path', async () => {
    const c = await atIdentityCheck();
    value(await handOffToAccountRecovery(w.deps, { caseId: c.id, by: megan, stepId: 's03' }));
    w.directory.addAudit(event(E.started, '2026-11-18T12:01:00Z'), event(E.faceCheckFailed, '2026-11-18T12:04:00Z', 'failure'));
    // The sweep looks too (the timers die with their process).
    await resumeOpenCases(w.deps, w.scheduler, () => undefined);
    const after = await w.stored(c.id);
    expect(after.verification?.accountRecovery).toMatchObject({ status: 'failed', failure: expect.stringMatching(/face check/i) });
    expect(after.identityVerification).toBeUndefined();
    expect(after.steps?.s03?.status).toBe('waiting');
    value(await handOffToAccountRecovery(w.deps, { caseId: c.id, by: megan, stepId: 's03' }));
  });
});
