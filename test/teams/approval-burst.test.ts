import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemoSeed, type TenantSeed } from '../../src/simulator';
import { FileStorage } from '../../src/store/file-storage';
import { Verb } from '../../src/views/verbs';
import { BotHarness } from '../helpers/bot-harness';
import { BotProcess, CaseDriver, invokeText, seedUser, type Person } from '../helpers/adversary';
import { GROUPS, USERS } from '../helpers/demo-ids';
import { accepted } from '../helpers/invoke-answers';

/**
 * Issue 15, defect 3: a burst of 20 simultaneous Approve clicks on one case that needs one approval left it "approved
 * (not started)" for ever, and only 5 of the 19 refused clicks reached the journal. On the file store the bot uses by
 * default, the quorum must start the recovery once, and every refused click must be in the journal.
 */

const APPROVERS = 20;
const hex = (n: number): string => n.toString(16).padStart(2, '0');
const approvers: Person[] = Array.from({ length: APPROVERS }, (_, i) => ({
  id: `9a1b7c20-04${hex(i)}-4e8a-9c11-0000000004${hex(i)}`,
  name: `Burst Approver ${String(i + 1).padStart(2, '0')}`,
}));

function burstSeed(): TenantSeed {
  const seed = loadDemoSeed();
  const group = seed.groups?.find((g) => g.id === GROUPS.approvers);
  if (!group) throw new Error('no approvers group in the demo seed');
  for (const a of approvers) {
    seed.users.push(seedUser(seed, a.id, `${a.name.toLowerCase().replaceAll(' ', '')}@contoso.com`, a.name));
    (group.members ??= []).push(a.id);
  }
  return seed;
}

describe('a burst of Approve clicks on one case, on the file store', () => {
  let bot: BotHarness;
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'approval-burst-'));
    bot = await BotHarness.start(burstSeed(), new FileStorage(folder));
  });
  afterAll(async () => {
    await bot.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('reaches the quorum once, starts the recovery once, and journals every refused click', async () => {
    const drive = new CaseDriver(bot);
    const caseId = await drive.awaiting(USERS.lee.upn);
    const c = await drive.get(caseId);
    expect(c.approval?.required).toBe(1);
    const running = new BotProcess(bot);
    const answers = await Promise.all(
      approvers.map((by) => running.click(Verb.approve, { caseId, version: c.version, comment: `approved by ${by.name}` }, by)),
    );
    const done = answers.filter((a) => accepted(a));
    const refused = answers.filter((a) => !accepted(a)).map(invokeText);
    // Every click is answered: one decision, the others told why (or shown the current card).
    expect(done.length + refused.length).toBe(APPROVERS);
    for (const r of refused) expect(r).toMatch(/\((CASE\.ALREADY_DECIDED|CASE\.BUSY|CARD\.STALE)\)$/);

    // The background run finishes the automatic steps; then the case waits for the agent.
    await bot.background.idle();
    const after = await drive.get(caseId);
    expect(after.approval?.decisions).toHaveLength(1);
    const events = after.journal.map((j) => j.event);
    expect(events.filter((e) => e === 'Approval quorum reached')).toHaveLength(1);
    expect(events.filter((e) => e === 'Execution started')).toHaveLength(1);
    expect(after.state).toBe('executing');
    // Every click that did not decide is in the record, by whom and why.
    const refusedInJournal = after.journal.filter((j) => j.event === `Refused: ${Verb.approve}`);
    expect(refusedInJournal).toHaveLength(refused.length);
    expect(new Set(refusedInJournal.map((j) => j.by)).size).toBe(refused.length);
  });
});
