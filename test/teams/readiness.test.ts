import type { Activity } from 'botbuilder';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { parseProblems, textsOf } from '../helpers/card-checks';
import { USERS } from '../helpers/demo-ids';
import { demoSeedWithUsers } from '../helpers/large-tenant';

const MAX_ACTIVITY_BYTES = 28 * 1024;
const bytes = (activity: Partial<Activity>): number => Buffer.byteLength(JSON.stringify(activity), 'utf8');
/** The bot's messages, without the typing indicators teams-ai sends while a long turn runs. */
const messages = (replies: Partial<Activity>[]): Partial<Activity>[] => replies.filter((r) => r.type === 'message');
const cardOf = (replies: Partial<Activity>[]): Record<string, unknown> => {
  const content = messages(replies)[0]?.attachments?.[0]?.content as Record<string, unknown> | undefined;
  if (!content) throw new Error(`no card in ${JSON.stringify(replies)}`);
  return content;
};

describe('readiness through the real Application against the simulated tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });
  afterEach(() => bot.simulator.faults.clear());

  it('posts one card with each check, its status and a fix link: the demo tenant fails four, warns on one, passes five', async () => {
    const replies = await bot.send('readiness');
    expect(replies).toHaveLength(1);
    const card = cardOf(replies);
    expect(card.version).toBe('1.5');
    expect(parseProblems(card)).toEqual([]);
    expect(bytes(replies[0]!)).toBeLessThan(MAX_ACTIVITY_BYTES);
    const texts = textsOf(card);
    const text = texts.join('\n');
    expect(text).toContain('Recovery readiness');
    expect(texts.filter((t) => t === '❌ Fail')).toHaveLength(4);
    expect(texts.filter((t) => t === '⚠️ Warn')).toHaveLength(1);
    expect(texts.filter((t) => t === '✅ Pass')).toHaveLength(5);
    expect(text).toContain('1 of 9 users (11.1%) have fewer than two methods.');
    expect(text).toContain('AA 2 permanent, 2 through PIM; PAA 1 permanent, 1 through PIM.');
    expect(text).toContain('microsoft.directory/deletedItems/delete is not a protected action');
    // Every check links to its fix; failures and warnings also to the guidance's recommendation.
    expect(texts.filter((t) => t.startsWith('Fix: ['))).toHaveLength(10);
    expect(texts.filter((t) => t.includes('](https://learn.microsoft.com/en-us/entra/backup/recover-user-secrets#preparation-and-prevention)') && t.startsWith('Fix:'))).toHaveLength(5);
    // Counts, not names: the card names nobody.
    expect(text).not.toContain('ravi.admin@contoso.com');
  });

  it('exports the report as Markdown with the names behind the counts', async () => {
    const replies = await bot.send('readiness export');
    expect(replies).toHaveLength(1);
    const markdown = replies[0]?.text ?? '';
    expect(replies[0]?.textFormat).toBe('markdown');
    expect(markdown).toContain('# Recovery readiness');
    expect(markdown).toContain('| ❌ Fail | Users with fewer than two methods | 1 of 9 users (11.1%) have fewer than two methods. |');
    expect(markdown).toContain('- `ravi.admin@contoso.com (1 method)`');
    expect(markdown).toContain('- `Privileged Authentication Administrator: nestor@contoso.com (permanent)`');
    expect(markdown).toContain('- `Authentication Administrator: megan@contoso.com (activated)`');
    expect(markdown).toContain('- Fix: [Deploy phishing-resistant passwordless authentication, admins first](https://learn.microsoft.com/');
  });

  it('is for helpdesk agents and approvers only, and reads nothing for anyone else', async () => {
    const approver = await bot.send('readiness', { from: { id: USERS.alex.id, name: USERS.alex.name } });
    expect(textsOf(cardOf(approver))).toContain('Recovery readiness');
    const before = bot.simulator.tenant.audits.length;
    const outsider = await bot.send('readiness export', { from: { id: USERS.lee.id, name: USERS.lee.name } });
    expect(repliesText(outsider)).toBe('Only helpdesk agents and security approvers can read the readiness report. (REQUESTER.NOT_ALLOWED)');
    expect(bot.simulator.tenant.audits.length).toBe(before);
    expect(repliesText(await bot.send('readiness', { tenantId: 'another-tenant' }))).toContain('(TENANT.FOREIGN)');
  });

  it('turns a missing permission into "cannot read: needs X" for one source and still reports the rest', async () => {
    bot.simulator.faults.add({ path: /\/reports\/authenticationMethods\//, kind: 'error', status: 403 });
    const texts = textsOf(cardOf(await bot.send('readiness')));
    expect(texts.filter((t) => t === '🔒 Cannot read')).toHaveLength(3);
    expect(texts.filter((t) => t === 'Cannot read: needs AuditLog.Read.All.')).toHaveLength(3);
    expect(texts).toContain('Temporary Access Pass policy');
    expect(texts.filter((t) => t === '✅ Pass')).toHaveLength(4);
  });

  it('answers other arguments with the usage', async () => {
    expect(repliesText(await bot.send('readiness now please'))).toContain('Usage: `readiness`');
  });
});

describe('readiness with 10,000 users', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start(demoSeedWithUsers(10_000 - 9));
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('keeps the card within Teams limits with counts only, and puts the lists in the export', async () => {
    const cardReplies = messages(await bot.send('readiness'));
    const card = cardOf(cardReplies);
    const size = bytes(cardReplies[0]!);
    expect(size).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(parseProblems(card)).toEqual([]);
    const text = textsOf(card).join('\n');
    // 3,331 generated phone-only users (every third of 9,991) plus Ravi.
    expect(text).toContain('3,332 of 10,000 users (33.3%) have fewer than two methods.');
    expect(text).not.toMatch(/user\d+@contoso\.com/);

    const exportReplies = messages(await bot.send('readiness export'));
    expect(exportReplies.length).toBeGreaterThan(1);
    expect(exportReplies.length).toBeLessThanOrEqual(4);
    for (const reply of exportReplies) expect((reply.text ?? '').length).toBeLessThanOrEqual(28_000 + 200);
    const markdown = exportReplies.map((r) => r.text ?? '').join('');
    expect(markdown).toContain('- `user0@contoso.com (1 method)`');
    expect(markdown).toContain('- … and 2,832 more, not listed here');
  }, 60_000);
});
