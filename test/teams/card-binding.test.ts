import { Verb } from '../../src/views/verbs';
import { BotHarness, DEFAULT_THREAD } from '../helpers/bot-harness';
import { TENANT_ID, USERS } from '../helpers/demo-ids';

/**
 * Issue 15, defect 7: a card replayed in another thread of the same channel was accepted (the signature covered the
 * channel, not the thread), and the approval card's refresh re-signed the card for anyone in the conversation.
 */

const OTHER_THREAD = '19:recoveries@thread.tacv2;messageid=1700000009999';
const CARD = 'application/vnd.microsoft.card.adaptive';

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
    expect(String(answer.value)).toMatch(/\(CARD\.INVALID\)$/);
    expect((await bot.cases.get(c.id))!.value.state).toBe('awaitingApproval');
  });

  it('refuses the case\u2019s card re-signed for another thread too: the case lives in its own thread', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex, conversationId: OTHER_THREAD });
    expect(String(answer.value)).toMatch(/\(CARD\.INVALID\)$/);
    expect((await bot.cases.get(c.id))!.value.approval?.decisions).toEqual([]);
  });

  it('re-signs the approval card on refresh for its requester and approvers only; anyone else is refused and journaled', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    for (const who of [USERS.megan, USERS.alex, USERS.patti]) {
      const answer = await bot.click(Verb.refreshApproval, { caseId: c.id, version: c.version }, { from: who, trigger: 'automatic' });
      expect(answer.type).toBe(CARD);
    }
    for (const who of [USERS.isaiah, USERS.johanna]) {
      const answer = await bot.click(Verb.refreshApproval, { caseId: c.id, version: c.version }, { from: who, trigger: 'automatic' });
      expect(answer.type).not.toBe(CARD);
      expect(String(answer.value)).toMatch(/\(CARD\.NOT_AUDIENCE\)$/);
      expect(JSON.stringify(answer)).not.toMatch(/"sig"/);
    }
    const refused = (await bot.cases.get(c.id))!.value.journal.filter((j) => j.event === `Refused: ${Verb.refreshApproval}`);
    expect(refused.map((j) => j.by)).toEqual([USERS.isaiah.name, USERS.johanna.name]);
  });
});
