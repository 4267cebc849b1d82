import type { Activity } from 'botbuilder';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { parseProblems, textsOf } from '../helpers/card-checks';
import { USERS } from '../helpers/demo-ids';
import { demoSeedWithUsers } from '../helpers/large-tenant';

const MAX_ACTIVITY_BYTES = 28 * 1024;
const bytes = (activity: Partial<Activity>): number => Buffer.byteLength(JSON.stringify(activity), 'utf8');
const cardOf = (posted: Partial<Activity>[]): Record<string, unknown> => {
  const content = posted[0]?.attachments?.[0]?.content as Record<string, unknown> | undefined;
  if (!content) throw new Error(`no card in ${JSON.stringify(posted)}`);
  return content;
};

/**
 * Sends a command; returns the turn's replies and what was posted into the thread after it (the report is read after
 * the reply, because a large tenant takes longer than Teams waits). `send` waits for that background work.
 */
async function ask(
  bot: BotHarness,
  text: string,
  options: Parameters<BotHarness['send']>[1] = {},
): Promise<{ replies: Partial<Activity>[]; posted: Partial<Activity>[] }> {
  const before = bot.poster.writes.length;
  const replies = (await bot.send(text, options)).filter((r) => r.type === 'message');
  return { replies, posted: bot.poster.writes.slice(before).map((w) => w.activity) };
}

