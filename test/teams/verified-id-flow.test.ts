import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalKeyFrom } from '../../src/config';
import type { RecoveryCase } from '../../src/domain/case';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { photoClaimValue, subjectDid } from '../../src/simulator/verified-id/wallet';
import { FileStorage } from '../../src/store/file-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { Verb } from '../../src/views/verbs';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY, type InvokeBody, type Person } from '../helpers/bot-over-http';
import { USERS } from '../helpers/demo-ids';
import { waitFor } from '../helpers/spawn-bot';
import { PROCESSES } from '../helpers/test-clock';
import { accepted } from '../helpers/invoke-answers';

/**
 * Issue 17, end to end over HTTP: a demo bot process, the simulated tenant with its simulated Request Service, and a
 * person playing Lee with the wallet controls. The agent's Verify click makes a real presentation request; the link
 * comes back to her alone; the simulator calls the bot back; the bot decides every rule and unlocks the password, or
 * not. Nothing the user's wallet sent beyond the rules' needs (the photo, the subject DID) is kept or posted anywhere.
 */

jest.setTimeout(180_000);

interface WalletRequest {
  readonly requestId: string;
  readonly targetUpns: readonly string[];
  readonly callbacks: readonly { readonly requestStatus: string; readonly outcome: string | number }[];
}

