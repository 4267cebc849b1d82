import { deleteRequest, deletionOrder, MOBILE_PHONE_ID } from '../../src/domain/plan';
import { DirectoryError } from '../../src/ports/directory';
import { GROUPS, USERS } from '../helpers/demo-ids';
import { FixedClock } from './fixed-clock';
import { InMemoryDirectory } from './in-memory-directory';
import { ADELE_METHODS, seedSmallTenant } from './small-tenant';

// The fake must refuse what the port says Graph refuses; otherwise the use-case tests would pass against a kinder world.
describe('the in-memory directory keeps the Directory port contract', () => {
  const directory = (): InMemoryDirectory => seedSmallTenant(new InMemoryDirectory(new FixedClock()));
  const adele = USERS.adele.id;
  const request = (methodId: string) =>
    deleteRequest(
      adele,
      ADELE_METHODS.find((m) => m.id === methodId)!,
    )!;

  it('finds active, soft-deleted and (within the audit window only) hard-deleted users', async () => {
    const d = directory();
    expect((await d.findAccount({ kind: 'upn', upn: USERS.adele.upn }, new Date(0)))?.kind).toBe('active');
    expect((await d.findAccount({ kind: 'objectId', id: USERS.diego.id }, new Date(0)))?.kind).toBe('softDeleted');
    expect((await d.findAccount({ kind: 'upn', upn: USERS.johanna.upn }, new Date('2026-11-01T00:00:00Z')))?.kind).toBe('hardDeleted');
    expect(await d.findAccount({ kind: 'upn', upn: USERS.johanna.upn }, new Date('2026-11-12T00:00:00Z'))).toBeUndefined();
  });

  it('answers group membership transitively, through nested groups', async () => {
    const d = directory();
    expect(await d.memberOf(USERS.isaiah.id, [GROUPS.approvers, GROUPS.helpdesk])).toEqual([GROUPS.approvers]);
    expect((await d.groupMembers([GROUPS.approvers])).map((m) => m.id).sort()).toEqual([USERS.alex.id, USERS.isaiah.id, USERS.patti.id].sort());
  });

  it('refuses the default method while others remain, and the mobile phone before the alternate one', async () => {
    const d = directory();
    await expect(d.deleteMethod(request('auth-adele'))).rejects.toMatchObject({ failure: 'badRequest' });
    await expect(d.deleteMethod(request(MOBILE_PHONE_ID))).rejects.toMatchObject({ failure: 'badRequest' });
    expect(d.writes).toEqual([]);
  });

  it('deletes in the plan order, counts an already deleted method as done, and records each deletion once', async () => {
    const d = directory();
    const deletable = ADELE_METHODS.filter((m) => m.type !== 'password');
    const requests = deletionOrder(deletable, 'auth-adele').map((m) => deleteRequest(adele, m)!);
    expect(await d.deleteMethods(requests)).toMatchObject({ deleted: 4, alreadyDone: false });
    expect(await d.deleteMethods(requests)).toMatchObject({ deleted: 0, alreadyDone: true });
    expect(d.writesOf('deleteMethod').map((w) => w.methodId)).toEqual(deletionOrder(deletable, 'auth-adele').map((m) => m.id));
    expect(d.methodsOf(adele).map((m) => m.type)).toEqual(['password']);
  });

  it('lists and deletes no methods of a deleted user, and restores it once', async () => {
    const d = directory();
    await expect(d.listMethods(USERS.diego.id)).rejects.toBeInstanceOf(DirectoryError);
    expect(await d.restoreUser(USERS.diego.id)).toMatchObject({ alreadyDone: false });
    expect(await d.restoreUser(USERS.diego.id)).toMatchObject({ alreadyDone: true });
    await expect(d.restoreUser(USERS.johanna.id)).rejects.toMatchObject({ failure: 'notFound' });
    expect(d.writesOf('restoreUser')).toHaveLength(1);
  });

  it('issues a TAP only within the policy, and replaces an existing one', async () => {
    const d = directory();
    await expect(d.createTap(adele, { lifetimeInMinutes: 5, isUsableOnce: true })).rejects.toMatchObject({ code: 'DIRECTORY.TAP_POLICY' });
    await d.createTap(adele, { lifetimeInMinutes: 60, isUsableOnce: true });
    const second = await d.createTap(adele, { lifetimeInMinutes: 60, isUsableOnce: true });
    expect(d.methodsOf(adele).filter((m) => m.type === 'temporaryAccessPass')).toHaveLength(1);
    expect(second).toMatchObject({ pass: 'TAP-0002', expiresAt: '2026-11-18T13:00:00.000Z' });
  });
});
