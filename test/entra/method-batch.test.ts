import { ErrorCode } from '../../src/domain/errors';
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
    const ordered = deletionOrder(deletable, defaultMethodId(details?.userPreferredMethodForSecondaryAuthentication, deletable)).flatMap(
      (m) => deleteRequest(USERS.lee.id, m) ?? [],
    );
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

  describe('transient failures inside the $batch', () => {
    let deletes: string[];
    let clock: number;
    let waits: number[];
    const batchTiming = () => ({
      now: () => clock,
      sleep: (ms: number) => Promise.resolve(void (waits.push(ms), (clock += ms))),
      jitterMs: () => 0,
      random: () => 0.5,
    });
    beforeEach(async () => {
      await t.close();
      deletes = [];
      clock = 5_000_000;
      waits = [];
      t = await simulatedDirectory({ onGraphRequest: (r) => void (r.method === 'DELETE' && deletes.push(r.path)) }, undefined, batchTiming());
    });
    const orderedDeletes = async (userId: string) => {
      const { methods, details } = await t.directory.methodsAndDetails(userId);
      const deletable = methods.filter((m) => m.type !== 'password' && deleteRequest(userId, m));
      return deletionOrder(deletable, defaultMethodId(details?.userPreferredMethodForSecondaryAuthentication, deletable)).flatMap(
        (m) => deleteRequest(userId, m) ?? [],
      );
    };
    const left = async (userId: string) => (await t.directory.listMethods(userId)).filter((m) => m.type !== 'password');

    it('resends the delete answered 503 and the 424s after it, once each; the ones before it are not sent again', async () => {
      const ordered = await orderedDeletes(USERS.megan.id);
      expect(ordered.length).toBeGreaterThan(2);
      const middle = ordered[1]?.path ?? '';
      t.sim.faults.add({ method: 'DELETE', path: new RegExp(`${middle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), kind: 'error', status: 503, times: 1 });
      const result = await t.directory.deleteMethods(ordered, { withinMs: 60_000 });
      expect(result.deleted).toBe(ordered.length);
      expect(await left(USERS.megan.id)).toEqual([]);
      // Each reached the tenant once, the one answered 503 twice.
      expect(deletes.filter((p) => p === middle)).toHaveLength(2);
      expect(deletes).toHaveLength(ordered.length + 1);
      expect(waits).toEqual([375]);
    });

    it('resends a chain whose batch was lost as a whole: a delete that had run answers 404 and counts as done', async () => {
      const ordered = await orderedDeletes(USERS.lee.id);
      const second = ordered[1]?.path ?? '';
      // The connection resets at the second delete: the first one ran, the answer was lost.
      t.sim.faults.add({ method: 'DELETE', path: new RegExp(`${second.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), kind: 'reset', times: 1 });
      const result = await t.directory.deleteMethods(ordered, { withinMs: 60_000 });
      expect(await left(USERS.lee.id)).toEqual([]);
      expect(result.deleted).toBe(ordered.length - 1);
      expect(deletes.filter((p) => p === ordered[0]?.path)).toHaveLength(2);
    });

    it('gives up within the budget and reports the failure with its stable code', async () => {
      const ordered = await orderedDeletes(USERS.lee.id);
      t.sim.faults.add({ method: 'DELETE', path: /\/authentication\//, kind: 'error', status: 503 });
      const error = await directoryErrorOf(t.directory.deleteMethods(ordered, { withinMs: 3_000 }));
      expect(error).toMatchObject({ failure: 'unavailable', code: ErrorCode.DirectoryUnavailable });
      expect(clock).toBeLessThan(5_000_000 + 3_000);
      expect(waits.length).toBeGreaterThan(0);
    });
  });

  it('refuses requests that are not per-type deletes', async () => {
    await expect(t.directory.deleteMethods([{ method: 'DELETE', path: `/users/${USERS.lee.id}/authentication/methods/x`, version: 'v1.0' }])).rejects.toThrow(
      'per-type DELETE',
    );
  });
});
