import type { RecoveryCase } from '../../src/domain/case';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';

/** `override <case id> <reason>` through the real Application: out of hours, approval waits for the requester's reason. */
describe('override (helpdesk-attack risks)', () => {
  let bot: BotHarness;
  // Wednesday 21:00 UTC: after the default 07-19 working hours.
  beforeEach(async () => {
    bot = await BotHarness.start(undefined, undefined, { startAt: new Date('2026-11-18T21:00:00.000Z') });
  });
  afterEach(async () => bot.stop());
  const current = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;

  it('refuses the approval request until the requester overrides with a reason; refuses anyone else and an empty reason', async () => {
    const { c, text } = await bot.openCase(USERS.adele.upn);
    expect(c.risks?.map((r) => r.code)).toEqual(['RISK.OUTSIDE_WORKING_HOURS']);
    expect(text).toContain('RISK.OUTSIDE_WORKING_HOURS (needs an override with a reason)');
    const triaged = await current(c.id);
    await bot.click(Verb.confirmScenario, { caseId: c.id, version: triaged.version, scenario: triaged.triage?.recommendation });
    await bot.click(Verb.requestApproval, { caseId: c.id, version: (await current(c.id)).version });
    expect((await current(c.id)).state).toBe('planProposed');

    expect(repliesText(await bot.send(`override ${c.id} I am on call`, { from: USERS.nestor }))).toContain('CASE.NOT_REQUESTER');
    expect(repliesText(await bot.send(`override ${c.id}`))).toContain('INPUT.REASON_REQUIRED');
    expect(repliesText(await bot.send(`override ${c.id.toLowerCase()} On call: Adele is travelling and locked out`))).toContain(
      `Risks of case ${c.id} overridden and recorded`,
    );
    expect(repliesText(await bot.send(`override ${c.id} again`))).toContain('CASE.ALREADY_DECIDED');

    await bot.click(Verb.requestApproval, { caseId: c.id, version: (await current(c.id)).version });
    const requested = await current(c.id);
    expect(requested).toMatchObject({
      state: 'awaitingApproval',
      riskOverride: { by: { aadObjectId: USERS.megan.id }, reason: 'On call: Adele is travelling and locked out' },
    });
  });
});
