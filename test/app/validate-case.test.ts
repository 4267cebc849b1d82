import { skipStep } from '../../src/app/agent-actions';
import { runSteps } from '../../src/app/execute-case';
import { closeCase, PREVENTION_CHECKLIST, recheckCase, validateCase } from '../../src/app/validate-case';
import type { RecoveryCase } from '../../src/domain/case';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { alex, CaseWorld, megan, value } from '../fakes/case-world';

const diego = USERS.diego.id;

describe('validate-case', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });

  /** Diego restored (accidental), the optional secret steps skipped: the case is in validation at 12:30. */
  async function validating(): Promise<RecoveryCase> {
    const c = await w.started(USERS.diego.upn, 'accidental');
    value(await runSteps(w.deps, c.id));
    w.clock.advanceMinutes(30);
    for (const stepId of ['s03', 's04', 's05']) value(await skipStep(w.deps, { caseId: c.id, by: megan, stepId }));
    const done = await w.stored(c.id);
    expect(done).toMatchObject({ state: 'validating', executionCompletedAt: '2026-11-18T12:30:00.000Z' });
    return done;
  }
  const check = (c: RecoveryCase, name: string) => c.validation?.find((k) => k.name === name);

  it('is refused before the run is over', async () => {
    const c = await w.started();
    expect(await validateCase(w.deps, c.id)).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
  });

  it('counts only a sign-in after the recovery was completed, and leaves the check pending otherwise', async () => {
    const c = await validating();
    w.directory.addSignIn(diego, { at: '2026-11-18T12:10:00Z', success: true, appDisplayName: 'My Sign-Ins' });
    const before = value(await validateCase(w.deps, c.id));
    expect(check(before, 'Test sign-in')?.outcome).toBe('pending');
    w.directory.addSignIn(
      diego,
      { at: '2026-11-18T12:40:00Z', success: false },
      { at: '2026-11-18T12:45:00Z', success: true, appDisplayName: 'Outlook', conditionalAccessStatus: 'success' },
    );
    const after = value(await validateCase(w.deps, c.id));
    expect(check(after, 'Test sign-in')).toEqual({
      name: 'Test sign-in',
      outcome: 'pass',
      detail: 'Successful sign-in at 2026-11-18 12:45 UTC to Outlook; Conditional Access: success.',
    });
  });

  it('says the time of the test sign-in in the helpdesk\u2019s time zone (HELPDESK_TIME_ZONE), the zone named', async () => {
    const berlin = new CaseWorld({
      triage: { automationAppIds: [], timeZone: 'Europe/Berlin', startHour: 0, endHour: 24, days: [1, 2, 3, 4, 5, 6, 7], reAddWindowMinutes: 60 },
    });
    w = berlin;
    const c = await validating();
    w.directory.addSignIn(diego, { at: '2026-11-18T12:45:00Z', success: true, appDisplayName: 'Outlook' });
    expect(check(value(await validateCase(w.deps, c.id)), 'Test sign-in')?.detail).toBe('Successful sign-in at 2026-11-18 13:45 (Europe/Berlin) to Outlook.');
  });

  it('reports MFA, SSPR, Conditional Access and the recovered methods, plus the prevention checklist', async () => {
    const c = await validating();
    w.directory.setDetails(diego, {
      isMfaRegistered: false,
      isMfaCapable: false,
      isSsprRegistered: false,
      isSsprEnabled: true,
      isPasswordlessCapable: false,
      methodsRegistered: [],
    });
    const v = value(await validateCase(w.deps, c.id));
    expect(check(v, 'MFA registration')).toMatchObject({ outcome: 'fail', detail: 'MFA not registered; methods: none.' });
    expect(check(v, 'SSPR')).toMatchObject({ outcome: 'fail', detail: 'SSPR enabled, not registered.' });
    expect(check(v, 'Conditional Access')).toMatchObject({ outcome: 'fail', detail: 'No enabled Conditional Access policy applies to this user.' });
    expect(check(v, 'Recovered methods usable')?.outcome).toBe('pass');
    expect(v.validation?.filter((k) => k.name === 'Prevention').map((k) => k.detail)).toEqual(PREVENTION_CHECKLIST);
    expect(v.journal.at(-1)).toMatchObject({ event: 'Validation recorded', detail: expect.stringContaining('MFA registration: fail') });
  });

  it('leaves the sign-in check pending, with the reason, when sign-in logs are not licensed', async () => {
    const c = await validating();
    w.directory.failNext('listSignIns', new DirectoryError('denied', 'Sign-in logs need Entra ID P1.'));
    const v = value(await validateCase(w.deps, c.id));
    expect(check(v, 'Test sign-in')).toMatchObject({ outcome: 'pending', detail: expect.stringContaining('Sign-in logs are not readable') });
    expect(check(v, 'MFA registration')?.outcome).toBe('pending');
  });

  it('records nothing when the directory fails mid-validation', async () => {
    const c = await validating();
    w.directory.failNext('conditionalAccessPoliciesFor', new DirectoryError('throttled', 'Microsoft Graph is throttling requests.'));
    expect(await validateCase(w.deps, c.id)).toMatchObject({ ok: false, code: 'DIRECTORY.THROTTLED' });
    expect((await w.stored(c.id)).validation).toBeUndefined();
  });

  it('lets only the requester re-check and close; the closed case keeps the lessons', async () => {
    const c = await validating();
    expect(await recheckCase(w.deps, { caseId: c.id, by: alex })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect(value(await recheckCase(w.deps, { caseId: c.id, by: megan })).validation).toBeDefined();
    expect(await closeCase(w.deps, { caseId: c.id, by: alex, lessons: 'x' })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    const closed = value(await closeCase(w.deps, { caseId: c.id, by: megan, lessons: '  Protect deletions with protected actions.  ' }));
    expect(closed).toMatchObject({ state: 'documented', lessons: 'Protect deletions with protected actions.', closedAt: '2026-11-18T12:30:00.000Z' });
    expect(await w.cases.checkJournal(c.id)).toEqual({ intact: true, entries: closed.journal.length });
  });
});
