import { createHash } from 'node:crypto';
import type { RecoveryCase } from '../../src/domain/case';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText, revealedPass } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { accepted, refusalOf } from '../helpers/invoke-answers';

/**
 * Issue 15, defect 2: two Reveal clicks at once set the password twice and created two passes; the pass shown did not
 * work, the one left on the account was one nobody saw. A burst of Reveal clicks by the requester must make exactly one
 * secret, the one shown, and refuse every other click with a code.
 */

const BURST = 6;

describe('a burst of Reveal clicks makes exactly one secret', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const current = async (caseId: string): Promise<RecoveryCase> => (await bot.cases.get(caseId))!.value;
  const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
  const nextWaiting = (c: RecoveryCase) => c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');
  const auditsFor = (activity: string): number =>
    bot.simulator.tenant.audits.filter((a) => a.activityDisplayName === activity && a.targetResources.some((t) => t.id === USERS.lee.id)).length;

  it('sets one password and issues one pass, each shown once; the other clicks are refused with a code', async () => {
    const opened = repliesText(await bot.send(`recover ${USERS.lee.upn}`));
    let c = await current(/Recovery case (RC-[0-9A-Z]{8})/.exec(opened)?.[1] ?? '');
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'malicious' }));
    c = await current(c.id);
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    await bot.click(Verb.approve, data(c, { comment: 'Called Lee on his desk phone' }), { from: USERS.alex });
    c = await current(c.id);
    c = await bot.identityByFallback(c.id);
    expect(nextWaiting(c)?.kind).toBe('resetPassword');

    const resetsBefore = auditsFor('Reset password');
    const passwordClicks = await Promise.all(Array.from({ length: BURST }, () => bot.click(Verb.revealPassword, data(c, { stepId: nextWaiting(c)?.id }))));
    const shownPasswords = passwordClicks.filter((a) => accepted(a));
    const refusedPasswords = passwordClicks.filter((a) => !accepted(a)).map((a) => String(refusalOf(a)));
    expect(shownPasswords).toHaveLength(1);
    expect(refusedPasswords).toHaveLength(BURST - 1);
    for (const refusal of refusedPasswords) expect(refusal).toMatch(/\((STEP\.[A-Z_]+|CASE\.[A-Z_]+)\)|STEP\.|not available now/);
    expect(auditsFor('Reset password') - resetsBefore).toBe(1);

    c = await current(c.id);
    expect(nextWaiting(c)?.kind).toBe('issueTap');
    const tapClicks = await Promise.all(
      Array.from({ length: BURST }, () => bot.click(Verb.revealTap, data(c, { stepId: nextWaiting(c)?.id, tapLifetime: '60', tapOneTime: 'true' }))),
    );
    const shownTaps = tapClicks.filter((a) => accepted(a));
    expect(shownTaps).toHaveLength(1);
    expect(tapClicks.filter((a) => !accepted(a))).toHaveLength(BURST - 1);
    const pass = revealedPass(shownTaps[0]?.value);
    const held = (bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).filter((m) => m.type === 'temporaryAccessPass');
    expect(held).toHaveLength(1);
    expect(held[0]?.type === 'temporaryAccessPass' && held[0].passHash).toBe(
      createHash('sha256')
        .update(pass ?? '')
        .digest('hex'),
    );
    const tapCreates = bot.simulator.tenant.audits.filter(
      (a) =>
        a.activityDisplayName === 'Admin registered security info' &&
        a.targetResources.some((t) => t.id === USERS.lee.id) &&
        (a.additionalDetails ?? []).some((d) => d.key === 'MethodType' && d.value === 'temporaryAccessPass'),
    );
    expect(tapCreates).toHaveLength(1);
    // Every refused click is in the journal, by whom and why.
    c = await current(c.id);
    expect(c.journal.filter((j) => j.event.startsWith('Refused:')).length).toBeGreaterThanOrEqual(2 * (BURST - 1));
  });
});
