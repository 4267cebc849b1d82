import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeOpenCases } from '../../src/app/resume-cases';
import type { RecoveryCase } from '../../src/domain/case';
import { FileStorage } from '../../src/store/file-storage';
import { BotHarness } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';

/**
 * A stop in the middle: the case file says a step was running. At start-up the sweep picks it up and finishes the
 * step once, idempotently; an approval whose deadline passed while the bot was down expires at once.
 */
describe('resuming open cases at start-up (file storage)', () => {
  let folder: string;
  let bot: BotHarness;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'entra-recovery-resume-'));
    bot = await BotHarness.start(undefined, new FileStorage(folder));
  });
  afterEach(async () => {
    await bot.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const crashAt = async (c: RecoveryCase, change: (c: RecoveryCase) => RecoveryCase): Promise<void> => {
    const stored = await bot.cases.get(c.id);
    const saved = await bot.cases.replace(change(stored!.value), stored!.eTag);
    if (saved === 'conflict') throw new Error('conflict');
  };

  it('finishes a removal that was running when the bot stopped, removing every method exactly once', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const removal = c.plan!.find((s) => s.kind === 'removeAllMethods')!;
    // As if Alex's approval had started the run and the process died during the removal.
    await crashAt(c, (v) => ({
      ...v,
      state: 'executing',
      version: v.version + 3,
      stateVersion: v.version + 3,
      executionStartedAt: new Date().toISOString(),
      approval: { ...v.approval!, decisions: [{ by: { aadObjectId: USERS.alex.id, name: USERS.alex.name }, decision: 'approve', at: new Date().toISOString() }] },
      steps: { ...v.steps, [removal.id]: { status: 'running', requestIds: [] } },
    }));
    expect((bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).length).toBeGreaterThan(1);

    const report = await resumeOpenCases(bot.caseDeps(), bot.scheduler, bot.deps().actions!.background);
    await bot.background.idle();
    expect(report.runs).toEqual([c.id]);
    expect((bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).map((m) => m.type)).toEqual(['password']);
    const after = (await bot.cases.get(c.id))!.value;
    expect(after.steps?.[removal.id]?.status).toBe('done');
    expect(after.journal.filter((j) => j.event.startsWith('Step done: Remove every authentication method'))).toHaveLength(1);
    expect(after.plan?.find((s) => after.steps?.[s.id]?.status === 'waiting')?.kind).toBe('verifyIdentity');
  });

  it('expires at once an approval request whose deadline passed while the bot was down', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    bot.now = () => new Date(Date.parse(c.approval!.expiresAt) + 60_000);
    const report = await resumeOpenCases(bot.caseDeps(), bot.scheduler, bot.deps().actions!.background);
    expect(report.approvals).toEqual([c.id]);
    await bot.scheduler.runUntil(bot.now());
    expect((await bot.cases.get(c.id))!.value.state).toBe('expired');
  });

  it('finds the cases after a restart: a new store on the same folder lists them', async () => {
    const c = await bot.caseAwaitingApproval(USERS.adele.upn, 'accidental');
    const again = await BotHarness.start(undefined, new FileStorage(folder));
    try {
      expect(await again.cases.ids()).toContain(c.id);
      expect((await again.cases.get(c.id))?.value.state).toBe('awaitingApproval');
    } finally {
      await again.stop();
    }
  });
});
