import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';

describe('recover, status and help through the real Application against the simulated tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const storedCaseIds = async (): Promise<string[]> =>
    Object.keys(
      await bot.storage.read([
        'cases/RC-00000001',
        'cases/RC-00000002',
        'cases/RC-00000003',
        'cases/RC-00000004',
        'cases/RC-00000005',
        'cases/RC-00000006',
        'cases/RC-00000007',
        'cases/RC-00000008',
      ]),
    );

  it('posts the intake card for an active user with live data from the simulator', async () => {
    const replies = await bot.send('recover adele@contoso.com');
    expect(replies).toHaveLength(1);
    const card = replies[0]?.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const text = repliesText(replies);
    expect(text).toMatch(/^SIMULATED TENANT/m);
    expect(text).toContain('Adele Vance (adele@contoso.com)');
    expect(text).toContain('Active');
    expect(text).toContain(USERS.adele.id);
    // Her FIDO2 key and email survive in the seed; the Authenticator and phone were deleted by the HR app.
    expect(text).toContain('FIDO2 security key / passkey');
    expect(text).toContain('Email');
    expect(text).not.toContain('Microsoft Authenticator');
    expect(text).toMatch(/Last sign-in[\s\S]*UTC/);
    expect(text).toContain('Requested by');
    expect(text).toContain('Megan Bowen');

    const caseId = /Recovery case (RC-\d{8})/.exec(text)?.[1];
    expect(caseId).toBeDefined();
    const stored = await bot.cases.get(caseId!);
    // Triage (step 1) follows the intake card in the background.
    expect(stored?.value).toMatchObject({
      state: 'triaged',
      target: { id: USERS.adele.id, userPrincipalName: 'adele@contoso.com' },
      requester: { aadObjectId: USERS.megan.id },
    });
    expect(stored?.value.thread.conversationId).toBe('19:recoveries@thread.tacv2;messageid=1700000000000');
    expect(stored?.value.journal[0]?.event).toBe('Case opened');
  });

  it('accepts the object id as well as the UPN, and strips a mention and mailto link; one open case per user', async () => {
    const opened = repliesText(await bot.send(`recover ${USERS.johanna.id}`));
    expect(opened).toContain('Johanna Lorenz (johanna@contoso.com)');
    const caseId = /Recovery case (RC-\d{8})/.exec(opened)?.[1] ?? '';
    // The same user again, typed as Teams renders a mention and an address: the open case is named, none is created.
    const again = await bot.send('<at>Entra Recovery</at> recover <a href="mailto:johanna@contoso.com">johanna@contoso.com</a>');
    expect(again[0]?.text).toMatch(new RegExp(`Case ${caseId} for johanna@contoso.com is already open .*opened by Megan Bowen.*\\(CASE\\.ALREADY_OPEN\\)`));
    expect(again[0]?.attachments ?? []).toHaveLength(0);
  });

  it('shows a soft-deleted user with the deletion date and no methods', async () => {
    const text = repliesText(await bot.send('recover diego@contoso.com'));
    expect(text).toContain('Diego Siciliani (diego@contoso.com)');
    expect(text).toMatch(/Soft-deleted on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(text).toContain('cannot be read until the user is restored');
  });

  it('shows a hard-deleted user known only from the audit log', async () => {
    const text = repliesText(await bot.send('recover isaiah@contoso.com'));
    expect(text).toContain('isaiah@contoso.com');
    expect(text).toMatch(/hard-deleted on .* known only from audit records/);
    expect(text).toContain('every method must be registered anew');
  });

  it('flags a privileged target with its directory role', async () => {
    const text = repliesText(await bot.send('recover nestor@contoso.com'));
    expect(text).toContain('Privileged Authentication Administrator');
    expect(text).toContain('Privileged target');
  });

  it('answers an unknown user clearly and stores nothing', async () => {
    const before = await storedCaseIds();
    const replies = await bot.send('recover nobody@contoso.com');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.attachments ?? []).toHaveLength(0);
    expect(replies[0]?.text).toMatch(/No user "nobody@contoso.com" exists .* \(TARGET\.NOT_FOUND\)/);
    expect(await storedCaseIds()).toEqual(before);
  });

  it.each([
    ['recover', /Tell me who to recover/],
    ['recover adele', /neither a user principal name nor an object id/],
    ['recover adele@contoso.com lee@contoso.com', /exactly one user/],
  ])('answers malformed input %j with the usage and stores nothing', async (input, message) => {
    const before = await storedCaseIds();
    const replies = await bot.send(input);
    expect(replies[0]?.text).toMatch(message);
    expect(replies[0]?.text).toContain('(INPUT.MALFORMED)');
    expect(await storedCaseIds()).toEqual(before);
  });

  it('refuses someone outside the helpdesk groups, checked through Graph', async () => {
    const before = await storedCaseIds();
    const replies = await bot.send('recover adele@contoso.com', { from: USERS.alex });
    expect(replies[0]?.text).toContain('(REQUESTER.NOT_ALLOWED)');
    expect(await storedCaseIds()).toEqual(before);
  });

  it('refuses a message with no Entra identity', async () => {
    expect((await bot.send('recover adele@contoso.com', { from: null }))[0]?.text).toContain('(REQUESTER.UNKNOWN)');
  });

  it('refuses a recovery of the requester’s own account', async () => {
    expect((await bot.send('recover megan@contoso.com'))[0]?.text).toContain('(REQUESTER.IS_TARGET)');
  });

  it('ignores activities from another tenant and says so', async () => {
    const before = await storedCaseIds();
    const replies = await bot.send('recover adele@contoso.com', { tenantId: '00000000-0000-4000-8000-000000000000' });
    expect(replies[0]?.text).toContain('(TENANT.FOREIGN)');
    expect(await storedCaseIds()).toEqual(before);
    expect(bot.logs.some((l) => l.level === 'warn' && /another tenant/.test(l.message))).toBe(true);
  });

  it('shows a case again with status, only in its own conversation', async () => {
    const caseId = (await bot.cases.openCaseFor(USERS.johanna.id))?.id ?? '';
    expect(caseId).toMatch(/^RC-/);
    expect(repliesText(await bot.send(`status ${caseId.toLowerCase()}`, { conversationId: '19:recoveries@thread.tacv2;messageid=42' }))).toContain(
      `Status of case ${caseId}`,
    );
    expect(repliesText(await bot.send(`status ${caseId}`, { from: USERS.alex }))).toContain(`Status of case ${caseId}`);
    expect((await bot.send(`status ${caseId}`, { conversationId: '19:other@thread.tacv2' }))[0]?.text).toContain('(CASE.NOT_FOUND)');
    expect((await bot.send(`status ${caseId}`, { from: USERS.adele }))[0]?.text).toContain('(REQUESTER.NOT_ALLOWED)');
    expect((await bot.send('status 42'))[0]?.text).toContain('(INPUT.MALFORMED)');
  });

  it('lists the commands on help, and on unknown input', async () => {
    const help = repliesText(await bot.send('help'));
    expect(help).toContain('**recover** _user principal name or object id_');
    expect(help).toContain('**status** _case id_');
    const unknown = await bot.send('disapprove everything');
    expect(unknown[0]?.text).toContain('I don\'t know the command "disapprove everything"');
    expect(repliesText(unknown)).toContain('**recover** _user principal name or object id_');
  });

  it('turns a Graph outage into a message with the request id, and changes nothing', async () => {
    bot.simulator.faults.add({ path: /\/users\/adele@contoso\.com$/, kind: 'error', status: 500, times: 5 });
    try {
      const replies = await bot.send('recover adele@contoso.com');
      expect(replies[0]?.text).toMatch(
        /Microsoft Graph is temporarily unavailable.*Graph request id: [\w-]+\. Nothing was changed\. \(DIRECTORY\.UNAVAILABLE\)/,
      );
      expect(replies[0]?.text).not.toMatch(/innerError|stack/i);
    } finally {
      bot.simulator.faults.clear();
    }
  });

  it('turns a permission failure into DIRECTORY.DENIED', async () => {
    // Megan's membership was read by the earlier tests and is cached for 60 s, as in a running bot: a minute later
    // the bot reads it again and meets the 403.
    const earlier = bot.now;
    bot.now = () => new Date(earlier().getTime() + 61_000);
    bot.simulator.faults.add({ path: /checkMemberGroups/, kind: 'error', status: 403, code: 'Authorization_RequestDenied', times: 1 });
    try {
      expect((await bot.send('recover adele@contoso.com'))[0]?.text).toContain('(DIRECTORY.DENIED)');
    } finally {
      bot.simulator.faults.clear();
    }
  });
});

describe('export', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('gives the record as Markdown and JSON to a helpdesk agent in the same conversation, and refuses elsewhere', async () => {
    const opened = repliesText(await bot.send('recover johanna@contoso.com'));
    const caseId = /Recovery case (RC-\d{8})/.exec(opened)?.[1] ?? '';
    const replies = await bot.send(`export ${caseId}`);
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text).toContain(caseId);
    expect(replies[0]?.text).toContain('johanna@contoso.com');
    const json = /```json\n([\s\S]*)```/.exec(replies[1]?.text ?? '')?.[1] ?? '';
    expect(JSON.parse(json)).toMatchObject({ id: caseId, target: { userPrincipalName: 'johanna@contoso.com' } });
    expect((await bot.send(`export ${caseId}`, { conversationId: '19:other@thread.tacv2' }))[0]?.text).toContain('(CASE.NOT_FOUND)');
    expect((await bot.send('export nothing'))[0]?.text).toContain('Usage: **export** _case id_, for example **export RC-7K2M9QXA**.');
  });
});
