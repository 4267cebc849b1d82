import { checkAccountRecovery } from '../../src/app/account-recovery';
import { ALL_USERS } from '../../src/domain/account-recovery';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { GROUPS, USERS } from '../helpers/demo-ids';
import { sampleCaseFor } from '../helpers/sample-cases';
import { demoSeedWith, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

/**
 * Issue 17: the Account Recovery reads on Microsoft Graph (GraphDirectory) against the simulated tenant over HTTP, and
 * checkAccountRecovery on top of them. Demo tenant: a Production recovery profile for all users except the helpdesk
 * group, and an Evaluation one for the approvers (src/simulator/seed/demo-tenant.json, `verifiedIdProfiles`).
 */
const PRODUCTION = '7e1f0c55-0001-4d2a-9b3c-0000000000a1';
const EVALUATION = '7e1f0c55-0002-4d2a-9b3c-0000000000a2';
const outcomes = (r: { checks: readonly { name: string; outcome: string }[] }): Record<string, string> =>
  Object.fromEntries(r.checks.map((k) => [k.name, k.outcome]));

describe('Account Recovery reads on the simulated tenant', () => {
  let t: SimulatedDirectory;
  afterEach(async () => t.close());

  describe('with the demo tenant', () => {
    beforeEach(async () => {
      t = await simulatedDirectory();
    });

    it('lists the Verified ID profiles with state, usages and Face Check', async () => {
      const profiles = await t.directory.verifiedIdProfiles();
      expect(profiles).toEqual([
        {
          id: PRODUCTION,
          name: 'Account recovery with government ID',
          state: 'enabled',
          usages: [{ purpose: 'recovery', isEnabledForTestOnly: false }],
          faceCheckEnabled: true,
          priority: 0,
        },
        expect.objectContaining({ id: EVALUATION, usages: [{ purpose: 'recovery', isEnabledForTestOnly: true }] }),
      ]);
    });

    it('reads who may use which profile from the Verified ID method policy, and the TAP policy\u2019s scope', async () => {
      expect(await t.directory.verifiedIdScope()).toEqual({
        enabled: true,
        include: [
          { targetType: 'group', id: ALL_USERS, profileIds: [PRODUCTION] },
          { targetType: 'group', id: GROUPS.approvers, profileIds: [EVALUATION] },
        ],
        exclude: [{ targetType: 'group', id: GROUPS.helpdesk }],
      });
      expect(await t.directory.tapScope()).toEqual({ enabled: true, include: [{ targetType: 'group', id: ALL_USERS }], exclude: [] });
    });

    it('reads the names and last sign-in of a user, and nothing for a user that does not exist', async () => {
      const lee = await t.directory.recoveryProfile(USERS.lee.id);
      expect(lee).toMatchObject({ givenName: 'Lee', surname: 'Gu', signIn: { readable: true, last: expect.stringMatching(/^2026-/) } });
      expect(await t.directory.recoveryProfile('00000000-0000-4000-8000-0000000000ff')).toBeUndefined();
    });

    it('finds Account Recovery open to an ordinary user, with only the licence left to confirm', async () => {
      const r = await checkAccountRecovery({ directory: t.directory }, sampleCaseFor(USERS.lee));
      expect(r.available).toBe(true);
      expect(r.profile).toEqual({ id: PRODUCTION, name: 'Account recovery with government ID' });
      expect(Object.entries(outcomes(r)).filter(([, o]) => o !== 'pass')).toEqual([['licence', 'unknown']]);
    });

    it('finds a helpdesk agent out of scope (the group is excluded)', async () => {
      const r = await checkAccountRecovery({ directory: t.directory }, sampleCaseFor(USERS.megan));
      expect(outcomes(r)).toMatchObject({ userInScope: 'fail' });
      expect(r.available).toBe(false);
    });
  });

  it('makes the profile checks unknown, naming the permission, when VerifiedId-Profile.Read.All is not granted', async () => {
    const granted = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'VerifiedId-Profile.Read.All');
    t = await simulatedDirectory({ seed: demoSeedWith((s) => void (s.callerApp.grantedPermissions = granted)) });
    const r = await checkAccountRecovery({ directory: t.directory }, sampleCaseFor(USERS.lee));
    expect(outcomes(r)).toMatchObject({ profileEnabled: 'unknown', faceCheckEnabled: 'unknown', userInScope: 'unknown', namesSet: 'pass' });
    expect(r.available).toBe(false);
    expect(r.checks[0]?.detail).toContain('VerifiedId-Profile.Read.All');
  });

  it('makes the sign-in check unknown without AuditLog.Read.All, and still reads the names', async () => {
    const granted = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'AuditLog.Read.All');
    t = await simulatedDirectory({ seed: demoSeedWith((s) => void (s.callerApp.grantedPermissions = granted)) });
    expect(await t.directory.recoveryProfile(USERS.lee.id)).toEqual({ givenName: 'Lee', surname: 'Gu', signIn: { readable: false } });
    const r = await checkAccountRecovery({ directory: t.directory }, sampleCaseFor(USERS.lee));
    expect(outcomes(r)).toMatchObject({ priorSignIns: 'unknown', namesSet: 'pass' });
    expect(r.available).toBe(true);
  });

  it('finds a tenant without profiles not set up', async () => {
    t = await simulatedDirectory({ seed: demoSeedWith((s) => void (s.verifiedIdProfiles = [])) });
    expect(await t.directory.verifiedIdScope()).toEqual({ enabled: false, include: [], exclude: [] });
    const r = await checkAccountRecovery({ directory: t.directory }, sampleCaseFor(USERS.lee));
    expect(outcomes(r)).toMatchObject({ profileEnabled: 'fail', userInScope: 'fail' });
    expect(r.available).toBe(false);
  });
});
