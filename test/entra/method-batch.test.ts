import { defaultMethodId, deleteRequest, deletionOrder } from '../../src/domain/plan';
import { USERS } from '../helpers/demo-ids';
import { directoryErrorOf, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

describe('GraphDirectory: methods read and deleted through $batch', () => {
  let t: SimulatedDirectory;
  beforeEach(async () => {
    t = await simulatedDirectory();
  });
  afterEach(async () => {
    await t.close();
  });

  it('reads the methods and the registration report together, as the single reads do', async () => {
    const both = await t.directory.methodsAndDetails(USERS.lee.id);
    expect(both.methods).toEqual(await t.directory.listMethods(USERS.lee.id));
    expect(both.details).toEqual(await t.directory.registrationDetails(USERS.lee.id));
  });

  it('deletes every deletable method in an order Graph accepts, a 404 in the chain counting as done', async () => {
    const { methods, details } = await t.directory.methodsAndDetails(USERS.lee.id);
    const deletable = methods.filter((m) => m.type !== 'password' && deleteRequest(USERS.lee.id, m));
    expect(deletable.length).toBeGreaterThan(1);
    const ordered = deletionOrder(deletable, defaultMethodId(details?.userPreferredMethodForSecondaryAuthentication, deletable)).flatMap((m) => deleteRequest(USERS.lee.id, m) ?? []);
    const gone = { method: 'DELETE' as const, path: `/users/${USERS.lee.id}/authentication/fido2Methods/no-such-key`, version: 'v1.0' as const };
    const result = await t.directory.deleteMethods([gone, ...ordered]);
    expect(result.deleted).toBe(ordered.length);
    expect(result.requestIds.length).toBeGreaterThanOrEqual(ordered.length);
    expect((await t.directory.listMethods(USERS.lee.id)).filter((m) => m.type !== 'password')).toEqual([]);
    // Again: everything is already gone, nothing changes.
    expect(await t.directory.deleteMethods(ordered)).toMatchObject({ deleted: 0, alreadyDone: true });
  });

  it('stops at the default method when it is not last, with a badRequest the executor retries', async () => {
    const { methods, details } = await t.directory.methodsAndDetails(USERS.lee.id);
    const deletable = methods.filter((m) => m.type !== 'password' && deleteRequest(USERS.lee.id, m));
    const def = defaultMethodId(details?.userPreferredMethodForSecondaryAuthentication, deletable);
    expect(def).toBeDefined();
    const wrongOrder = [...deletable].sort((a, b) => (a.id === def ? -1 : b.id === def ? 1 : 0)).flatMap((m) => deleteRequest(USERS.lee.id, m) ?? []);
    expect((await directoryErrorOf(t.directory.deleteMethods(wrongOrder))).failure).toBe('badRequest');
  });

  it('refuses requests that are not per-type deletes', async () => {
    await expect(t.directory.deleteMethods([{ method: 'DELETE', path: `/users/${USERS.lee.id}/authentication/methods/x`, version: 'v1.0' }])).rejects.toThrow('per-type DELETE');
  });
});
