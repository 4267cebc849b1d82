import { confirmScenario } from '../../src/app/confirm-scenario';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { alex, CaseWorld, megan, value } from '../fakes/case-world';

describe('confirm-scenario', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });
  const confirm = (caseId: string, scenario: string, reason?: string, by = megan) =>
    confirmScenario(w.deps, { caseId, by, scenario, ...(reason ? { reason } : {}) });

  it('accepts only accidental or malicious, from the requester', async () => {
    const c = await w.triaged();
    expect(await confirm(c.id, 'both')).toMatchObject({ ok: false, code: 'INPUT.MALFORMED' });
    expect(await confirm(c.id, 'malicious', undefined, alex)).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect((await w.stored(c.id)).state).toBe('triaged');
  });

  it('needs a reason to override the recommendation, and records the override', async () => {
    const c = await w.triaged(); // recommendation: malicious (nothing changed)
    expect(await confirm(c.id, 'accidental')).toMatchObject({ ok: false, code: 'INPUT.REASON_REQUIRED' });
    const planned = value(await confirm(c.id, 'accidental', 'The manager confirmed the phone was replaced'));
    expect(planned.scenario).toMatchObject({ value: 'accidental', overridden: true, reason: 'The manager confirmed the phone was replaced' });
    expect(planned.plan?.map((s) => s.kind)).toEqual(['pointInTimeRestore', 'checkMethods', 'verifyIdentity', 'resetPassword', 'issueTap']);
  });

  it('plans the deletions from the methods as they are now, in the order Graph accepts (a dry run for approvers)', async () => {
    const c = await w.triaged();
    const planned = value(await confirm(c.id, 'malicious'));
    const remove = planned.plan?.[0];
    expect(remove?.kind).toBe('removeAllMethods');
    expect(remove?.kind === 'removeAllMethods' && remove.preview.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual([
      'phoneMethods/b6332ec1-7057-4abe-9331-3d72feddfe41',
      'fido2Methods/fido-adele',
      'phoneMethods/3179e48a-750b-4051-897c-87b9720928f7',
      'microsoftAuthenticatorMethods/auth-adele',
    ]);
    expect(w.directory.writes).toEqual([]);
  });

  it('prefills the recreation of a hard-deleted user from its last audit records', async () => {
    w.directory.addAudit({
      id: 'audit-update-johanna',
      at: '2026-11-05T10:00:00Z',
      activity: 'Update user',
      result: 'success',
      actor: { kind: 'unknown' },
      details: [],
      targetIds: [USERS.johanna.id],
      modifiedProperties: [
        { name: 'JobTitle', newValue: 'Controller' },
        { name: 'Department', newValue: 'Finance' },
      ],
    });
    const c = await w.triaged(USERS.johanna.upn);
    const planned = value(await confirm(c.id, 'malicious'));
    expect(planned.plan?.[0]).toMatchObject({
      kind: 'recreateUser',
      prefill: {
        userPrincipalName: USERS.johanna.upn,
        displayName: USERS.johanna.name,
        mailNickname: 'johanna',
        jobTitle: 'Controller',
        department: 'Finance',
      },
    });
  });

  it('keeps the case as it was when the directory cannot be read', async () => {
    const c = await w.triaged();
    w.directory.failNext('listMethods', new DirectoryError('denied', 'The app lacks UserAuthenticationMethod.Read.All.'));
    expect(await confirm(c.id, 'malicious')).toMatchObject({ ok: false, code: 'DIRECTORY.DENIED' });
    expect((await w.stored(c.id)).plan).toBeUndefined();
  });
});
