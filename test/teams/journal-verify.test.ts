import type { RecoveryCase } from '../../src/domain/case';
import { sealJournal } from '../../src/store/journal-chain';
import { Verb } from '../../src/views/verbs';
import { BotHarness } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';

describe("verify <case id>: the journal is hash-chained with the bot's key", () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  const tamper = async (
    caseId: string,
    edit: (journal: readonly { at: string; by: string; event: string; detail?: string; hash?: string }[]) => typeof journal,
  ): Promise<void> => {
    const key = `cases/${caseId}`;
    const item = (await bot.storage.read([key]))[key] as { value: { journal: { at: string; by: string; event: string; detail?: string; hash?: string }[] } };
    // Edited behind the bot's back, directly in storage, keeping the stored hashes.
    await bot.storage.write({ [key]: { ...item, value: { ...item.value, journal: edit(item.value.journal) }, eTag: '*' } });
  };

  it('says an untouched journal is intact', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const reply = await bot.send(`verify ${c.id}`);
    expect(reply[0]?.text).toBe(`The journal of case ${c.id} is intact: ${c.journal.length} entries, each chained to the one before.`);
    expect(c.journal.every((e) => typeof e.hash === 'string')).toBe(true);
  });

  it.each([
    [
      'an edited entry',
      (j: readonly { event: string; detail?: string }[]) => j.map((e, i) => (i === 2 ? { ...e, detail: 'Recommendation: accidental.' } : e)),
      3,
    ],
    ['a removed entry', (j: readonly unknown[]) => j.filter((_, i) => i !== 1), 2],
    ['two entries swapped', (j: readonly unknown[]) => [j[0], j[2], j[1], ...j.slice(3)], 2],
  ])('detects %s and says where', async (_name, edit, brokenAt) => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    await tamper(c.id, edit as never);
    const reply = await bot.send(`verify ${c.id}`);
    expect(reply[0]?.text).toMatch(new RegExp(`entry ${brokenAt} of \\d+ does not follow .*\\(JOURNAL\\.BROKEN\\)`));
    expect(bot.logs.some((l) => l.message === 'journal chain broken')).toBe(true);
  });

  it("detects an edit whose author recomputed the whole chain without the bot's key", async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const key = `cases/${c.id}`;
    const item = (await bot.storage.read([key]))[key] as { value: RecoveryCase };
    // Someone with write access to the storage changes the recommendation and reseals every entry, with a key of
    // their own (the chain's algorithm is no secret; the bot's key is).
    const edited = item.value.journal.map((e, i) => ({
      at: e.at,
      by: e.by,
      event: e.event,
      ...(i === 2 ? { detail: 'Recommendation: accidental.' } : e.detail ? { detail: e.detail } : {}),
    }));
    const resealed = sealJournal({ ...item.value, journal: edited }, 'an-insider-s-own-key-0123456789abcdefgh');
    await bot.storage.write({ [key]: { ...item, value: resealed, eTag: '*' } });
    const reply = await bot.send(`verify ${c.id}`);
    expect(reply[0]?.text).toMatch(/entry 1 of \d+ does not follow .*\(JOURNAL\.BROKEN\)/);
  });

  it('keeps the chain across later changes (a decision appends, the earlier hashes stay)', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const before = c.journal.map((e) => e.hash);
    await bot.click(Verb.approve, { caseId: c.id, version: c.version }, { from: USERS.alex });
    const after = (await bot.cases.get(c.id))!.value.journal;
    expect(after.slice(0, before.length).map((e) => e.hash)).toEqual(before);
    expect((await bot.send(`verify ${c.id}`))[0]?.text).toMatch(/is intact/);
  });
});
