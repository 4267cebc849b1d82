import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSweepMemory, resumeOpenCases } from '../../src/app/resume-cases';
import type { RecoveryCase } from '../../src/domain/case';
import { apply } from '../../src/domain/workflow';
import { FileStorage } from '../../src/store/file-storage';
import { Verb } from '../../src/views/verbs';
import { BotHarness, revealedPass } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { appToken } from '../helpers/simulator-token';

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
      executionStartedAt: bot.now().toISOString(),
      approval: {
        ...v.approval!,
        decisions: [{ by: { aadObjectId: USERS.alex.id, name: USERS.alex.name }, decision: 'approve', at: bot.now().toISOString() }],
      },
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

  it('a TAP reveal interrupted after Graph made the pass: the step waits again, and the next reveal deletes the pass nobody saw and leaves exactly one', async () => {
    const lee = USERS.lee;
    const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
    const current = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;
    const waiting = (c: RecoveryCase) => c.plan!.find((s) => c.steps?.[s.id]?.status !== 'done')!;
    let c = await bot.caseAwaitingApproval(lee.upn);
    await bot.click(Verb.approve, data(c), { from: USERS.alex });
    c = await current(c.id);
    c = await bot.identityByFallback(c.id);
    await bot.click(Verb.revealPassword, data(c, { stepId: waiting(c).id }));
    c = await current(c.id);
    const tapStep = waiting(c);
    expect(tapStep.kind).toBe('issueTap');

    // The process died after Graph created a pass and before the case recorded it: the step still says running.
    await crashAt(c, (v) => ({ ...v, version: v.version + 1, steps: { ...v.steps, [tapStep.id]: { status: 'running', requestIds: [] } } }));
    const lost = await fetch(`${bot.simulator.url}/v1.0/users/${lee.id}/authentication/temporaryAccessPassMethods`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await appToken(bot.simulator.url)}` },
      body: JSON.stringify({ lifetimeInMinutes: 60, isUsableOnce: true }),
    });
    expect(lost.status).toBe(201);
    const lostPass = ((await lost.json()) as { temporaryAccessPass: string }).temporaryAccessPass;

    await resumeOpenCases(bot.caseDeps(), bot.scheduler, bot.deps().actions!.background);
    await bot.background.idle();
    c = await current(c.id);
    expect(c.steps?.[tapStep.id]?.status).toBe('waiting');

    const reveal = await bot.click(Verb.revealTap, data(c, { stepId: tapStep.id, tapLifetime: '60', tapOneTime: 'true' }));
    const shown = revealedPass(reveal.value);
    expect(shown).toBeDefined();
    expect(shown).not.toBe(lostPass);
    const taps = (bot.simulator.tenant.methods.get(lee.id) ?? []).filter((m) => m.type === 'temporaryAccessPass');
    expect(taps).toHaveLength(1);
    const signIn = async (pass: string) =>
      (
        (await (
          await fetch(`${bot.simulator.url}/_simulator/users/${lee.id}/sign-in`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ method: 'temporaryAccessPass', temporaryAccessPass: pass }),
          })
        ).json()) as { status: { errorCode: number } }
      ).status.errorCode;
    expect(await signIn(lostPass)).not.toBe(0);
    expect(await signIn(shown!)).toBe(0);
    const done = (await current(c.id)).steps?.[tapStep.id];
    expect(done?.status).toBe('done');
    expect(done?.detail).toMatch(/nobody in this case was shown .* was deleted first/);
  });

  it('starts an approved case whose start was lost (the process died between the quorum and the start)', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const decided = await bot.caseDeps().cases.get(c.id);
    // The quorum as the workflow records it, without the start that should have followed.
    const approved = apply(decided!.value, { type: 'approve', by: { aadObjectId: USERS.alex.id, name: USERS.alex.name } }, bot.now());
    if (!approved.ok) throw new Error(approved.message);
    await crashAt(c, () => approved.value.case);
    expect((await bot.cases.get(c.id))!.value.state).toBe('approved');

    const report = await resumeOpenCases(bot.caseDeps(), bot.scheduler, bot.deps().actions!.background);
    expect(report.runs).toEqual([c.id]);
    await bot.background.idle();
    const after = (await bot.cases.get(c.id))!.value;
    expect(after.state).toBe('executing');
    expect(after.journal.filter((j) => j.event === 'Execution started')).toEqual([expect.objectContaining({ by: USERS.megan.name })]);
    expect((bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).map((m) => m.type)).toEqual(['password']);
  });

  it('expires at once an approval request whose deadline passed while the bot was down', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    bot.now = () => new Date(Date.parse(c.approval!.expiresAt) + 60_000);
    const report = await resumeOpenCases(bot.caseDeps(), bot.scheduler, bot.deps().actions!.background);
    expect(report.approvals).toEqual([c.id]);
    await bot.scheduler.runUntil(bot.now());
    expect((await bot.cases.get(c.id))!.value.state).toBe('expired');
  });

  it('the periodic sweep takes over a run idle past the limit (its instance died), leaves a live one alone, and holds approval timers once', async () => {
    const running = await bot.caseAwaitingApproval(USERS.lee.upn);
    const removal = running.plan!.find((s) => s.kind === 'removeAllMethods')!;
    const startedAt = bot.now().toISOString();
    await crashAt(running, (v) => ({
      ...v,
      state: 'executing',
      version: v.version + 3,
      stateVersion: v.version + 3,
      executionStartedAt: startedAt,
      steps: { ...v.steps, [removal.id]: { status: 'running', requestIds: [], at: startedAt } },
      journal: [...v.journal, { at: startedAt, by: 'bot', event: 'Step started: Remove every authentication method' }],
    }));
    const waiting = await bot.caseAwaitingApproval(USERS.adele.upn, 'accidental', 'Test: accidental on purpose');
    const memory = newSweepMemory();
    const runs: string[] = [];
    const background = (id: string, work: 'triage' | 'run') => void (work === 'run' && runs.push(id));
    const sweep = (afterMs: number) => {
      bot.now = () => new Date(Date.parse(startedAt) + afterMs);
      return resumeOpenCases(bot.caseDeps(), bot.scheduler, background, 5 * 60_000, memory);
    };
    const pendingBefore = bot.scheduler.pending.length;

    expect(await sweep(60_000)).toEqual({ triage: [], approvals: [waiting.id], runs: [] });
    expect(await sweep(2 * 60_000)).toEqual({ triage: [], approvals: [], runs: [] });
    expect(bot.scheduler.pending.length - pendingBefore).toBe(3); // one reminder, one escalation, one expiry: not again on the second sweep
    expect(await sweep(6 * 60_000)).toEqual({ triage: [], approvals: [], runs: [running.id] });
    expect(runs).toEqual([running.id]);
  });

  it('the sweep remembers closed cases and does not read them again', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    await crashAt(c, (v) => ({ ...v, state: 'cancelled', version: v.version + 1, stateVersion: v.version + 1 }));
    const memory = newSweepMemory();
    await resumeOpenCases(bot.caseDeps(), bot.scheduler, () => undefined, 0, memory);
    expect(memory.closed.has(c.id)).toBe(true);
    const reads = jest.spyOn(bot.cases, 'get');
    await resumeOpenCases(bot.caseDeps(), bot.scheduler, () => undefined, 0, memory);
    expect(reads.mock.calls.filter(([id]) => id === c.id)).toHaveLength(0);
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
