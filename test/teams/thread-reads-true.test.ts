import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import type { RecoveryCase } from '../../src/domain/case';
import type { PlanStep } from '../../src/domain/plan';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { htmlLikeTags, verbsOf } from '../helpers/card-checks';
import { USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/**
 * Issue 18, "a thread that reads true", over the real Application against the simulated tenant: `status` shows the
 * case as it is now, closing needs lessons learned (or "none:" with the reason), and "No recovery needed" closes a
 * case with a reason, through the approvers whenever the audit log shows changes.
 */

const CARD = 'application/vnd.microsoft.card.adaptive';
let bot: BotHarness;
beforeEach(async () => {
  bot = await BotHarness.start();
});
afterEach(async () => {
  await bot.stop();
});

const current = async (caseId: string): Promise<RecoveryCase> => (await bot.cases.get(caseId))!.value;
const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
const cardText = (content: unknown): string => repliesText([{ attachments: [{ contentType: CARD, content }] }]);
/** The `status` answer: its one card's text. */
async function status(caseId: string): Promise<{ text: string; cards: Partial<Activity>[] }> {
  const replies = await bot.send(`status ${caseId}`);
  return { text: repliesText(replies), cards: replies.filter((r) => r.attachments?.length) };
}
/** The latest version (posted or edited) of the card whose heading starts with `heading`. */
function latestCard(heading: string, c: RecoveryCase): unknown {
  const write = [...bot.poster.writes].reverse().find((w) => cardText(w.activity.attachments?.[0]?.content).includes(`${heading} ${c.id}`));
  return write?.activity.attachments?.[0]?.content;
}
async function register(userId: string, type: string, displayName: string): Promise<void> {
  const res = await fetch(`${bot.simulator.url}/_simulator/users/${userId}/register-method`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, displayName }),
  });
  expect(res.status).toBe(201);
}
async function onStep(caseId: string, verb: string, kind: PlanStep['kind'], extra: Record<string, unknown> = {}): Promise<RecoveryCase> {
  const c = await current(caseId);
  const stepId = c.plan?.find((s) => s.kind === kind)?.id;
  const answer = await bot.click(verb, data(c, { stepId, ...extra }));
  expect(refusalOf(answer)).toBeUndefined();
  return current(caseId);
}

/** Lee's malicious recovery to validation: every method removed, identity by the fallback, password, TAP, a new key. */
async function leeInValidation(): Promise<RecoveryCase> {
  const awaiting = await bot.caseAwaitingApproval(USERS.lee.upn, 'malicious');
  expect(refusalOf(await bot.click(Verb.approve, data(awaiting, { comment: 'Checked' }), { from: USERS.alex }))).toBeUndefined();
  await bot.identityByFallback(awaiting.id);
  await onStep(awaiting.id, Verb.revealPassword, 'resetPassword');
  await onStep(awaiting.id, Verb.revealTap, 'issueTap', { tapLifetime: '60', tapOneTime: 'true' });
  await register(USERS.lee.id, 'fido2', 'Lee\u2019s new YubiKey 5C');
  const c = await onStep(awaiting.id, Verb.confirmGuided, 'checkMethods');
  expect(c.state).toBe('validating');
  return c;
}

