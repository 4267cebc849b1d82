/**
 * Approval requests in each approver's 1:1 chat with the bot (src/teams/approver-chats.ts), through the real
 * Application and use cases against the simulated tenant over HTTP; Teams is the harness's recording poster and chat
 * opener. The same over two bot processes and a loopback Bot Connector: approver-chats-instances.test.ts.
 */
import type { Activity } from 'botbuilder';
import type { RecoveryCase } from '../../src/domain/case';
import { scheduleApprovalTimers } from '../../src/app/approvals';
import { Verb } from '../../src/views/verbs';
import { BotHarness, DEFAULT_THREAD, repliesText, type ThreadWrite } from '../helpers/bot-harness';
import { textsOf, verbsOf } from '../helpers/card-checks';
import { GROUPS, TENANT_ID, USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

const chatOf = (id: string): string => `chat-${id}`;
const cardOf = (w: ThreadWrite): unknown => w.activity.attachments?.[0]?.content;
const texts = (writes: readonly ThreadWrite[]): string[] => writes.filter((w) => typeof w.activity.text === 'string').map((w) => w.activity.text ?? '');

/** The signed data of a button on the newest card written to this conversation. */
function buttonData(writes: readonly ThreadWrite[], verb: string): Record<string, unknown> {
  for (const w of [...writes].reverse()) {
    const found = JSON.stringify(cardOf(w) ?? {});
    if (!found.includes(`"verb":"${verb}"`)) continue;
    const walk = (node: unknown): Record<string, unknown> | undefined => {
      if (Array.isArray(node)) return node.map(walk).find(Boolean);
      if (!node || typeof node !== 'object') return undefined;
      const r = node as Record<string, unknown>;
      if (r.type === 'Action.Execute' && r.verb === verb) return r.data as Record<string, unknown>;
      return walk(Object.values(r));
    };
    const data = walk(cardOf(w));
    if (data) return data;
  }
  throw new Error(`no ${verb} button in ${writes.length} write(s)`);
}

describe('approval requests in the approvers\u2019 1:1 chats', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  const stored = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;
  const threadTexts = (): string[] => texts(bot.poster.threadWrites());
  /** Adele's case (not privileged): Alex, and Patti, Nestor and Miriam through the privileged group nested in the approvers. */
  const adele = (): Promise<RecoveryCase> => bot.caseAwaitingApproval(USERS.adele.upn, 'accidental', 'The user removed her own phone by mistake');

  it('sends each pending approver the request card, signed for their chat, and tells the thread and the journal who it reached', async () => {
    const c = await adele();
    for (const person of [USERS.alex, USERS.patti, USERS.nestor, USERS.miriam]) {
      const writes = bot.poster.chatWrites(person.id);
      expect(writes).toHaveLength(1);
      const card = cardOf(writes[0]!);
      expect(verbsOf(card)).toEqual(expect.arrayContaining([Verb.approve, Verb.deny]));
      // The plan is on the card itself: the approver does not see the thread's plan card from their chat.
      expect(textsOf(card).join('\n')).toMatch(/PATCH \/v1\.0\/users\/9a1b7c20-0004-4e8a-9c11-000000000004\n/);
      expect(textsOf(card).join('\n')).toContain('Megan Bowen asks the security approvers to approve this recovery');
      const data = buttonData(writes, Verb.approve);
      expect(bot.signer.verify({ tenantId: TENANT_ID, conversationId: chatOf(person.id), caseId: c.id, version: Number(data.version) }, String(data.sig))).toBe(
        true,
      );
      expect(bot.signer.verify({ tenantId: TENANT_ID, conversationId: DEFAULT_THREAD, caseId: c.id, version: Number(data.version) }, String(data.sig))).toBe(
        false,
      );
    }
    // Not the requester, not the target.
    expect(bot.poster.chatWrites(USERS.megan.id)).toHaveLength(0);
    expect(bot.poster.chatWrites(USERS.adele.id)).toHaveLength(0);
    const told = threadTexts().filter((t) => t.startsWith(`The approval request for case ${c.id} went to`));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/Alex Wilber/);
    const journal = (await stored(c.id)).journal.find((j) => j.event === 'Approval request sent to 1:1 chats');
    expect(journal?.detail).toMatch(/^Reached: .*Alex Wilber/);
  });

  it('a decision in the chat counts exactly as one in the thread: the thread card and the journal change, the chat card says what they decided', async () => {
    const c = await adele();
    const data = buttonData(bot.poster.chatWrites(USERS.alex.id), Verb.approve);
    const before = bot.poster.threadWrites().length;
    const answer = await bot.click(Verb.approve, { ...data, comment: 'Checked with her manager' }, { from: USERS.alex, conversationId: chatOf(USERS.alex.id) });
    expect(refusalOf(answer)).toBeUndefined();
    expect(textsOf(answer.value).join('\n')).toMatch(/You approved this request at/);
    expect(verbsOf(answer.value)).not.toContain(Verb.approve);
    const after = await stored(c.id);
    // Approved, so the run started on Megan's behalf.
    expect(['approved', 'executing']).toContain(after.state);
    expect(after.approval?.decisions.map((d) => [d.by.aadObjectId, d.decision, d.comment])).toEqual([[USERS.alex.id, 'approve', 'Checked with her manager']]);
    expect(after.journal.some((j) => j.event === 'Approved' && j.by === USERS.alex.name)).toBe(true);
    // The shared approval card in the thread was edited to say so.
    const edits = bot.poster
      .threadWrites()
      .slice(before)
      .filter((w) => w.kind === 'update');
    expect(edits.some((w) => textsOf(cardOf(w)).join('\n').includes('Approved by Alex Wilber'))).toBe(true);
    // Every other approver's chat card now shows the request is decided, without buttons, once.
    for (const person of [USERS.patti, USERS.nestor, USERS.miriam]) {
      const updates = bot.poster.chatWrites(person.id).filter((w) => w.kind === 'update');
      expect(updates).toHaveLength(1);
      expect(verbsOf(cardOf(updates[0]!))).toEqual([]);
      expect(textsOf(cardOf(updates[0]!)).join('\n')).toContain('Approved by Alex Wilber');
    }
  });

  it('refuses the chat card clicked by anyone but its person, in another chat, or for any verb but Approve and Deny; nothing changes', async () => {
    const c = await adele();
    const alexChat = chatOf(USERS.alex.id);
    const data = buttonData(bot.poster.chatWrites(USERS.alex.id), Verb.approve);
    // Patti clicking in Alex's chat (a forged activity: Teams would never send it), and Alex's card replayed in Patti's chat.
    const intruder = await bot.click(Verb.approve, data, { from: USERS.patti, conversationId: alexChat });
    expect(refusalOf(intruder)).toMatch(/\(CARD\.INVALID\)$/);
    const elsewhere = await bot.click(Verb.approve, data, { from: USERS.alex, conversationId: chatOf(USERS.patti.id) });
    expect(refusalOf(elsewhere)).toMatch(/\(CARD\.INVALID\)$/);
    // A thread button signed for Alex's chat: only Approve and Deny live there.
    const start = await bot.click(Verb.cancel, { caseId: c.id, version: c.version, cancelReason: 'no' }, { from: USERS.alex, conversationId: alexChat });
    expect(refusalOf(start)).toMatch(/\(CARD\.INVALID\)$/);
    // The requester cannot approve her own case from a chat either (she has none for it; the card is not hers).
    const own = await bot.click(Verb.approve, data, { from: USERS.megan, conversationId: alexChat });
    expect(refusalOf(own)).toMatch(/\(CARD\.INVALID\)$/);
    const after = await stored(c.id);
    expect(after.state).toBe('awaitingApproval');
    expect(after.approval?.decisions).toHaveLength(0);
  });

  it('says in the thread who could not be reached and why; they can still decide on the thread card', async () => {
    bot.chatOpener.unreachable.add(USERS.nestor.id);
    const c = await adele();
    expect(bot.poster.chatWrites(USERS.nestor.id)).toHaveLength(0);
    const told = threadTexts().find((t) => t.startsWith(`The approval request for case ${c.id}`)) ?? '';
    expect(told).toMatch(/Could not reach Nestor Wilke \(not in the roster of the team this case is in, and no 1:1 chat with the bot yet\)/);
    expect(told).toMatch(/decide on the approval card in this thread/);
    expect((await stored(c.id)).journal.find((j) => j.event === 'Approval request sent to 1:1 chats')?.detail).toMatch(/Not reached: Nestor Wilke/);
    const approved = await bot.click(Verb.approve, { caseId: c.id, version: (await stored(c.id)).version }, { from: USERS.nestor });
    expect(refusalOf(approved)).toBeUndefined();
  });

  it('an approver reached later (the app installed for them after the request) gets the card at the next sweep, once', async () => {
    bot.chatOpener.unreachable.add(USERS.nestor.id);
    const c = await adele();
    expect(bot.poster.chatWrites(USERS.nestor.id)).toHaveLength(0);
    // A sweep before anything changed sends nothing.
    bot.caseDeps().observer.approversNudged?.(await stored(c.id));
    await bot.background.idle();
    expect(bot.poster.writes.filter((w) => w.conversationId === 'a:nestor-personal-chat')).toHaveLength(0);
    await bot.deliver({
      type: 'installationUpdate',
      action: 'add',
      from: { id: '29:nestor-teams-id', name: USERS.nestor.name, aadObjectId: USERS.nestor.id },
      recipient: { id: '28:bot', name: 'Entra Recovery' },
      conversation: { id: 'a:nestor-personal-chat', conversationType: 'personal', tenantId: TENANT_ID, isGroup: false, name: '' },
      channelData: { tenant: { id: TENANT_ID } },
    });
    // Two instances' sweeps at once.
    bot.caseDeps().observer.approversNudged?.(await stored(c.id));
    bot.caseDeps().observer.approversNudged?.(await stored(c.id));
    await bot.background.idle();
    const cards = bot.poster.writes.filter((w) => w.conversationId === 'a:nestor-personal-chat' && w.kind === 'post');
    expect(cards).toHaveLength(1);
    expect(verbsOf(cardOf(cards[0]!))).toEqual(expect.arrayContaining([Verb.approve, Verb.deny]));
    expect(
      threadTexts().filter((t) => t === `The approval request for case ${c.id} now also reached Nestor Wilke in their 1:1 chats with the bot.`),
    ).toHaveLength(1);
    // And his click there counts.
    const answer = await bot.click(Verb.approve, buttonData(cards, Verb.approve), { from: USERS.nestor, conversationId: 'a:nestor-personal-chat' });
    expect(textsOf(answer.value).join('\n')).toMatch(/You approved this request at/);
  });

  it('uses the chat a person has with the bot (learned from the install), and forgets it when the app is removed', async () => {
    const install = (action: 'add' | 'remove', tenantId = TENANT_ID): Partial<Activity> => ({
      type: 'installationUpdate',
      action,
      from: { id: '29:alex-teams-id', name: USERS.alex.name, aadObjectId: USERS.alex.id },
      recipient: { id: '28:bot', name: 'Entra Recovery' },
      conversation: { id: 'a:alex-personal-chat', conversationType: 'personal', tenantId, isGroup: false, name: '' },
      channelData: { tenant: { id: tenantId } },
    });
    // From another tenant: refused by the tenant guard, never learned.
    await bot.deliver(install('add', '00000000-0000-4000-8000-000000000000'));
    await bot.deliver(install('add'));
    const first = await adele();
    expect(bot.poster.writes.filter((w) => w.conversationId === 'a:alex-personal-chat')).toHaveLength(1);
    expect(bot.poster.chatWrites(USERS.alex.id)).toHaveLength(0);

    await bot.deliver(install('remove'));
    await bot.click(Verb.cancel, { caseId: first.id, version: (await stored(first.id)).version, cancelReason: 'Opened twice' });
    await bot.caseAwaitingApproval(USERS.lee.upn);
    // Opened from the roster this time (the harness's opener names it chat-<id>).
    expect(bot.poster.chatWrites(USERS.alex.id)).toHaveLength(1);
    expect(bot.poster.writes.filter((w) => w.conversationId === 'a:alex-personal-chat' && w.kind === 'post')).toHaveLength(1);
  });

  it('reminds the approvers still to decide in their chats, once, and not those who decided', async () => {
    const c = await adele();
    const requested = Date.parse(c.approval!.requestedAt);
    bot.now = () => new Date(requested + 15 * 60_000);
    await bot.scheduler.runUntil(bot.now());
    await bot.background.idle();
    for (const person of [USERS.alex, USERS.patti, USERS.nestor, USERS.miriam]) {
      const reminders = texts(bot.poster.chatWrites(person.id)).filter((t) => t.startsWith(`Reminder: case ${c.id}`));
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toContain('still needs 1 approval(s)');
    }
    // The sweep, and two more instances holding the same timers, send nothing more.
    scheduleApprovalTimers(bot.caseDeps(), bot.scheduler, c);
    bot.caseDeps().observer.approversNudged?.(await stored(c.id));
    await bot.scheduler.runUntil(bot.now());
    await bot.background.idle();
    expect(texts(bot.poster.chatWrites(USERS.alex.id)).filter((t) => t.startsWith('Reminder:'))).toHaveLength(1);
  });

  it('escalates after ESCALATE_AFTER_MINUTES: the escalation group hears of it in their chats and the thread says so', async () => {
    // The escalation groups are the helpdesk and the privileged approvers: Grady (helpdesk) may not decide, so he is
    // told it waits, not given buttons.
    await bot.stop();
    bot = await BotHarness.start(undefined, undefined, {
      env: { ESCALATION_GROUP_IDS: `${GROUPS.helpdesk},${GROUPS.privilegedApprovers}`, ESCALATE_AFTER_MINUTES: '20' },
    });
    // Nestor is privileged: two of the privileged approvers (Patti, Miriam) must approve.
    const c = await bot.caseAwaitingApproval(USERS.nestor.upn);
    const requested = Date.parse(c.approval!.requestedAt);
    // Patti approves from her chat first: having decided, she is not escalated to.
    await bot.click(Verb.approve, buttonData(bot.poster.chatWrites(USERS.patti.id), Verb.approve), {
      from: USERS.patti,
      conversationId: chatOf(USERS.patti.id),
    });
    bot.now = () => new Date(requested + 20 * 60_000);
    await bot.scheduler.runUntil(bot.now());
    await bot.background.idle();
    const after = await stored(c.id);
    expect(after.state).toBe('awaitingApproval');
    expect(after.approval?.escalatedAt).toBeDefined();
    expect(after.journal.filter((j) => j.event === 'Approval request escalated')).toHaveLength(1);
    const told = threadTexts().filter((t) => t.includes('escalated to the escalation group(s)'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(new RegExp(`Case ${c.id} still needs 1 approval\\(s\\) after 20 minute\\(s\\)`));
    expect(told[0]).toMatch(/Reached: .*Grady Archie/);
    // Grady (helpdesk, not an approver): a notice, no card.
    const grady = bot.poster.chatWrites(USERS.grady.id);
    expect(grady).toHaveLength(1);
    expect(grady[0]!.activity.attachments).toBeUndefined();
    expect(grady[0]!.activity.text).toMatch(/You are not one of the approvers who may decide it/);
    // Miriam had the request already: a message under it.
    expect(texts(bot.poster.chatWrites(USERS.miriam.id)).filter((t) => t.startsWith(`Escalated: case ${c.id}`))).toHaveLength(1);
    // Patti decided, Megan asked, Nestor is the target: nothing.
    expect(texts(bot.poster.chatWrites(USERS.patti.id)).filter((t) => t.startsWith('Escalated'))).toHaveLength(0);
    expect(bot.poster.chatWrites(USERS.megan.id)).toHaveLength(0);
    expect(bot.poster.chatWrites(USERS.nestor.id)).toHaveLength(0);
    expect(after.journal.find((j) => j.event === 'Escalation sent to 1:1 chats')?.detail).toMatch(/Grady Archie/);
  });

  it('at expiry every open chat card says so without buttons, and the expiry notice goes to the chats', async () => {
    const c = await adele();
    bot.now = () => new Date(Date.parse(c.approval!.expiresAt));
    await bot.scheduler.runUntil(bot.now());
    await bot.background.idle();
    expect((await stored(c.id)).state).toBe('expired');
    for (const person of [USERS.alex, USERS.patti, USERS.nestor, USERS.miriam]) {
      const writes = bot.poster.chatWrites(person.id);
      const edit = writes.filter((w) => w.kind === 'update');
      expect(edit).toHaveLength(1);
      expect(verbsOf(cardOf(edit[0]!))).toEqual([]);
      expect(textsOf(cardOf(edit[0]!)).join('\n')).toMatch(/expired/);
      expect(texts(writes).filter((t) => t.includes(`Case ${c.id} (adele@contoso.com) expired without the required approvals`))).toHaveLength(1);
    }
    expect(repliesText(bot.poster.threadWrites().map((w) => w.activity))).toContain(`Case ${c.id} expired without the required approvals`);
  });

  it('several instances bringing the chats up to date at once send every card once', async () => {
    const c = await adele();
    const chats = bot.caseDeps().observer;
    // Five more nudges racing (sweeps of other instances); then a denial racing with them.
    for (let i = 0; i < 5; i++) chats.approversNudged?.(c);
    await bot.background.idle();
    for (const person of [USERS.alex, USERS.patti, USERS.nestor, USERS.miriam])
      expect(bot.poster.chatWrites(person.id).filter((w) => w.kind === 'post')).toHaveLength(1);
    expect(threadTexts().filter((t) => t.startsWith(`The approval request for case ${c.id}`))).toHaveLength(1);
    await bot.click(
      Verb.deny,
      { ...buttonData(bot.poster.chatWrites(USERS.patti.id), Verb.deny), denyReason: 'Caller failed the callback' },
      {
        from: USERS.patti,
        conversationId: chatOf(USERS.patti.id),
      },
    );
    for (let i = 0; i < 5; i++) chats.approversNudged?.(await stored(c.id));
    await bot.background.idle();
    expect((await stored(c.id)).state).toBe('denied');
    for (const person of [USERS.alex, USERS.patti, USERS.nestor, USERS.miriam])
      expect(bot.poster.chatWrites(person.id).filter((w) => w.kind === 'update')).toHaveLength(1);
  });
});