describe('Verified ID with Face Check in a malicious recovery, over HTTP', () => {
  let simulator: RunningSimulator;
  let connector: FakeConnector;
  let folder: string;
  let bot: BotInstance;
  let cases: StorageCaseStore;

  beforeEach(async () => {
    simulator = await startSimulator({ now: PROCESSES.now });
    connector = await FakeConnector.start();
    folder = await mkdtemp(join(tmpdir(), 'entra-recovery-vid-'));
    bot = await BotInstance.start('vid', { SIMULATOR_URL: simulator.url, DATA_DIR: folder }, connector);
    cases = new StorageCaseStore(new FileStorage(folder), journalKeyFrom(TEST_SIGNING_KEY));
  });
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await connector?.close();
    await simulator?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const get = async (id: string): Promise<RecoveryCase> => (await cases.get(id))!.value;
  const must = async (verb: string, c: RecoveryCase, by: Person, extra: Record<string, unknown> = {}): Promise<InvokeBody> => {
    const body = await bot.click(verb, { caseId: c.id, version: c.version, ...extra }, by);
    if (!accepted(body)) throw new Error(`${verb} was refused: ${JSON.stringify(body.value)}`);
    return body;
  };
  const wallet = async (path: string, body?: unknown): Promise<Response> =>
    fetch(`${simulator.url}/_simulator/verifiedid/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  const requests = async (): Promise<WalletRequest[]> => ((await (await wallet('requests')).json()) as { value: WalletRequest[] }).value;
  /** Everything kept or shown outside the agent's own invoke answers: the store, the thread, the bot's log. */
  const everywhere = async (): Promise<string> =>
    [
      ...(await Promise.all((await readdir(folder)).map((f) => readFile(join(folder, f), 'utf8')))),
      ...connector.writes.map((w) => JSON.stringify(w.activity)),
      bot.output(),
    ].join('\n');

  /** Lee's case, malicious, approved by Alex, run up to the identity step; the stepId of that step. */
  async function atIdentity(): Promise<{ c: RecoveryCase; stepId: string }> {
    const replies = await bot.message(`recover ${USERS.lee.upn}`, USERS.megan);
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(replies)?.[1];
    if (!caseId) throw new Error(`no case opened: ${replies}`);
    await waitFor(async () => (await get(caseId)).state === 'triaged', 'triage', 30_000);
    await must(Verb.confirmScenario, await get(caseId), USERS.megan, { scenario: 'malicious' });
    await must(Verb.requestApproval, await get(caseId), USERS.megan);
    await must(Verb.approve, await get(caseId), USERS.alex, { comment: 'Called Lee back on his desk phone' });
    const waiting = async (): Promise<boolean> => {
      const c = await get(caseId);
      return c.plan!.some((s) => s.kind === 'verifyIdentity' && c.steps?.[s.id]?.status === 'waiting');
    };
    await waitFor(waiting, 'the identity step', 60_000);
    const c = await get(caseId);
    return { c, stepId: c.plan!.find((s) => s.kind === 'verifyIdentity')!.id };
  }

  /** The agent clicks Verify; the link card comes back to her; the Request Service knows the request. */
  async function verify(c: RecoveryCase, stepId: string): Promise<WalletRequest> {
    const before = (await requests()).length;
    const answer = await must(Verb.verifiedId, c, USERS.megan, { stepId });
    expect(JSON.stringify(answer.value)).toMatch(/openid-vc:\/\/\?request_uri=/);
    const all = await requests();
    expect(all).toHaveLength(before + 1);
    const request = all[all.length - 1]!;
    expect(request.targetUpns).toEqual([USERS.lee.upn]);
    return request;
  }

  async function delivered(requestId: string, count: number): Promise<void> {
    await waitFor(
      async () => {
        const r = (await requests()).find((x) => x.requestId === requestId);
        return (r?.callbacks.length ?? 0) >= count && r!.callbacks.every((k) => k.outcome !== 'pending');
      },
      'the callbacks to be delivered',
      20_000,
    );
  }

  it('the user presents the card issued before the takeover with a face match of 93: every rule passes and the password is next', async () => {
    const { c, stepId } = await atIdentity();
    const request = await verify(c, stepId);
    expect((await wallet(`requests/${request.requestId}/retrieve`, {})).status).toBeLessThan(300);
    expect((await wallet(`requests/${request.requestId}/present`, { cardId: 'lee-employee', faceScore: 93 })).status).toBeLessThan(300);
    await delivered(request.requestId, 2);
    await waitFor(async () => (await get(c.id)).identityVerification?.kind === 'verifiedId', 'the identity to be verified', 20_000);
    const after = await get(c.id);
    expect(after.verification?.attempts[0]?.callbacks.map((k) => k.status)).toEqual(['request_retrieved', 'presentation_verified']);
    expect(after.verification?.attempts[0]?.decision?.rules.every((r) => r.passed)).toBe(true);
    expect(after.steps?.[stepId]?.status).toBe('done');
    const next = after.plan!.find((s) => after.steps?.[s.id]?.status !== 'done');
    expect(next?.kind).toBe('resetPassword');
    // A replayed callback (the wallet's "duplicate") changes nothing.
    const version = after.version;
    expect((await wallet(`requests/${request.requestId}/duplicate`, {})).status).toBeLessThan(300);
    await delivered(request.requestId, 3);
    expect((await get(c.id)).version).toBe(version);

    const kept = await everywhere();
    expect(kept).not.toContain(photoClaimValue('lee-employee'));
    expect(kept).not.toContain(subjectDid('lee-employee'));
    expect(kept).not.toMatch(/openid-vc:\/\//);
    // The thread saw the status changes.
    expect(connector.writes.map((w) => JSON.stringify(w.activity)).join('\n')).toMatch(/Verified ID request 1/);
  });

  it('a card issued during the takeover fails (the rule says why), a face check below the threshold fails, and the fallback needs one more approver', async () => {
    const { c, stepId } = await atIdentity();
    const first = await verify(c, stepId);
    expect((await wallet(`requests/${first.requestId}/present`, { cardId: 'lee-employee-in-window', faceScore: 95 })).status).toBeLessThan(300);
    await delivered(first.requestId, 1);
    await waitFor(async () => (await get(c.id)).verification?.attempts[0]?.status === 'failed', 'the first attempt to fail', 20_000);
    const failed = (await get(c.id)).verification!.attempts[0]!;
    expect(failed.decision?.rules.find((r) => r.rule === 'issuedBeforeCompromise')).toMatchObject({ passed: false });
    expect(failed.decision?.rules.find((r) => r.rule === 'faceMatch')).toMatchObject({ passed: true });

    const second = await verify(await get(c.id), stepId);
    expect((await wallet(`requests/${second.requestId}/present`, { cardId: 'lee-employee', faceScore: 60 })).status).toBeLessThan(300);
    await delivered(second.requestId, 1);
    await waitFor(async () => (await get(c.id)).verification?.attempts[1]?.status === 'failed', 'the second attempt to fail', 20_000);
    expect((await get(c.id)).verification?.attempts[1]?.failure).toMatch(/claimValidationError/);

    // No secret yet; the fallback: Megan records the manual check, Alex (who approved the plan) may not accept it, Patti does.
    let now = await get(c.id);
    const early = await bot.click(
      Verb.revealPassword,
      { caseId: now.id, version: now.version, stepId: now.plan!.find((s) => s.kind === 'resetPassword')!.id },
      USERS.megan,
    );
    expect(JSON.stringify(early.value)).toMatch(/not available now/);
    await must(Verb.requestFallback, now, USERS.megan, {
      stepId,
      identityMethod: 'Video call with manager',
      identityNote: 'Manager Lynne confirmed Lee on camera',
    });
    now = await get(c.id);
    const byPlanApprover = await bot.click(Verb.approveFallback, { caseId: now.id, version: now.version, stepId }, USERS.alex);
    expect(JSON.stringify(byPlanApprover.value)).toMatch(/CASE\.ALREADY_DECIDED/);
    await must(Verb.approveFallback, now, USERS.patti, { stepId });
    now = await get(c.id);
    expect(now.identityVerification).toMatchObject({ kind: 'fallback', approvedBy: { name: USERS.patti.name } });
    const summary = connector.writes.map((w) => JSON.stringify(w.activity)).join('\n');
    expect(summary).toMatch(/Accepted WITHOUT Verified ID \(fallback\)/);
  });
});
