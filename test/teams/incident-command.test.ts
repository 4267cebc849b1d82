import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { incidentSeed, incidentUserId, SYNC_ACCOUNT } from '../helpers/incident-tenant';
import { TEST_NOW } from '../helpers/test-clock';

describe('incident command in Teams', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start(incidentSeed({ deleted: 45, startedAt: new Date(TEST_NOW.getTime() - 3_600_000), purged: 1, updates: 2 }));
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('plans, needs two approvers, restores every user once and posts the results in the thread', async () => {
    const plan = repliesText(await bot.send(`incident ${SYNC_ACCOUNT.upn} last 6h`, { from: USERS.megan }));
    const id = /Incident (IN-\d{8})/.exec(plan)?.[1] ?? '';
    expect(id).toBe('IN-00000001');
    expect(plan).toContain('Restorable (in deleted items)');
    expect(plan).toContain('Not reversed, for a person to review: 2× Update user');
    expect(plan).toContain('…and 35 more.');
    expect(repliesText(await bot.send(`incident start ${id}`, { from: USERS.megan }))).toContain('CASE.WRONG_STATE');
    expect(repliesText(await bot.send(`incident approve ${id}`, { from: USERS.megan }))).toContain('APPROVAL.NOT_APPROVER');
    // Refused typed commands are journaled on the incident, as refused clicks on its card are.
    expect((await bot.deps().incidents?.get(id))?.journal.slice(1).map((j) => ({ text: j.text, code: j.code, by: j.by?.name }))).toEqual([
      { text: 'Refused: incident start', code: 'CASE.WRONG_STATE', by: USERS.megan.name },
      { text: 'Refused: incident approve', code: 'APPROVAL.NOT_APPROVER', by: USERS.megan.name },
    ]);
    expect(repliesText(await bot.send(`incident approve ${id}`, { from: USERS.alex }))).toContain('(1 of 2)');
    expect(repliesText(await bot.send(`incident approve ${id}`, { from: USERS.patti }))).toContain(`incident start ${id}`);
    expect(repliesText(await bot.send(`incident start ${id}`, { from: USERS.megan }))).toContain('run 1 started');
    const cards = JSON.stringify(bot.poster.writes);
    expect(cards).toContain('Run finished');
    const audits = bot.simulator.tenant.audits.filter((a) => a.activityDisplayName === 'Restore user');
    expect(audits).toHaveLength(44);
    expect(new Set(audits.map((a) => a.targetResources[0]?.id)).size).toBe(44);
    expect(bot.simulator.tenant.users.has(incidentUserId(44))).toBe(true);
    const exported = repliesText(await bot.send(`incident export ${id}`, { from: USERS.alex }));
    expect(exported).toContain('objectId,displayName,userPrincipalName');
    expect(exported.match(/,restored,/g)).toHaveLength(44);
  });

  it('answers bad input with a clear message and stores nothing', async () => {
    expect(repliesText(await bot.send('incident', { from: USERS.megan }))).toContain('Usage: **incident** _actor_');
    expect(repliesText(await bot.send('incident status nope', { from: USERS.megan }))).toContain('not an incident id');
    expect(repliesText(await bot.send('incident approve IN-99999999', { from: USERS.alex }))).toContain('There is no incident IN-99999999');
    expect(repliesText(await bot.send(`incident ${SYNC_ACCOUNT.upn} last 6h`, { from: USERS.alex }))).toContain('REQUESTER.NOT_ALLOWED');
    expect(bot.simulator.tenant.audits.filter((a) => a.activityDisplayName === 'Restore user')).toHaveLength(0);
  });
});
