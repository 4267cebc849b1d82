import type { RecoveryCase } from '../../src/domain/case';
import { Verb } from '../../src/views/verbs';
import { loadDemoSeed } from '../../src/simulator';
import { BotHarness } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/**
 * Issue 15, defect 1: Patti is eligible (not active) for Privileged Authentication Administrator through PIM. Her case
 * showed "Directory roles: None", needed one approval, and an ordinary approver approved alone. A target is privileged
 * when it holds or is eligible for a directory role, belongs to the bot's own helpdesk or approver groups, or when
 * that cannot be read; the cards say why, and two privileged approvals are needed.
 */

describe('privileged targets: eligible roles, the bot\u2019s own groups, reads that fail', () => {
  let bot: BotHarness;
  afterEach(async () => {
    await bot.stop();
  });
  const current = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;

  it('counts a PIM-eligible role holder as privileged, says so on the intake card, and an ordinary approver cannot approve alone', async () => {
    // The demo's second privileged approver (Nestor) is the one who can decide Patti's case (she cannot decide her own).
    bot = await BotHarness.start();
    const methodsBefore = JSON.stringify(bot.simulator.tenant.methods.get(USERS.patti.id));
    const { c, text } = await bot.openCase(USERS.patti.upn);
    expect(c.intake.roles).toEqual([expect.objectContaining({ displayName: 'Privileged Authentication Administrator', assignment: 'eligible' })]);
    expect(text).toMatch(/Privileged Authentication Administrator \(eligible, PIM\)/);
    expect(text).toMatch(/Privileged target \(eligible for Privileged Authentication Administrator through PIM; a member of an approver group/);

    await bot.click(Verb.confirmScenario, { caseId: c.id, version: c.version, scenario: 'malicious' });
    let now = await current(c.id);
    await bot.click(Verb.requestApproval, { caseId: now.id, version: now.version });
    now = await current(c.id);
    expect(now.approval?.required).toBe(2);
    const alex = await bot.click(Verb.approve, { caseId: now.id, version: now.version }, { from: USERS.alex });
    expect(refusalOf(alex)).toBeDefined();
    expect(String(refusalOf(alex))).toMatch(/\(APPROVAL\.NOT_APPROVER\)$/);
    expect((await current(c.id)).approval?.decisions).toEqual([]);
    expect(JSON.stringify(bot.simulator.tenant.methods.get(USERS.patti.id))).toBe(methodsBefore);
  });

  it('counts a member of a role-assignable group that is eligible for a role as privileged (eligible through a group)', async () => {
    const seed = loadDemoSeed();
    const groupId = '3c0d9e51-1000-4b2a-8f00-00000000b001';
    (seed.groups ??= []).push({
      id: groupId,
      displayName: 'Tier 1 Admins',
      description: 'PIM-eligible for Helpdesk Administrator.',
      mailNickname: 'tier1admins',
      createdDateTime: { daysAgo: 20, time: '09:00:00' },
      isAssignableToRole: true,
      members: [USERS.lee.id],
    });
    (seed.roleEligibilitySchedules ??= []).push({
      id: 'pim-eligible-tier1-hda',
      principalId: groupId,
      roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
      createdDateTime: { daysAgo: 20, time: '09:00:00' },
    });
    bot = await BotHarness.start(seed);
    const { c, text } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.roles).toEqual([expect.objectContaining({ displayName: 'Helpdesk Administrator', assignment: 'eligible', via: 'group' })]);
    expect(text).toMatch(/Privileged target \(eligible for Helpdesk Administrator through PIM \(through a group\)\)/);
  });

  it('counts a member of the bot\u2019s approver group as privileged (a takeover of an approver is how one approval becomes two)', async () => {
    bot = await BotHarness.start();
    const { c, text } = await bot.openCase(USERS.alex.upn);
    expect(c.intake.privilegeNotes).toContain('a member of an approver group (its account decides recoveries)');
    expect(text).toMatch(/Privileged target \(.*a member of an approver group/);
  });

  it('an ordinary user stays ordinary: one approval, no privileged note', async () => {
    bot = await BotHarness.start();
    const { c, text } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.roles).toEqual([]);
    expect(c.intake.privilegeNotes).toBeUndefined();
    expect(text).not.toMatch(/Privileged target/);
  });

  it('counts the target as privileged when its roles cannot be read, and says why', async () => {
    bot = await BotHarness.start();
    bot.simulator.faults.add({ path: /roleEligibilitySchedules$/, kind: 'error', status: 403 });
    const { c, text } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.privilegeNotes).toEqual([
      expect.stringMatching(/^its directory roles could not be read \(DIRECTORY\.DENIED\), so it counts as privileged$/),
    ]);
    expect(text).toMatch(/Privileged target \(its directory roles could not be read/);
  });

  it('a tenant without Entra ID P2 has no PIM: a licence refusal of the eligibility read leaves the target ordinary', async () => {
    bot = await BotHarness.start();
    bot.simulator.faults.add({ path: /roleEligibilitySchedules$/, kind: 'error', status: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant' });
    const { c } = await bot.openCase(USERS.lee.upn);
    expect(c.intake.privilegeNotes).toBeUndefined();
    expect(c.intake.roles).toEqual([]);
  });
});
