import type { RecoveryCase } from '../../src/domain/case';
import { scheduleApprovalTimers } from '../../src/app/approvals';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

describe('approval reminders and expiry', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  const awaitingApproval = (): Promise<RecoveryCase> => bot.caseAwaitingApproval(USERS.lee.upn);
  const messages = (): string[] =>
    bot.poster
      .threadWrites()
      .filter((w) => w.kind === 'post' && typeof w.activity.text === 'string')
      .map((w) => w.activity.text ?? '');

  it('reminds the thread at 15 minutes and expires the request at 60; an expired request cannot be approved', async () => {
    const c = await awaitingApproval();
    const requested = Date.parse(c.approval!.requestedAt);
    // The reminder, the escalation (the demo escalates to the privileged approvers after 30 minutes) and the expiry.
    expect(bot.scheduler.pending).toHaveLength(3);

    bot.now = () => new Date(requested + 15 * 60_000);
    expect(await bot.scheduler.runUntil(bot.now())).toBe(1);
    expect(messages().some((m) => m.startsWith(`Reminder: case ${c.id}`) && m.includes('still needs 1 approval(s)'))).toBe(true);

    bot.now = () => new Date(requested + 60 * 60_000);
    expect(await bot.scheduler.runUntil(bot.now())).toBe(2);
    const expired = (await bot.cases.get(c.id))!.value;
    expect(expired.state).toBe('expired');
    expect(messages().some((m) => m.includes(`Case ${c.id} expired without the required approvals`))).toBe(true);

    const before = JSON.stringify(bot.simulator.tenant.methods.get(USERS.lee.id));
    // The card Alex holds was drawn before the expiry: he gets the current card, which says it expired, and why.
    const late = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex });
    expect(refusalOf(late)).toMatch(/out of date.*\(CARD\.STALE\)$/);
    expect(repliesText([{ attachments: [{ contentType: late.type, content: late.value }] }])).toMatch(/expired/i);
    expect((await bot.cases.get(c.id))!.value.approval?.decisions).toHaveLength(0);
    expect(JSON.stringify(bot.simulator.tenant.methods.get(USERS.lee.id))).toBe(before);
  });

  it('an approval after the deadline is refused even if the expiry timer never ran (for example after a restart)', async () => {
    const c = await awaitingApproval();
    bot.now = () => new Date(Date.parse(c.approval!.expiresAt) + 1000);
    const late = await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex });
    expect(String(refusalOf(late))).toContain('APPROVAL.EXPIRED');
    expect((await bot.cases.get(c.id))!.value.state).toBe('awaitingApproval');
  });

  it('with the timers held by several instances, the reminder and the expiry notice are posted once', async () => {
    const c = await awaitingApproval();
    // Two more instances picked the case up (start-up or sweep) and scheduled the same timers.
    scheduleApprovalTimers(bot.caseDeps(), bot.scheduler, c);
    scheduleApprovalTimers(bot.caseDeps(), bot.scheduler, c);
    expect(bot.scheduler.pending).toHaveLength(9);
    bot.now = () => new Date(Date.parse(c.approval!.expiresAt));
    expect(await bot.scheduler.runUntil(bot.now())).toBe(9);
    expect(messages().filter((m) => m.startsWith(`Reminder: case ${c.id}`))).toHaveLength(1);
    expect(messages().filter((m) => m.includes(`Case ${c.id} expired`))).toHaveLength(1);
    const after = (await bot.cases.get(c.id))!.value;
    expect(after.journal.filter((j) => j.event === 'Approvers reminded')).toHaveLength(1);
    expect(after.journal.filter((j) => j.event === 'Approval request escalated')).toHaveLength(1);
    expect(after.approval?.remindedAt).toBeDefined();
  });

  it('no reminder once the case is decided', async () => {
    const c = await awaitingApproval();
    await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex });
    bot.now = () => new Date(Date.parse(c.approval!.requestedAt) + 15 * 60_000);
    await bot.scheduler.runUntil(bot.now());
    expect(messages().some((m) => m.startsWith('Reminder'))).toBe(false);
  });
});

describe('the approval card in the thread', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  const approvalCards = () =>
    bot.poster.writes
      .map(
        (w) =>
          w.activity.attachments?.[0]?.content as
            { refresh?: { userIds?: string[] }; msteams?: { entities?: Array<{ mentioned: { id: string; name: string } }> } } | undefined,
      )
      .filter((card) => card?.refresh !== undefined);

  it('@mentions the approvers still to decide and refreshes for them only; after the decision nobody is refreshed', async () => {
    let c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const caseId = c.id;
    const first = approvalCards()[0];
    // Alex, Patti, Nestor and Miriam (through the nested privileged group); never the requester or the target.
    expect([...(first?.refresh?.userIds ?? [])].sort()).toEqual(
      [`29:${USERS.alex.id}`, `29:${USERS.patti.id}`, `29:${USERS.nestor.id}`, `29:${USERS.miriam.id}`].sort(),
    );
    expect(first?.msteams?.entities?.map((e) => e.mentioned.name).sort()).toEqual(['Alex Wilber', 'Miriam Graham', 'Nestor Wilke', 'Patti Fernandez']);
    await bot.click(Verb.approve, { caseId, version: c.version }, { from: USERS.alex });
    c = (await bot.cases.get(caseId))!.value;
    const last = approvalCards()[approvalCards().length - 1];
    expect(last?.refresh?.userIds).toEqual([]);
  });

  it('an automatic refresh shows the card to that approver and never edits the shared message', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const caseId = c.id;
    const writes = bot.poster.writes.length;
    const refreshed = await bot.click(Verb.refreshApproval, { caseId, version: c.version }, { from: USERS.alex, trigger: 'automatic' });
    expect(refusalOf(refreshed)).toBeUndefined();
    expect(bot.poster.writes.length).toBe(writes);
    expect((await bot.cases.get(caseId))!.value.version).toBe(c.version);
  });
});
