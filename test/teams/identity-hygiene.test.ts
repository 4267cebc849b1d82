import type { RecoveryCase } from '../../src/domain/case';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { TENANT_ID, USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/**
 * Issue 15, defect 4: identities were compared as raw strings from `from.aadObjectId`, and group membership was looked up
 * through Graph, which also accepts a UPN there: with a UPN the requester approved her own case and an approver approved
 * the recovery of his own account. Only an object id (a GUID) is an identity; only Teams (`msteams`) and the configured
 * tenant are served; ids are compared normalised.
 */
describe('identity hygiene: who sent an activity', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });
  const current = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;
  const unchanged = async (c: RecoveryCase): Promise<void> => {
    const now = await current(c.id);
    expect(now.state).toBe(c.state);
    expect(now.approval?.decisions ?? []).toEqual(c.approval?.decisions ?? []);
  };

  it('refuses an approval sent with the requester\u2019s UPN as the object id, and changes nothing', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: { id: USERS.megan.upn, name: USERS.megan.name } });
    expect(String(refusalOf(answer))).toMatch(/\(REQUESTER\.UNKNOWN\)|\(APPROVAL\.NOT_APPROVER\)/);
    await unchanged(c);
  });

  it('refuses an approval of an approver\u2019s own recovery sent with his UPN, and changes nothing', async () => {
    const c = await bot.caseAwaitingApproval(USERS.alex.upn);
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: { id: USERS.alex.upn, name: USERS.alex.name } });
    expect(String(refusalOf(answer))).toMatch(/\(REQUESTER\.UNKNOWN\)|\(APPROVAL\.NOT_APPROVER\)/);
    await unchanged(c);
  });

  it('treats an upper-case object id as the same person: the requester still cannot approve her own case', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: { id: USERS.megan.id.toUpperCase(), name: USERS.megan.name } });
    expect(String(refusalOf(answer))).toMatch(/\(APPROVAL\.BY_REQUESTER\)/);
    await unchanged(c);
  });

  it('refuses a `recover` sent with a UPN as the object id: nothing is opened', async () => {
    const text = repliesText(await bot.send(`recover ${USERS.lee.upn}`, { from: { id: USERS.megan.upn, name: USERS.megan.name } }));
    expect(text).not.toMatch(/Recovery case RC-/);
    expect(await bot.cases.ids()).toEqual([]);
  });

  it('serves Teams only: a click or a message from another channel is refused and changes nothing', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex, channelId: 'webchat' });
    expect(String(refusalOf(answer))).toMatch(/\(CHANNEL\.UNSUPPORTED\)/);
    await unchanged(c);
    const text = repliesText(await bot.send(`recover ${USERS.adele.upn}`, { channelId: 'directline' }));
    expect(text).toMatch(/\(CHANNEL\.UNSUPPORTED\)/);
    expect(await bot.cases.ids()).toEqual([c.id]);
  });

  it('compares the tenant id normalised: the configured tenant in upper case is the same tenant', async () => {
    const text = repliesText(await bot.send(`recover ${USERS.lee.upn}`, { tenantId: TENANT_ID.toUpperCase() }));
    expect(text).toMatch(/Recovery case RC-/);
  });
});