describe('readiness through the real Application against the simulated tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });
  afterEach(() => bot.simulator.faults.clear());

  it('posts one card with each check, its status and a fix link: the demo tenant fails four, warns on one, passes seven, and one is to check by hand', async () => {
    const { replies, posted } = await ask(bot, 'readiness');
    expect(repliesText(replies)).toBe("Reading the tenant's readiness; the card follows here in a moment.");
    expect(posted).toHaveLength(1);
    const card = cardOf(posted);
    expect(card.version).toBe('1.5');
    expect(parseProblems(card)).toEqual([]);
    expect(bytes(posted[0]!)).toBeLessThan(MAX_ACTIVITY_BYTES);
    const texts = textsOf(card);
    const text = texts.join('\n');
    expect(text).toContain('Recovery readiness');
    expect(texts.filter((t) => t === '❌ Fail')).toHaveLength(4);
    expect(texts.filter((t) => t === '⚠️ Warn')).toHaveLength(1);
    // Six from the tenant, and the demo bot's Verified ID set-up; the Face Check add-on cannot be read, so it is to check by hand.
    expect(texts.filter((t) => t === '✅ Pass')).toHaveLength(7);
    expect(text).toContain('1 recovery profile(s) enabled in Production with Face Check.');
    expect(texts.filter((t) => t === '📝 Check by hand')).toHaveLength(1);
    expect(text).toContain(
      'VerifiedEmployee from 1 accepted issuer(s) (the tenant\u2019s own), linked domain contoso.com, Face Check threshold 85 (API default 70).',
    );
    expect(text).toContain('Cannot be read by the bot: check that Entra admin center > Verified ID > Overview shows the Face Check add-on');
    expect(text).toContain('1 of 10 users (10%) have fewer than two methods.');
    expect(text).toContain('AA 2 permanent, 2 through PIM; PAA 1 permanent, 1 through PIM.');
    expect(text).toContain('microsoft.directory/deletedItems/delete is not a protected action');
    // Every check links to its fix; failures and warnings also to the guidance's recommendation.
    expect(texts.filter((t) => t.startsWith('Fix: ['))).toHaveLength(13);
    expect(
      texts.filter(
        (t) => t.includes('](https://learn.microsoft.com/en-us/entra/backup/recover-user-secrets#preparation-and-prevention)') && t.startsWith('Fix:'),
      ),
    ).toHaveLength(5);
    // Counts, not names: the card names nobody.
    expect(text).not.toContain('ravi.admin@contoso.com');
  });

  it('exports the report as Markdown with the names behind the counts', async () => {
    const { posted } = await ask(bot, 'readiness export');
    expect(posted).toHaveLength(1);
    const markdown = posted[0]?.text ?? '';
    expect(posted[0]?.textFormat).toBe('markdown');
    expect(markdown).toContain('# Recovery readiness');
    expect(markdown).toContain('| ❌ Fail | Users with fewer than two methods | 1 of 10 users (10%) have fewer than two methods. |');
    expect(markdown).toContain('- `ravi.admin@contoso.com (1 method)`');
    expect(markdown).toContain('- `Privileged Authentication Administrator: nestor@contoso.com (permanent)`');
    expect(markdown).toContain('- `Authentication Administrator: megan@contoso.com (activated)`');
    expect(markdown).toContain('- Fix: [Deploy phishing-resistant passwordless authentication, admins first](https://learn.microsoft.com/');
  });

  it('is for helpdesk agents and approvers only, and reads nothing for anyone else', async () => {
    const approver = await ask(bot, 'readiness', { from: { id: USERS.alex.id, name: USERS.alex.name } });
    expect(textsOf(cardOf(approver.posted))).toContain('Recovery readiness');
    // Anyone else is refused in the turn and nothing is read: a fault on every readiness source would show otherwise.
    bot.simulator.faults.add({ path: /reports|roleManagement|conditionalAccess|authenticationMethodsPolicy/, kind: 'error', status: 500, times: 1 });
    const outsider = await ask(bot, 'readiness export', { from: { id: USERS.lee.id, name: USERS.lee.name } });
    expect(repliesText(outsider.replies)).toBe('Only helpdesk agents and security approvers can read the readiness report. (REQUESTER.NOT_ALLOWED)');
    expect(outsider.posted).toEqual([]);
    expect(bot.simulator.faults.list().map((f) => f.remaining)).toEqual([1]);
    const foreign = await ask(bot, 'readiness', { tenantId: 'another-tenant' });
    expect(repliesText(foreign.replies)).toContain('(TENANT.FOREIGN)');
    expect(foreign.posted).toEqual([]);
  });

  it('turns a missing permission into "cannot read: needs X" for one source and still reports the rest', async () => {
    bot.simulator.faults.add({ path: /\/reports\/authenticationMethods\//, kind: 'error', status: 403 });
    const texts = textsOf(cardOf((await ask(bot, 'readiness')).posted));
    expect(texts.filter((t) => t === '🔒 Cannot read')).toHaveLength(3);
    expect(texts.filter((t) => t === 'Cannot read: needs AuditLog.Read.All.')).toHaveLength(3);
    expect(texts).toContain('Temporary Access Pass policy');
    expect(texts.filter((t) => t === '✅ Pass')).toHaveLength(6);
  });

  it('answers other arguments with the usage', async () => {
    const { replies, posted } = await ask(bot, 'readiness now please');
    expect(repliesText(replies)).toContain('Usage: `readiness`');
    expect(posted).toEqual([]);
  });
});

describe('readiness with 10,000 users', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start(demoSeedWithUsers(10_000 - 10));
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('keeps the card within Teams limits with counts only, and puts the lists in the export', async () => {
    const cardPosts = (await ask(bot, 'readiness')).posted;
    const card = cardOf(cardPosts);
    const size = bytes(cardPosts[0]!);
    expect(size).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(parseProblems(card)).toEqual([]);
    const text = textsOf(card).join('\n');
    // 3,330 generated phone-only users (every third of 9,990) plus Ravi.
    expect(text).toContain('3,331 of 10,000 users (33.3%) have fewer than two methods.');
    expect(text).not.toMatch(/user\d+@contoso\.com/);

    const exportReplies = (await ask(bot, 'readiness export')).posted;
    expect(exportReplies.length).toBeGreaterThan(1);
    expect(exportReplies.length).toBeLessThanOrEqual(4);
    for (const reply of exportReplies) expect((reply.text ?? '').length).toBeLessThanOrEqual(28_000 + 200);
    const markdown = exportReplies.map((r) => r.text ?? '').join('');
    expect(markdown).toContain('- `user0@contoso.com (1 method)`');
    expect(markdown).toContain('- … and 2,832 more, not listed here');
  }, 60_000);
});
