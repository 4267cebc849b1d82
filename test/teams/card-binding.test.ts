import { Verb } from '../../src/views/verbs';
import { BotHarness, DEFAULT_THREAD } from '../helpers/bot-harness';
import { TENANT_ID, USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';
import { textsOf } from '../helpers/card-checks';
import { inputOf } from '../views/card-queries';

/**
 * Issue 15, defect 7: a card replayed in another thread of the same channel was accepted (the signature covered the
 * channel, not the thread), and the approval card's refresh re-signed the card for anyone in the conversation.
 */

const OTHER_THREAD = '19:recoveries@thread.tacv2;messageid=1700000009999';

describe('card data bound to its thread and its audience', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('refuses the case\u2019s card clicked in another thread of the same channel, with the signature it was drawn with', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const sig = bot.signer.sign({ tenantId: TENANT_ID, conversationId: DEFAULT_THREAD, caseId: c.id, version: c.version });
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version, sig }, { from: USERS.alex, conversationId: OTHER_THREAD });
    expect(refusalOf(answer)).toBe(
      `This card belongs to case ${c.id}, which lives in another conversation or thread; it works only there. Nothing was changed. (CARD.INVALID)`,
    );
    // Said where it was clicked, as a card that carries nothing of the case and nothing signed.
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(answer)).not.toMatch(/"sig"|Action\.Execute|Lee|lee@/);
    expect((await bot.cases.get(c.id))!.value.state).toBe('awaitingApproval');
  });

  it('refuses the case\u2019s card re-signed for another thread too: the case lives in its own thread', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex, conversationId: OTHER_THREAD });
    expect(refusalOf(answer)).toMatch(/which lives in another conversation or thread.*\(CARD\.INVALID\)$/);
    expect(JSON.stringify(answer)).not.toMatch(/"sig"|Action\.Execute/);
    expect((await bot.cases.get(c.id))!.value.approval?.decisions).toEqual([]);
  });

  it('re-signs the approval card on refresh for its requester and approvers only; anyone else is refused and journaled', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    for (const who of [USERS.megan, USERS.alex, USERS.patti]) {
      const answer = await bot.click(Verb.refreshApproval, { caseId: c.id, version: c.version }, { from: who, trigger: 'automatic' });
      expect(refusalOf(answer)).toBeUndefined();
    }
    for (const who of [USERS.isaiah, USERS.johanna]) {
      const answer = await bot.click(Verb.refreshApproval, { caseId: c.id, version: c.version }, { from: who, trigger: 'automatic' });
      expect(refusalOf(answer)).toBeDefined();
      expect(String(refusalOf(answer))).toMatch(/\(CARD\.NOT_AUDIENCE\)$/);
      expect(JSON.stringify(answer)).not.toMatch(/"sig"/);
    }
    const refused = (await bot.cases.get(c.id))!.value.journal.filter((j) => j.event === `Refused: ${Verb.refreshApproval}`);
    expect(refused.map((j) => j.by)).toEqual([USERS.isaiah.name, USERS.johanna.name]);
  });

  it('tells a tampered or outdated signature apart from a case that does not exist, in the thread where it was clicked', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const forged = await bot.click(Verb.approve, { caseId: c.id, version: c.version, sig: 'not-the-bots-signature' }, { from: USERS.alex });
    expect(refusalOf(forged)).toBe(
      `This card's signature is not valid: the card was changed, or it was drawn by an earlier version of the bot. Type "status ${c.id}" in the case's thread for the current card. Nothing was changed. (CARD.INVALID)`,
    );
    const none = await bot.click(Verb.approve, { caseId: 'RC-00000000', version: 1 }, { from: USERS.alex });
    expect(refusalOf(none)).toBe('This card is not valid: there is no case RC-00000000. Nothing was changed. (CARD.INVALID)');
    const garbage = await bot.click(Verb.approve, { caseId: '<b>x</b>', version: 1 }, { from: USERS.alex });
    expect(refusalOf(garbage)).toBe('This card is not valid: it names no case. Nothing was changed. (CARD.INVALID)');
    for (const answer of [forged, none, garbage]) expect(JSON.stringify(answer)).not.toMatch(/"sig"|Action\.Execute/);
  });

  it('answers a refused click on the card that was clicked, in red, with what the person typed kept in its inputs', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    // Megan opened the case: she may not approve it. Her comment stays in the box.
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version, comment: 'I know Lee well' }, { from: USERS.megan });
    expect(refusalOf(answer)).toMatch(/\(APPROVAL\.BY_REQUESTER\)$/);
    const card = answer.value as Record<string, unknown>;
    expect(textsOf(card)).toContain(`Approval for case ${c.id}`);
    expect(inputOf(card, 'comment')?.value).toBe('I know Lee well');
    // A stale card: the current card, in red, the typed reason kept.
    const stale = await bot.click(
      Verb.deny,
      { caseId: c.id, version: (c.stateVersion ?? c.version) - 1, denyReason: 'Caller sounded wrong' },
      { from: USERS.alex },
    );
    expect(refusalOf(stale)).toBe(
      'This card was out of date: the case moved on since it was drawn. Here it is as it is now; nothing was changed. (CARD.STALE)',
    );
    expect(inputOf(stale.value, 'denyReason')?.value).toBe('Caller sounded wrong');
  });
});
