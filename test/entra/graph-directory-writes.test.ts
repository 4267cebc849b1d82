import { createHash } from 'node:crypto';
import { ALTERNATE_MOBILE_PHONE_ID, MOBILE_PHONE_ID, deleteRequest, type GraphRequest } from '../../src/domain/plan';
import type { AuthMethod } from '../../src/domain/target';
import { removeAllMethods } from '../../src/app/execute-case';
import { USERS } from '../helpers/demo-ids';
import { GUID, directoryErrorOf, everythingIn, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

/**
 * The Directory port's writes against the simulated tenant over real HTTP: what each one changes in the tenant, the
 * audit record Entra writes for it, the request ids it returns, what a repeat does, and that no failure carries a
 * secret.
 */

const STRONG_PASSWORD = 'Zq7!mR2#vLp9@xT4';
const WEAK_PASSWORD = 'hunter2hunter';
const ISAIAH_PROFILE = {
  displayName: USERS.isaiah.name,
  userPrincipalName: USERS.isaiah.upn,
  mailNickname: 'isaiah',
  jobTitle: 'Senior Sales Representative',
  department: 'Sales',
};

function request(userId: string, method: Pick<AuthMethod, 'id' | 'type'>): GraphRequest {
  const built = deleteRequest(userId, { ...method, detail: '' });
  if (!built) throw new Error(`no delete request for ${method.type}`);
  return built;
}

describe('GraphDirectory writes', () => {
  let t: SimulatedDirectory;
  beforeEach(async () => {
    t = await simulatedDirectory();
  });
  afterEach(async () => t.close());

  const audits = (): SimulatedDirectory['sim']['tenant']['audits'] => t.sim.tenant.audits;
  const methodIds = (userId: string): string[] => (t.sim.tenant.methods.get(userId) ?? []).map((m) => m.id);

  describe('restoreUser', () => {
    it('restores a soft-deleted user with its UPN and methods, records "Restore user", and is already done the second time', async () => {
      const before = audits().length;
      const first = await t.directory.restoreUser(USERS.diego.id);
      expect(first).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: false });
      expect(t.sim.tenant.deletedUsers.has(USERS.diego.id)).toBe(false);
      expect(t.sim.tenant.users.get(USERS.diego.id)?.userPrincipalName).toBe(USERS.diego.upn);
      expect(audits().slice(before)).toEqual([
        expect.objectContaining({
          activityDisplayName: 'Restore user',
          targetResources: [expect.objectContaining({ id: USERS.diego.id, userPrincipalName: USERS.diego.upn })],
        }),
      ]);
      expect(await t.directory.findAccount({ kind: 'upn', upn: USERS.diego.upn }, new Date(0))).toMatchObject({ kind: 'active' });
      expect((await t.directory.listMethods(USERS.diego.id)).map((m) => m.type)).toContain('microsoftAuthenticator');

      const second = await t.directory.restoreUser(USERS.diego.id);
      expect(second).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: true });
      expect(second.requestIds[0]).not.toBe(first.requestIds[0]);
      expect(audits().length).toBe(before + 1);
      expect(t.sim.tenant.users.has(USERS.diego.id)).toBe(true);
    });

    it('is notFound for a user that is neither deleted nor active (purged or unknown)', async () => {
      for (const id of [USERS.isaiah.id, '00000000-0000-4000-8000-000000000000']) {
        const error = await directoryErrorOf(t.directory.restoreUser(id));
        expect(error).toMatchObject({ failure: 'notFound', requestId: expect.stringMatching(GUID) });
        expect(error.message).toMatch(/Recreate/);
      }
    });
  });

  describe('createUser', () => {
    it('creates the user with a forced password change, records "Add user" without the password, and finds it the second time', async () => {
      const before = audits().length;
      const created = await t.directory.createUser(ISAIAH_PROFILE, STRONG_PASSWORD);
      expect(created).toEqual({ userId: expect.stringMatching(GUID), requestIds: [expect.stringMatching(GUID)], alreadyDone: false });
      expect(created.userId).not.toBe(USERS.isaiah.id);
      const stored = t.sim.tenant.users.get(created.userId);
      expect(stored).toMatchObject({
        userPrincipalName: USERS.isaiah.upn,
        displayName: USERS.isaiah.name,
        mailNickname: 'isaiah',
        jobTitle: 'Senior Sales Representative',
        department: 'Sales',
        accountEnabled: true,
      });
      expect(stored?.passwordReset).toMatchObject({ forceChangePasswordNextSignIn: true });
      const added = audits().slice(before);
      expect(added.map((a) => a.activityDisplayName)).toEqual(['Add user']);
      expect(JSON.stringify(added)).not.toContain(STRONG_PASSWORD);

      const users = t.sim.tenant.users.size;
      const again = await t.directory.createUser(ISAIAH_PROFILE, STRONG_PASSWORD);
      expect(again).toEqual({ userId: created.userId, requestIds: [expect.stringMatching(GUID)], alreadyDone: true });
      expect(t.sim.tenant.users.size).toBe(users);
      expect(audits().length).toBe(before + 1);
    });

    it('leaves out job title and department when the profile has none', async () => {
      const { userId } = await t.directory.createUser(
        { displayName: 'Temp Person', userPrincipalName: 'temp.person@contoso.com', mailNickname: 'temp.person' },
        STRONG_PASSWORD,
      );
      expect(t.sim.tenant.users.get(userId)).toMatchObject({ jobTitle: null, department: null });
    });

    it('refuses a UPN held by a different account instead of taking it over', async () => {
      const error = await directoryErrorOf(
        t.directory.createUser({ displayName: 'Adele Vance (new)', userPrincipalName: USERS.adele.upn, mailNickname: 'adele2' }, STRONG_PASSWORD),
      );
      expect(error).toMatchObject({ failure: 'badRequest', requestId: expect.stringMatching(GUID) });
      expect(error.message).toMatch(/Another account already uses this user principal name/);
      expect(everythingIn(error)).not.toContain(STRONG_PASSWORD);
    });

    it('refuses a weak initial password with a fixed message that never contains it', async () => {
      const error = await directoryErrorOf(t.directory.createUser(ISAIAH_PROFILE, WEAK_PASSWORD));
      expect(error).toMatchObject({ failure: 'badRequest', requestId: expect.stringMatching(GUID) });
      expect(error.message).toMatch(/password rules/);
      expect(everythingIn(error)).not.toContain(WEAK_PASSWORD);
      expect([...t.sim.tenant.users.values()].some((u) => u.userPrincipalName === USERS.isaiah.upn)).toBe(false);
    });

    it('refuses a UPN outside the verified domains', async () => {
      const error = await directoryErrorOf(t.directory.createUser({ ...ISAIAH_PROFILE, userPrincipalName: 'isaiah@fabrikam.com' }, STRONG_PASSWORD));
      expect(error.failure).toBe('badRequest');
      expect(everythingIn(error)).not.toContain(STRONG_PASSWORD);
    });
  });

  describe('deleteMethod', () => {
    it('deletes through the per-type URL, records "Admin deleted security info", and a repeat (404) is already done', async () => {
      const fido = request(USERS.adele.id, { id: 'YWRlbGUtZmlkbzItWXViaUtleTVORkM', type: 'fido2' });
      const before = audits().length;
      const first = await t.directory.deleteMethod(fido);
      expect(first).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: false });
      expect(methodIds(USERS.adele.id)).not.toContain('YWRlbGUtZmlkbzItWXViaUtleTVORkM');
      expect(audits().slice(before)).toEqual([
        expect.objectContaining({
          activityDisplayName: 'Admin deleted security info',
          additionalDetails: expect.arrayContaining([{ key: 'MethodId', value: 'YWRlbGUtZmlkbzItWXViaUtleTVORkM' }]),
        }),
      ]);
      const remaining = methodIds(USERS.adele.id);
      const second = await t.directory.deleteMethod(fido);
      expect(second).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: true });
      expect(methodIds(USERS.adele.id)).toEqual(remaining);
      expect(audits().length).toBe(before + 1);
    });

    it('deletes the beta-only and reference-style types (hardware OATH, QR code PIN, external)', async () => {
      await t.directory.deleteMethod(request(USERS.nestor.id, { id: '4a7d0a7b-0008-4e1f-9a2b-000000000008', type: 'hardwareOath' }));
      expect(methodIds(USERS.nestor.id)).not.toContain('4a7d0a7b-0008-4e1f-9a2b-000000000008');
      const qr = request(USERS.alex.id, { id: '9c0de000-0002-4b1a-8c3d-000000000002', type: 'qrCodePin' });
      expect(qr.version).toBe('beta');
      expect(await t.directory.deleteMethod(qr)).toMatchObject({ alreadyDone: false });
      expect(await t.directory.deleteMethod(qr)).toMatchObject({ alreadyDone: true });
      const external = request(USERS.alex.id, { id: 'e0a0b0c0-0002-4f3e-8d2c-000000000002', type: 'externalAuthentication' });
      expect(external.path.endsWith('/$ref')).toBe(true);
      expect(await t.directory.deleteMethod(external)).toMatchObject({ alreadyDone: false });
      expect(methodIds(USERS.alex.id)).not.toContain('e0a0b0c0-0002-4f3e-8d2c-000000000002');
    });

    it('surfaces Graph ordering rules as badRequest: the default method last, alternateMobile before mobile', async () => {
      // Lee's default is sms (his mobile phone) and he still has an email method.
      const leeDefault = await directoryErrorOf(t.directory.deleteMethod(request(USERS.lee.id, { id: MOBILE_PHONE_ID, type: 'phone' })));
      expect(leeDefault).toMatchObject({ failure: 'badRequest', requestId: expect.stringMatching(GUID) });
      expect(methodIds(USERS.lee.id)).toContain(MOBILE_PHONE_ID);
      const johannaMobile = await directoryErrorOf(t.directory.deleteMethod(request(USERS.johanna.id, { id: MOBILE_PHONE_ID, type: 'phone' })));
      expect(johannaMobile.failure).toBe('badRequest');
      await t.directory.deleteMethod(request(USERS.johanna.id, { id: ALTERNATE_MOBILE_PHONE_ID, type: 'phone' }));
      expect(await t.directory.deleteMethod(request(USERS.johanna.id, { id: MOBILE_PHONE_ID, type: 'phone' }))).toMatchObject({ alreadyDone: false });
    });

    it('is notFound, not done, when the user is soft-deleted or unknown (a restore would bring the method back)', async () => {
      const diego = await directoryErrorOf(
        t.directory.deleteMethod(request(USERS.diego.id, { id: 'a7c0de11-0006-4a1b-9c2d-000000000006', type: 'microsoftAuthenticator' })),
      );
      expect(diego).toMatchObject({ failure: 'notFound', requestId: expect.stringMatching(GUID) });
      expect(diego.message).toMatch(/Restore the user first/);
      expect(methodIds(USERS.diego.id)).toContain('a7c0de11-0006-4a1b-9c2d-000000000006');
      const unknown = await directoryErrorOf(t.directory.deleteMethod(request('00000000-0000-4000-8000-000000000000', { id: MOBILE_PHONE_ID, type: 'phone' })));
      expect(unknown.failure).toBe('notFound');
    });

    it('refuses the generic methods/{id} URL before sending (Graph answers it with a 404 that would read as success)', async () => {
      const before = audits().length;
      await expect(
        t.directory.deleteMethod({
          method: 'DELETE',
          path: `/users/${USERS.adele.id}/authentication/methods/YWRlbGUtZmlkbzItWXViaUtleTVORkM`,
          version: 'v1.0',
        }),
      ).rejects.toThrow(/per-type/);
      await expect(t.directory.deleteMethod({ method: 'POST', path: `/users/${USERS.adele.id}/revokeSignInSessions`, version: 'v1.0' })).rejects.toThrow(
        /per-type/,
      );
      expect(methodIds(USERS.adele.id)).toContain('YWRlbGUtZmlkbzItWXViaUtleTVORkM');
      expect(audits().length).toBe(before);
    });
  });

  describe('remove every method (malicious playbook) with a beta-only method present', () => {
    const HARDWARE_TOKEN = '4a7d0a7b-0008-4e1f-9a2b-000000000008';

    it('lists the hardware OATH token that v1.0 /methods does not return, through beta hardwareOathMethods', async () => {
      const listed = await t.directory.listMethods(USERS.nestor.id);
      expect(listed).toContainEqual(expect.objectContaining({ id: HARDWARE_TOKEN, type: 'hardwareOath' }));
      const both = await t.directory.methodsAndDetails(USERS.nestor.id);
      expect(both.methods).toContainEqual(expect.objectContaining({ id: HARDWARE_TOKEN, type: 'hardwareOath' }));
    });

    it('removes it and the re-check sees it gone: only the password is left', async () => {
      const outcome = await removeAllMethods({ directory: t.directory }, USERS.nestor.id);
      expect(outcome.detail).toContain('hardwareOath');
      expect((t.sim.tenant.methods.get(USERS.nestor.id) ?? []).map((m) => m.type)).toEqual(['password']);
    });
  });

  describe('revokeSessions', () => {
    it('moves the refresh-token cut-off and records it; repeating revokes again, harmlessly', async () => {
      const before = audits().length;
      const cutOff = t.sim.tenant.users.get(USERS.lee.id)?.signInSessionsValidFromDateTime ?? '';
      const first = await t.directory.revokeSessions(USERS.lee.id);
      expect(first).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: false });
      const after = t.sim.tenant.users.get(USERS.lee.id)?.signInSessionsValidFromDateTime ?? '';
      expect(after > cutOff).toBe(true);
      expect(
        audits()
          .slice(before)
          .map((a) => a.activityDisplayName),
      ).toEqual(['Update StsRefreshTokenValidFrom Timestamp']);
      const second = await t.directory.revokeSessions(USERS.lee.id);
      expect(second.alreadyDone).toBe(false);
      expect((t.sim.tenant.users.get(USERS.lee.id)?.signInSessionsValidFromDateTime ?? '') >= after).toBe(true);
    });

    it('turns a Graph 403 into DirectoryError denied with the request id', async () => {
      t.sim.faults.add({ method: 'POST', path: /\/revokeSignInSessions$/, kind: 'error', status: 403, code: 'Authorization_RequestDenied', times: 1 });
      const error = await directoryErrorOf(t.directory.revokeSessions(USERS.lee.id));
      expect(error).toMatchObject({ failure: 'denied', requestId: expect.stringMatching(GUID) });
      expect(error.message).toContain('revoke sessions: HTTP 403 Authorization_RequestDenied');
    });

    it('is notFound for an unknown user', async () => {
      expect(await directoryErrorOf(t.directory.revokeSessions('00000000-0000-4000-8000-000000000000'))).toMatchObject({ failure: 'notFound' });
    });
  });

  describe('setPassword', () => {
    it('resets the password with the flags, records the reset, and leaves the same state when repeated', async () => {
      const before = audits().length;
      const first = await t.directory.setPassword(USERS.lee.id, STRONG_PASSWORD, true);
      expect(first).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: false });
      expect(t.sim.tenant.users.get(USERS.lee.id)?.passwordReset).toMatchObject({
        forceChangePasswordNextSignIn: true,
        forceChangePasswordNextSignInWithMfa: false,
      });
      const written = audits().slice(before);
      expect(written.map((a) => a.activityDisplayName)).toEqual(['Reset password', 'Set force change user password']);
      expect(JSON.stringify(written)).not.toContain(STRONG_PASSWORD);
      await t.directory.setPassword(USERS.lee.id, STRONG_PASSWORD, true);
      expect(t.sim.tenant.users.get(USERS.lee.id)?.passwordReset).toMatchObject({
        forceChangePasswordNextSignIn: true,
        forceChangePasswordNextSignInWithMfa: false,
      });

      await t.directory.setPassword(USERS.lee.id, STRONG_PASSWORD, false);
      expect(t.sim.tenant.users.get(USERS.lee.id)?.passwordReset).toMatchObject({ forceChangePasswordNextSignIn: false });
    });

    it('never puts the password in an error: complexity refusal, denial, outage', async () => {
      const weak = await directoryErrorOf(t.directory.setPassword(USERS.lee.id, WEAK_PASSWORD, true));
      expect(weak).toMatchObject({ failure: 'badRequest', requestId: expect.stringMatching(GUID) });
      expect(weak.message).toBe(
        'Microsoft Graph refused the password: it does not meet the tenant\u2019s password rules. Generate another one and try again. (set password: HTTP 400 Request_BadRequest)',
      );
      expect(t.sim.tenant.users.get(USERS.lee.id)?.passwordReset).toBeNull();

      t.sim.faults.add({ method: 'PATCH', path: /\/users\//, kind: 'error', status: 403, times: 1 });
      const denied = await directoryErrorOf(t.directory.setPassword(USERS.lee.id, STRONG_PASSWORD, true));
      expect(denied.failure).toBe('denied');
      // Three answers: the first and the client's two repeats of the same body.
      t.sim.faults.add({ method: 'PATCH', path: /\/users\//, kind: 'error', status: 503, times: 3 });
      const down = await directoryErrorOf(t.directory.setPassword(USERS.lee.id, STRONG_PASSWORD, true));
      expect(down.failure).toBe('unavailable');
      for (const error of [weak, denied, down]) {
        expect(everythingIn(error)).not.toContain(WEAK_PASSWORD);
        expect(everythingIn(error)).not.toContain(STRONG_PASSWORD);
      }
    });
  });

  describe('setPassword after a lost answer', () => {
    it('sends the identical body again after a 503 or a reset: one reset in the tenant, the password the caller holds', async () => {
      for (const fault of [{ kind: 'error' as const, status: 503 }, { kind: 'reset' as const }]) {
        const before = audits().length;
        t.sim.faults.add({ method: 'PATCH', path: /\/users\//, ...fault, times: 1 });
        const result = await t.directory.setPassword(USERS.lee.id, STRONG_PASSWORD, true);
        expect(result).toEqual({ requestIds: [expect.stringMatching(GUID)], alreadyDone: false });
        expect(t.sim.faults.list()).toEqual([]);
        expect(
          audits()
            .slice(before)
            .map((a) => a.activityDisplayName),
        ).toEqual(['Reset password', 'Set force change user password']);
      }
    });
  });

  describe('createTap', () => {
    it('returns the pass once with its expiry, stores only a hash, and records "Admin registered security info"', async () => {
      const before = audits().length;
      const tap = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true });
      expect(tap).toEqual({
        pass: expect.any(String),
        expiresAt: expect.any(String),
        lifetimeInMinutes: 60,
        methodId: expect.stringMatching(GUID),
        unseenDeleted: 0,
        requestIds: [expect.stringMatching(GUID)],
        alreadyDone: false,
      });
      expect(tap.pass).toHaveLength(8);
      const stored = t.sim.tenant.methods.get(USERS.adele.id)?.find((m) => m.type === 'temporaryAccessPass');
      expect(stored).toMatchObject({ lifetimeInMinutes: 60, isUsableOnce: true, passHash: createHash('sha256').update(tap.pass).digest('hex') });
      expect(stored?.type === 'temporaryAccessPass' && Date.parse(tap.expiresAt) - Date.parse(stored.startDateTime)).toBe(60 * 60_000);
      const written = audits().slice(before);
      expect(written).toEqual([
        expect.objectContaining({
          activityDisplayName: 'Admin registered security info',
          resultReason: 'Admin registered temporary access pass method for user',
        }),
      ]);
      expect(JSON.stringify(written)).not.toContain(tap.pass);
      expect(JSON.stringify(await t.directory.listMethods(USERS.adele.id))).not.toContain(tap.pass);
    });

    it('refuses a lifetime outside the tenant policy as badRequest, with advice', async () => {
      const error = await directoryErrorOf(t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 10, isUsableOnce: true }));
      expect(error).toMatchObject({ failure: 'badRequest', code: 'DIRECTORY.TAP_POLICY', requestId: expect.stringMatching(GUID) });
      expect(error.message).toMatch(/lifetime is outside its range/);
      expect(methodIds(USERS.adele.id).length).toBe(3);
    });

    const passHash = (pass: string): string => createHash('sha256').update(pass).digest('hex');
    const tapsOf = (userId: string) => (t.sim.tenant.methods.get(userId) ?? []).filter((m) => m.type === 'temporaryAccessPass');

    it('after a 503 (Graph did not make it) reads the methods, creates again, and reads back: one pass, the one returned', async () => {
      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'error', status: 503, times: 2 });
      const before = audits().length;
      const tap = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true });
      expect(t.sim.faults.list()).toEqual([]);
      expect(tapsOf(USERS.adele.id)).toEqual([expect.objectContaining({ id: tap.methodId, passHash: passHash(tap.pass) })]);
      expect(tap.unseenDeleted).toBe(0);
      expect(
        audits()
          .slice(before)
          .map((a) => a.activityDisplayName),
      ).toEqual(['Admin registered security info']);
    });

    it('gives up after three creates, with a message that says to check before issuing another', async () => {
      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'error', status: 503, times: 4 });
      const error = await directoryErrorOf(t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true }));
      expect(error).toMatchObject({ failure: 'unavailable', requestId: expect.stringMatching(GUID) });
      expect(error.message).toMatch(/may have been created anyway/);
      expect(t.sim.faults.list()).toEqual([expect.objectContaining({ remaining: 1 })]);
      expect(tapsOf(USERS.adele.id)).toEqual([]);
    });

    it('never sends a create again after an answer that says nothing about the pass (400, 403, 500)', async () => {
      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'error', status: 500, times: 2 });
      const error = await directoryErrorOf(t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true }));
      expect(error.failure).toBe('unavailable');
      expect(t.sim.faults.list()).toEqual([expect.objectContaining({ remaining: 1 })]);
    });

    it("waits out a 429 Retry-After within the landing window, then creates again; a longer one is the caller's", async () => {
      const slept: number[] = [];
      await t.close();
      t = await simulatedDirectory({}, undefined, undefined, {
        timing: {
          landingWindowMs: 1_500,
          pollMs: 50,
          now: () => 0,
          sleep: (ms) => {
            slept.push(ms);
            return Promise.resolve();
          },
        },
      });
      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'throttle', retryAfterSeconds: 1, times: 1 });
      const tap = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true });
      expect(slept).toEqual([1_000]);
      expect(tapsOf(USERS.adele.id)).toEqual([expect.objectContaining({ passHash: passHash(tap.pass) })]);

      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'throttle', retryAfterSeconds: 2, times: 2 });
      const error = await directoryErrorOf(t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true }));
      expect(error).toMatchObject({ failure: 'throttled', retryAfterSeconds: 2 });
      expect(t.sim.faults.list()).toEqual([expect.objectContaining({ remaining: 1 })]);
    });

    it('after a timeout waits for the late create to land, deletes that unseen pass, and returns the only pass the user holds', async () => {
      await t.close();
      // The client gives up after 300 ms; the simulator still makes the pass at 700 ms. Elapsed real time (a monotonic
      // clock, not the date), generous margins.
      t = await simulatedDirectory({}, undefined, undefined, {
        attemptTimeoutMs: 300,
        timing: { landingWindowMs: 3_000, pollMs: 50, now: () => performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      });
      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'latency', ms: 700, times: 1 });
      const before = audits().length;
      const tap = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true });
      expect(tap.unseenDeleted).toBe(1);
      expect(tapsOf(USERS.adele.id)).toEqual([expect.objectContaining({ id: tap.methodId, passHash: passHash(tap.pass) })]);
      expect(
        audits()
          .slice(before)
          .map((a) => a.activityDisplayName),
      ).toEqual(['Admin registered security info', 'Admin deleted security info', 'Admin registered security info']);
    });

    it('replaces the pass when called again (why a create is never simply repeated)', async () => {
      const first = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true });
      const second = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 120, isUsableOnce: false });
      const taps = (t.sim.tenant.methods.get(USERS.adele.id) ?? []).filter((m) => m.type === 'temporaryAccessPass');
      expect(taps).toHaveLength(1);
      expect(taps[0]).toMatchObject({ lifetimeInMinutes: 120, passHash: createHash('sha256').update(second.pass).digest('hex') });
      expect(second.pass).not.toBe(first.pass);
    });

    it('never puts a pass in an error', async () => {
      const issued = await t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true });
      t.sim.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'error', status: 500, times: 1 });
      const error = await directoryErrorOf(t.directory.createTap(USERS.adele.id, { lifetimeInMinutes: 60, isUsableOnce: true }));
      expect(error.failure).toBe('unavailable');
      expect(everythingIn(error)).not.toContain(issued.pass);
      expect(
        await directoryErrorOf(t.directory.createTap('00000000-0000-4000-8000-000000000000', { lifetimeInMinutes: 60, isUsableOnce: true })),
      ).toMatchObject({ failure: 'notFound' });
    });
  });
});
