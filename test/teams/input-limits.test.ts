import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUT_LIMITS } from '../../src/teams/card-action';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/** Every Input.Text of every card template, with its id and maxLength. */
function textInputs(): { card: string; id: string; maxLength: unknown }[] {
  const found: { card: string; id: string; maxLength: unknown }[] = [];
  const walk = (card: string, node: unknown): void => {
    if (Array.isArray(node)) node.forEach((n) => walk(card, n));
    else if (node && typeof node === 'object') {
      const r = node as Record<string, unknown>;
      if (r.type === 'Input.Text' && typeof r.id === 'string') found.push({ card, id: r.id, maxLength: r.maxLength });
      Object.values(r).forEach((v) => walk(card, v));
    }
  };
  const dir = join(__dirname, '..', '..', 'cards');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) walk(file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return found;
}

describe('input limits: a clear refusal, nothing changed', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('the server limits every typed card input exactly as the card\u2019s maxLength does', () => {
    const inputs = textInputs();
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) expect({ ...input, limit: INPUT_LIMITS[input.id] }).toEqual({ ...input, limit: input.maxLength });
  });

  it('refuses a message longer than a command can be, and stores nothing', async () => {
    const before = (await bot.cases.ids()).length;
    const text = repliesText(await bot.send(`recover ${'a'.repeat(1200)}@contoso.com`));
    expect(text).toBe('That message is 1220 characters; a command is at most 1000. Nothing was done. Type "help" for the commands. (INPUT.TOO_LONG)');
    expect((await bot.cases.ids()).length).toBe(before);
  });

  it('answers an unknown command with what it did not understand and the help card', async () => {
    const replies = await bot.send('please reset lee');
    expect(replies[0]?.text).toBe(`I don't know the command "please reset lee". Here is what I can do:`);
    expect(repliesText(replies)).toMatch(/recover/);
    expect(replies[1]?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('refuses an approval comment over 500 characters: no decision, the case unchanged', async () => {
    const c = await bot.caseAwaitingApproval(USERS.adele.upn, 'accidental');
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version, comment: 'x'.repeat(501) }, { from: USERS.alex });
    expect(refusalOf(answer)).toBe('"comment" is 501 characters; at most 500 are accepted. Shorten it and click again. Nothing was changed. (INPUT.TOO_LONG)');
    const after = (await bot.cases.get(c.id))!.value;
    expect(after.state).toBe('awaitingApproval');
    expect(after.stateVersion).toBe(c.stateVersion);
    expect(after.approval).toEqual(c.approval);
    // Exactly at the limit is accepted.
    const ok = await bot.click(Verb.approve, { caseId: c.id, version: c.version, comment: 'y'.repeat(500) }, { from: USERS.alex });
    expect(refusalOf(ok)).toBeUndefined();
  });

  it('does not echo the name of a field no card has', async () => {
    const c = await bot.caseAwaitingApproval(USERS.johanna.upn, 'malicious');
    const answer = await bot.click(Verb.approve, { caseId: c.id, version: c.version, '<b>injected</b>': 'z'.repeat(300) }, { from: USERS.alex });
    expect(refusalOf(answer)).toBe('An input is 300 characters; at most 200 are accepted. Shorten it and click again. Nothing was changed. (INPUT.TOO_LONG)');
  });
});