describe('status shows the case as it is now', () => {
  it('after Lee\u2019s recovery ran to the end, status names what was removed, reset and issued, and never says nothing changed', async () => {
    let c = await leeInValidation();
    const opening = (c.intake.methods ?? []).filter((m) => m.type !== 'password');
    expect(opening.map((m) => m.type)).toEqual(expect.arrayContaining(['phone', 'email']));

    expect((await bot.click(Verb.close, data(c, { lessons: 'Ravi Sharma\u2019s admin account is disabled; roles under review.' }))).type).toBe(CARD);
    c = await current(c.id);
    expect(c.state).toBe('documented');

    const { text, cards } = await status(c.id);
    expect(cards).toHaveLength(1);
    expect(text).toContain(`Status of case ${c.id}`);
    expect(text).toContain(`Case ${c.id} is closed.`);
    expect(text).not.toContain('Nothing has been changed in the directory');
    // What the plan did: the removal names each method it removed, then the password reset and the TAP.
    expect(text).toMatch(/Remove .*: Removed \d+ method\(s\): .*phone \(.*email \(/s);
    expect(text).toMatch(/password/i);
    expect(text).toMatch(/TAP issued/);
    expect(text).toMatch(/step\(s\) changed the directory/);
    expect(text).toMatch(/\d+ done, \d+ not needed, 0 failed, 0 still to do\./);
    expect(text).toContain('Lessons learned: Ravi Sharma');
    // The opening snapshot (the methods the bot has since removed) is not presented as current.
    expect(text).not.toContain('Methods registered when the case opened');
    expect(verbsOf(cards[0]?.attachments?.[0]?.content)).toEqual([]);
  });

  it('a fresh case still shows its opening facts, and that nothing was changed', async () => {
    const { c } = await bot.openCase(USERS.adele.upn);
    const { text } = await status(c.id);
    expect(text).toContain('Nothing has been changed in the directory.');
    expect(text).toContain('Methods registered when the case opened');
    for (const m of c.intake.methods ?? []) expect(text).toContain(m.detail);
    expect(text).toMatch(/chooses the scenario on the triage card/);
  });
});

describe('closing needs lessons learned, or "none:" with the reason', () => {
  it('an empty close is refused in place with LESSONS.REQUIRED and changes nothing; "none: <reason>" closes and the record shows it', async () => {
    let c = await leeInValidation();
    for (const lessons of ['', '   ', 'none', 'none:']) {
      const refused = await bot.click(Verb.close, data(c, { lessons }));
      expect(String(refusalOf(refused))).toMatch(/LESSONS\.REQUIRED/);
      expect(String(refusalOf(refused))).toMatch(/none: /);
      expect(await current(c.id)).toMatchObject({ state: 'validating', version: c.version });
    }
    expect(refusalOf(await bot.click(Verb.close, data(c, { lessons: 'none: the takeover came through a known, already-fixed gap' })))).toBeUndefined();
    c = await current(c.id);
    expect(c).toMatchObject({ state: 'documented', noLessons: { reason: 'the takeover came through a known, already-fixed gap' } });
    expect(cardText(latestCard('Summary of case', c))).toContain('No lessons learned. Reason: the takeover came through a known, already-fixed gap');
    const exported = (await bot.send(`export ${c.id}`)).map((a) => a.text ?? '');
    expect(exported[0]).toContain('## Lessons learned\n\nNone, because:\n\n> the takeover came through a known, already-fixed gap');
  });
});

describe('"No recovery needed" with a reason', () => {
  it('nothing changed (Johanna): the requester\u2019s reason closes the case at once; the triage card loses its buttons and the summary says why', async () => {
    const { c: opened } = await bot.openCase(USERS.johanna.upn);
    let c = await current(opened.id);
    expect(c.triage?.nothingChanged).toBe(true);
    expect(verbsOf(latestCard('Triage of case', c))).toEqual([Verb.confirmScenario, Verb.closeNoRecovery]);

    expect(String(refusalOf(await bot.click(Verb.closeNoRecovery, data(c, { noRecoveryReason: '  ' }))))).toMatch(/INPUT\.REASON_REQUIRED/);
    expect(String(refusalOf(await bot.click(Verb.closeNoRecovery, data(c, { noRecoveryReason: 'Not mine' }), { from: USERS.grady })))).toMatch(
      /CASE\.NOT_REQUESTER/,
    );
    expect(await current(c.id)).toMatchObject({ state: 'triaged', version: c.version + 0 });

    const reason = 'Johanna had Caps Lock on; she signed in while on the phone.';
    expect(refusalOf(await bot.click(Verb.closeNoRecovery, data(await current(c.id), { noRecoveryReason: reason })))).toBeUndefined();
    c = await current(c.id);
    expect(c).toMatchObject({ state: 'documented', noRecovery: { reason, changesSeen: false } });
    expect(c.approval).toBeUndefined();
    expect(c.journal.some((j) => j.event === 'Closed: no recovery needed' && j.detail === reason)).toBe(true);

    expect(verbsOf(latestCard('Triage of case', c))).toEqual([]);
    const summary = cardText(latestCard('Summary of case', c));
    expect(summary).toContain(`No recovery needed: closed by Megan Bowen`);
    expect(summary).toContain(reason);
    expect(summary).toContain('No validation: the case was closed without a recovery.');
    expect(verbsOf(latestCard('Summary of case', c))).toEqual([]);
    expect((await bot.send(`export ${c.id}`))[0]?.text).toContain('**No recovery needed**');
    expect((await status(c.id)).text).toContain('Closed without recovery');
  });

  it('something changed (Adele): the close goes to the same approvers, with an empty plan, and closes on their approval without touching the directory', async () => {
    const { c: opened } = await bot.openCase(USERS.adele.upn);
    let c = await current(opened.id);
    expect(c.triage?.nothingChanged).toBe(false);
    const auditsBefore = bot.simulator.tenant.audits.length;

    expect(refusalOf(await bot.click(Verb.closeNoRecovery, data(c, { noRecoveryReason: 'HR restores the phone itself' })))).toBeUndefined();
    c = await current(c.id);
    expect(c).toMatchObject({ state: 'awaitingApproval', plan: [], noRecovery: { changesSeen: true }, approval: { required: 1 } });
    const approval = cardText(latestCard('Approval for case', c));
    expect(approval).toContain('No recovery needed (close only): HR restores the phone itself');

    // The requester cannot approve it herself; an approver can.
    expect(String(refusalOf(await bot.click(Verb.approve, data(c), { from: USERS.megan })))).toMatch(/APPROVAL\.BY_REQUESTER/);
    expect(refusalOf(await bot.click(Verb.approve, data(c), { from: USERS.alex }))).toBeUndefined();
    c = await current(c.id);
    expect(c.state).toBe('documented');
    expect(c.journal.map((j) => j.event).slice(-3)).toEqual(['Approved', 'Approval quorum reached', 'Closed: no recovery needed']);
    expect(bot.simulator.tenant.audits.length).toBe(auditsBefore);
    expect(cardText(latestCard('Summary of case', c))).toMatch(/No recovery needed: asked by Megan Bowen .*approved and closed/);
  });
});

describe('placeholders render as text', () => {
  it('no bot message or card answering a command or a mistake holds an angle-bracket placeholder', async () => {
    const inputs = [
      'help',
      'what now',
      'recover',
      'recover <script>',
      'status',
      'status nope',
      'export',
      'verify x',
      'override',
      'incident',
      'incident approve',
      'incident nope last 99h',
      'readiness later',
    ];
    for (const text of inputs) {
      const replies = await bot.send(text);
      expect(replies.length).toBeGreaterThan(0);
      // What the person typed may be quoted back; everything else is the bot's own words.
      const own = JSON.parse(JSON.stringify(replies).split('<script>').join('')) as unknown;
      expect({ text, tags: htmlLikeTags(own) }).toEqual({ text, tags: [] });
    }
  });
});

describe('how to address the bot', () => {
  /**
   * In a channel Teams passes a bot only the messages that @mention it
   * (https://learn.microsoft.com/microsoftteams/platform/concepts/bots/bot-conversations/bots-conv-channel), and the
   * Agents Playground does the same (its connector forwards a channel post only when the bot is mentioned or the chat is
   * personal): a plain "recover …" in a channel never reaches the bot, so the start-up line must say to @mention it.
   */
  it('the start-up line says to post with the @mention in the channel, and the command alone in a 1:1 chat', () => {
    const banner = readFileSync(join(__dirname, '..', '..', 'src', 'start-demo.ts'), 'utf8');
    expect(banner).toContain("'      @Entra Recovery recover adele@contoso.com',");
    expect(banner).toMatch(/in a 1:1 chat with the bot, post just: recover adele@contoso\.com/);
    expect(banner).not.toMatch(/^\s*'\s+recover adele@contoso\.com',$/m);
  });

  it('a channel message that does reach the bot with its mention is answered as the command', async () => {
    const replies = await bot.send('<at>Entra Recovery</at> recover adele@contoso.com');
    expect(repliesText(replies)).toMatch(/Recovery case RC-\d{8}/);
  });
});

describe('the incident demo documented with its actor', () => {
  it('the command docs/demo-tenant.md gives yields an incident with a user to restore on the demo seed', async () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'demo-tenant.md'), 'utf8');
    const command = /@Entra Recovery (incident \S+@contoso\.com last \d+[hd])/.exec(doc)?.[1];
    expect(command).toBe('incident grady@contoso.com last 14d');
    const plan = repliesText(await bot.send(command!));
    expect(plan).toMatch(/Incident IN-\d{8}/);
    expect(plan).toContain('Restorable (in deleted items)');
    expect(plan).toContain(USERS.diego.name);
    const incident = await bot.deps().incidents?.read({ rawId: /IN-\d{8}/.exec(plan)![0], requester: { aadObjectId: USERS.megan.id, name: USERS.megan.name } });
    expect(incident?.ok && incident.value.users.filter((u) => u.state === 'softDeleted').map((u) => u.id)).toEqual([USERS.diego.id]);
  });
});

describe('times in the configured time zone', () => {
  it('with HELPDESK_TIME_ZONE=Europe/Berlin the status card says the times in Berlin time, the zone named', async () => {
    await bot.stop();
    bot = await BotHarness.start(undefined, undefined, { env: { HELPDESK_TIME_ZONE: 'Europe/Berlin' } });
    const { c } = await bot.openCase(USERS.adele.upn);
    // The harness clock is pinned to TEST_NOW (Wednesday 12:00 UTC) and ticks: the read is within that minute.
    expect(c.intake.takenAt.slice(0, 16)).toBe('2026-11-18T12:00');
    const { text } = await status(c.id);
    expect(text).toContain('Methods registered when the case opened (read 2026-11-18 13:00 (Europe/Berlin); no step has run since):');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    // A message too: the refusal of a second case for the same user says when the open one was opened, in Berlin time.
    const again = repliesText(await bot.send(`recover ${USERS.adele.upn}`));
    expect(again).toContain(`Case ${c.id} for adele@contoso.com is already open`);
    expect(again).toContain('opened by Megan Bowen at 2026-11-18 13:00 (Europe/Berlin).');
  });
});
