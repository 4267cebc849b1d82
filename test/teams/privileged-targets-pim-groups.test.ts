import type { RecoveryCase } from '../../src/domain/case';
import type { TenantSeed } from '../../src/simulator';
import { loadDemoSeed } from '../../src/simulator';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { Verb } from '../../src/views/verbs';
import { BotHarness } from '../helpers/bot-harness';
import { GROUPS, USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/**
 * The two gaps issue 15's privileged targets left. PIM for Groups: a user eligible to join (or own) a group can activate
 * that at any time and then holds the group's roles, or sits in the bot's own approver groups. A soft-deleted user: its
 * memberships come back with a restore, and Graph reads them only under /users, where it no longer is; counted as an
 * ordinary user, one ordinary approval restored an approver's account.
 */

const TIER1 = '3c0d9e51-1000-4b2a-8f00-00000000b001';
const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const AT = { daysAgo: 20, time: '09:00:00' };

/** The demo seed with "Tier 1 Admins", a role-assignable group holding Helpdesk Administrator, that Lee is eligible to join or own. */
function seedWithTier1(access: 'member' | 'owner', role: 'active' | 'eligible'): TenantSeed {
  const seed = loadDemoSeed();
  (seed.groups ??= []).push({
    id: TIER1,
    displayName: 'Tier 1 Admins',
    description: 'Holds Helpdesk Administrator.',
    mailNickname: 'tier1admins',
    createdDateTime: AT,
    isAssignableToRole: true,
    members: [],
  });
  if (role === 'active') (seed.roleAssignments ??= []).push({ id: 'tier1-hda', principalId: TIER1, roleDefinitionId: HELPDESK_ADMIN });
  else (seed.roleEligibilitySchedules ??= []).push({ id: 'pim-eligible-tier1-hda', principalId: TIER1, roleDefinitionId: HELPDESK_ADMIN, createdDateTime: AT });
  (seed.groupEligibilitySchedules ??= []).push({ id: 'pim-group-lee-tier1', principalId: USERS.lee.id, groupId: TIER1, accessId: access, createdDateTime: AT });
  return seed;
}

describe('privileged targets: PIM for Groups and soft-deleted accounts', () => {
  let bot: BotHarness;
  afterEach(async () => {
    await bot.stop();
  });
  const current = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;
  /** The agent confirms a malicious scenario and asks for approval. */
  const askApproval = async (c: RecoveryCase): Promise<RecoveryCase> => {
    await bot.click(Verb.confirmScenario, { caseId: c.id, version: (await current(c.id)).version, scenario: 'malicious' });
    await bot.click(Verb.requestApproval, { caseId: c.id, version: (await current(c.id)).version });
    return current(c.id);
  };

  it('a user eligible to join a role-assignable group holds its active role "through PIM for Groups", and an ordinary approver cannot approve alone', async () => {
    bot = await BotHarness.start(seedWithTier1('member', 'active'));
    const { c, text } = await bot.openCase(USERS.lee.upn);
    const awaiting = await askApproval(c);
    expect(awaiting.intake.roles).toEqual([
      { roleDefinitionId: HELPDESK_ADMIN, displayName: 'Helpdesk Administrator', via: 'pimGroup', assignment: 'eligible', group: 'Tier 1 Admins' },
    ]);
    expect(text).toMatch(/Privileged target \(eligible for Helpdesk Administrator through PIM for Groups \(Tier 1 Admins\)\)/);
    expect(text).toMatch(/Helpdesk Administrator \(eligible, PIM for Groups: Tier 1 Admins\)/);
    expect(awaiting.approval?.required).toBe(2);
    const alex = await bot.click(Verb.approve, { caseId: awaiting.id, version: awaiting.version }, { from: USERS.alex });
    expect(refusalOf(alex)).toBeDefined();
    expect(String(refusalOf(alex))).toMatch(/\(APPROVAL\.NOT_APPROVER\)$/);
    expect((await current(awaiting.id)).approval?.decisions).toEqual([]);
  });

  it('an eligible owner of a group that is itself only eligible for a role counts too (an owner can add itself)', async () => {
    bot = await BotHarness.start(seedWithTier1('owner', 'eligible'));
    const { c } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.roles).toEqual([expect.objectContaining({ displayName: 'Helpdesk Administrator', via: 'pimGroup', group: 'Tier 1 Admins' })]);
  });

  it('eligible membership of the bot\u2019s privileged approver group makes an approver-in-waiting privileged', async () => {
    const seed = loadDemoSeed();
    (seed.groupEligibilitySchedules ??= []).push({
      id: 'pim-group-lee-papprovers',
      principalId: USERS.lee.id,
      groupId: GROUPS.privilegedApprovers,
      accessId: 'member',
      createdDateTime: AT,
    });
    bot = await BotHarness.start(seed);
    const { c, text } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.roles).toEqual([]);
    expect(c.intake.privilegeNotes).toEqual([
      'eligible to become a member of an approver group (its account decides recoveries) through PIM for Groups (Privileged Recovery Approvers)',
    ]);
    expect(text).toMatch(/Privileged target \(eligible to become a member of an approver group/);
  });

  it('the demo\u2019s Grady is eligible to join Recovery Approvers: the card says so besides his helpdesk membership', async () => {
    bot = await BotHarness.start();
    const { c } = await bot.openCase(USERS.grady.upn);
    expect(c.intake.privilegeNotes).toContain(
      'eligible to become a member of an approver group (its account decides recoveries) through PIM for Groups (Recovery Approvers)',
    );
  });

  it.each(['Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'AadPremiumLicenseRequired'])(
    'a tenant without Entra ID P2 has no PIM for Groups: a licence refusal (%s) leaves an eligible user ordinary',
    async (code) => {
      bot = await BotHarness.start(seedWithTier1('member', 'active'));
      bot.simulator.faults.add({ path: /eligibilityScheduleInstances$/, kind: 'error', status: 403, code });
      const { c } = await bot.openCase(USERS.lee.upn);
      expect(c.intake.roles).toEqual([]);
      expect(c.intake.privilegeNotes).toBeUndefined();
    },
  );

  it('any other failure of the PIM for Groups read makes the target privileged, and the card says why', async () => {
    bot = await BotHarness.start();
    bot.simulator.faults.add({ path: /eligibilityScheduleInstances$/, kind: 'error', status: 403 });
    const { c, text } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.privilegeNotes).toEqual([
      'its eligible group memberships (PIM for Groups) could not be read (DIRECTORY.DENIED), so it counts as privileged',
    ]);
    expect(text).toMatch(/Privileged target \(its eligible group memberships \(PIM for Groups\) could not be read/);
  });

  it('without the permission, the simulated tenant refuses the read as PIM does, and the target counts as privileged', async () => {
    const grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'PrivilegedEligibilitySchedule.Read.AzureADGroup');
    bot = await BotHarness.start(undefined, undefined, { simulator: { grantedPermissions } });
    const { c } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.privilegeNotes).toEqual([
      'its eligible group memberships (PIM for Groups) could not be read (DIRECTORY.DENIED), so it counts as privileged',
    ]);
  });

  it('a soft-deleted target counts as privileged (its memberships can\u2019t be read until it is restored): two privileged approvals restore it', async () => {
    bot = await BotHarness.start();
    const { c, text } = await bot.openCase(USERS.diego.upn);
    const awaiting = await askApproval(c);
    expect(awaiting.intake.account.kind).toBe('softDeleted');
    expect(awaiting.intake.privilegeNotes).toEqual([
      'a deleted account\u2019s group memberships can\u2019t be read until it is restored, so it counts as privileged',
    ]);
    expect(text).toMatch(/Privileged target \(a deleted account\u2019s group memberships can\u2019t be read until it is restored/);
    expect(awaiting.approval?.required).toBe(2);
    expect(String(refusalOf(await bot.click(Verb.approve, { caseId: awaiting.id, version: awaiting.version }, { from: USERS.alex })))).toMatch(
      /\(APPROVAL\.NOT_APPROVER\)$/,
    );
    expect(bot.simulator.tenant.deletedUsers.has(USERS.diego.id)).toBe(true);
    await bot.click(Verb.approve, { caseId: awaiting.id, version: awaiting.version }, { from: USERS.patti });
    expect(bot.simulator.tenant.deletedUsers.has(USERS.diego.id)).toBe(true);
    await bot.click(Verb.approve, { caseId: awaiting.id, version: (await current(awaiting.id)).version }, { from: USERS.nestor });
    expect(bot.simulator.tenant.deletedUsers.has(USERS.diego.id)).toBe(false);
    expect(bot.simulator.tenant.users.has(USERS.diego.id)).toBe(true);
  });

  it('a deleted approver is not an ordinary user: one ordinary approval does not restore Alex\u2019s account', async () => {
    const seed = loadDemoSeed();
    const alex = seed.users?.find((u) => u.id === USERS.alex.id);
    if (!alex) throw new Error('no Alex in the demo seed');
    alex.deletedDateTime = { daysAgo: 1, time: '09:00:00' };
    bot = await BotHarness.start(seed);
    const awaiting = await bot.caseAwaitingApproval(USERS.alex.upn);
    expect(awaiting.intake.privilegeNotes).toContain(
      'a deleted account\u2019s group memberships can\u2019t be read until it is restored, so it counts as privileged',
    );
    expect(awaiting.approval?.required).toBe(2);
    await bot.click(Verb.approve, { caseId: awaiting.id, version: awaiting.version }, { from: USERS.patti });
    expect((await current(awaiting.id)).state).toBe('awaitingApproval');
    expect(bot.simulator.tenant.deletedUsers.has(USERS.alex.id)).toBe(true);
  });
});
