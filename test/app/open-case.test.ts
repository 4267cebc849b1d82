import { openCase } from '../../src/app/open-case';
import { cancelCase } from '../../src/app/validate-case';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { CaseWorld, grady, megan, nestor, THREAD, value } from '../fakes/case-world';

describe('open-case (recover <user>)', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });
  const recover = (rawTarget: string, requester = megan, thread = THREAD) => openCase(w.openDeps, { rawTarget, requester, thread });

  it.each([
    ['', 'INPUT.MALFORMED'],
    ['adele@contoso.com lee@contoso.com', 'INPUT.MALFORMED'],
    ["x' or 1 eq 1", 'INPUT.MALFORMED'],
  ])('refuses %j with %s before asking the directory, and stores nothing', async (raw, code) => {
    expect(await recover(raw)).toMatchObject({ ok: false, code });
    expect(w.directory.calls).toEqual([]);
    expect(await w.cases.ids()).toEqual([]);
  });

  it('refuses a conversation from another tenant and a sender without an Entra identity', async () => {
    expect(await recover(USERS.adele.upn, megan, { ...THREAD, tenantId: 'another-tenant' })).toMatchObject({ ok: false, code: 'TENANT.FOREIGN' });
    expect(await openCase(w.openDeps, { rawTarget: USERS.adele.upn, requester: undefined, thread: THREAD })).toMatchObject({
      ok: false,
      code: 'REQUESTER.UNKNOWN',
    });
    expect(await w.cases.ids()).toEqual([]);
  });

  it('refuses a requester outside the helpdesk groups, and logs who tried', async () => {
    expect(await recover(USERS.adele.upn, grady)).toMatchObject({ ok: false, code: 'REQUESTER.NOT_ALLOWED' });
    expect(w.logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', fields: { requester: USERS.grady.id } }));
    expect(await w.cases.ids()).toEqual([]);
  });

  it('refuses an unknown user and an agent recovering their own account', async () => {
    expect(await recover('nobody@contoso.com')).toMatchObject({ ok: false, code: 'TARGET.NOT_FOUND' });
    expect(await recover(USERS.megan.upn)).toMatchObject({ ok: false, code: 'REQUESTER.IS_TARGET' });
    expect(await w.cases.ids()).toEqual([]);
  });

  it('stores an active user with the intake snapshot: methods, roles, time, and one journal line', async () => {
    const c = value(await recover(`<a href="mailto:${USERS.adele.upn}">${USERS.adele.upn}</a>`));
    expect(c).toMatchObject({
      id: 'RC-00000001',
      version: 1,
      state: 'opened',
      openedAt: '2026-11-18T12:00:00.000Z',
      requester: megan,
      target: { id: USERS.adele.id, userPrincipalName: USERS.adele.upn },
    });
    expect(c.intake.account.kind).toBe('active');
    expect(c.intake.methods?.map((m) => m.id)).toContain('fido-adele');
    expect(c.intake.roles).toEqual([]);
    expect(c.journal.map((j) => j.event)).toEqual(['Case opened']);
    expect((await w.stored(c.id)).journal[0]?.hash).toEqual(expect.any(String));
  });

  it('adds the roles of a group the target may join through PIM for Groups, each role once (as the target already holds it)', async () => {
    const held = (await w.directory.listRoles(USERS.lee.id))[0];
    if (!held) throw new Error('Lee holds a role in the case world');
    const viaGroup = { via: 'pimGroup', assignment: 'eligible', group: 'Tier 1 Admins' } as const;
    const other = { roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8', displayName: 'Helpdesk Administrator', ...viaGroup };
    w.directory.eligibleGroupsOf.set(USERS.lee.id, [{ id: 'tier1', displayName: 'Tier 1 Admins', access: 'member', roles: [{ ...held, ...viaGroup }, other] }]);
    const c = value(await recover(USERS.lee.upn));
    expect(c.intake.roles).toEqual([held, other]);
  });

  it('records the roles of a privileged target, found by object id', async () => {
    const c = value(await recover(USERS.lee.id.toUpperCase()));
    expect(c.intake.roles.map((r) => r.displayName)).toEqual(['Authentication Administrator']);
  });

  it('opens a soft-deleted user without listing its methods, and a user hard-deleted within the audit window', async () => {
    const diego = value(await recover(USERS.diego.upn));
    expect(diego.intake).toMatchObject({ account: { kind: 'softDeleted', deletedDateTime: '2026-11-18T09:30:00Z' } });
    expect(diego.intake.methods).toBeUndefined();
    const johanna = value(await recover(USERS.johanna.upn));
    expect(johanna.intake).toMatchObject({ account: { kind: 'hardDeleted', hardDeletedDateTime: '2026-11-11T10:00:00Z' }, roles: [] });
  });

  it('does not find a user hard-deleted before the audit window', async () => {
    const narrow = new CaseWorld({ auditWindowDays: 5 });
    expect(await openCase(narrow.openDeps, { rawTarget: USERS.johanna.upn, requester: megan, thread: THREAD })).toMatchObject({
      ok: false,
      code: 'TARGET.NOT_FOUND',
      message: expect.stringContaining('last 5 days'),
    });
  });

  it('keeps one open case per user: a second request names the first; after it is cancelled a new one opens', async () => {
    const first = value(await recover(USERS.adele.upn));
    const second = await recover(USERS.adele.upn, nestor);
    expect(second).toMatchObject({ ok: false, code: 'CASE.ALREADY_OPEN', message: expect.stringContaining(first.id) });
    expect(await w.cases.ids()).toEqual([first.id]);
    value(await cancelCase(w.deps, { caseId: first.id, by: megan, reason: 'Opened by mistake' }));
    expect(value(await recover(USERS.adele.upn, nestor)).id).toBe('RC-00000002');
  });

  it('turns a directory failure into its code with the request id, and stores nothing', async () => {
    w.directory.failNext('findAccount', new DirectoryError('throttled', 'Microsoft Graph is throttling requests.', 'req-throttled', 30));
    const refused = await recover(USERS.adele.upn);
    expect(refused).toMatchObject({ ok: false, code: 'DIRECTORY.THROTTLED', message: expect.stringContaining('req-throttled') });
    expect(!refused.ok && refused.message).toContain('Nothing was changed.');
    expect(await w.cases.ids()).toEqual([]);
  });
});
