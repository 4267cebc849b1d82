import { decideApproval } from '../../src/app/approvals';
import { runSteps, startExecution } from '../../src/app/execute-case';
import type { RecoveryCase } from '../../src/domain/case';
import type { CaseDeps } from '../../src/ports/case-services';
import type { Directory } from '../../src/ports/directory';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText, revealedPass } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/** Each kind of Graph failure in a recovery ends in a message with a stable code and a way to resume, which works. */
describe('failures a person can see and resume', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start(undefined, undefined, { retry: { maxRetries: 1, baseDelayMs: 10, attemptTimeoutMs: 200 } });
  });
  afterEach(async () => {
    await bot.stop();
  });

  const current = async (caseId: string): Promise<RecoveryCase> => (await bot.cases.get(caseId))!.value;
  const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
  const threadTexts = (): string[] => bot.poster.writes.map((w) => w.activity.text ?? '').filter(Boolean);

  it('a triage that cannot read the audit log is told in the thread; "status" runs it again', async () => {
    bot.simulator.faults.add({ path: /\/auditLogs\/directoryAudits$/, kind: 'error', status: 503 });
    const text = repliesText(await bot.send(`recover ${USERS.lee.upn}`));
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(text)?.[1] ?? '';
    expect((await current(caseId)).state).toBe('opened');
    expect(threadTexts()).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Triage of case ${caseId} did not finish: Microsoft Graph is temporarily unavailable.*\\(DIRECTORY\\.UNAVAILABLE\\) Type "status ${caseId}" to run it again\\.$`,
        ),
      ),
    );

    bot.simulator.faults.clear();
    const status = repliesText(await bot.send(`status ${caseId}`));
    expect(status).toContain(`Case ${caseId} has no triage yet; running it again now.`);
    expect((await current(caseId)).state).toBe('triaged');
  });

  const nextStep = (c: RecoveryCase) => c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');

  /** A malicious recovery of Lee up to the step of the given kind, waiting for the agent. */
  async function upTo(kind: 'issueTap' | 'checkMethods'): Promise<RecoveryCase> {
    let c = await bot.caseAwaitingApproval(USERS.lee.upn);
    await bot.click(Verb.approve, data(c, { comment: 'Verified by phone' }), { from: USERS.alex });
    c = await current(c.id);
    c = await bot.identityByFallback(c.id, { note: 'Manager confirmed' });
    await bot.click(Verb.revealPassword, data(c, { stepId: nextStep(c)?.id }));
    c = await current(c.id);
    if (kind === 'issueTap') return c;
    await bot.click(Verb.revealTap, data(c, { stepId: nextStep(c)?.id, tapLifetime: '60', tapOneTime: 'true' }));
    return current(c.id);
  }

  const taps = () => (bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).filter((m) => m.type === 'temporaryAccessPass');

  const signInWith = async (pass: string | undefined): Promise<number | undefined> => {
    const signIn = await fetch(`${bot.simulator.url}/_simulator/users/${USERS.lee.id}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'temporaryAccessPass', temporaryAccessPass: pass }),
    });
    return ((await signIn.json()) as { status?: { errorCode?: number } }).status?.errorCode;
  };

  it('a TAP create whose answer never came: the late pass is waited for and deleted unseen, one more is made, and the agent gets the only pass', async () => {
    let c = await upTo('issueTap');
    // Slower than the client waits (200 ms): the client gives up, the simulated tenant still creates the pass, within
    // the landing window (as long again as the client waited).
    bot.simulator.faults.add({ method: 'POST', path: /temporaryAccessPassMethods$/, kind: 'latency', ms: 300, times: 1 });
    const reveal = await bot.click(Verb.revealTap, data(c, { stepId: nextStep(c)?.id, tapLifetime: '60', tapOneTime: 'true' }));
    c = await current(c.id);
    expect(c.steps?.[c.plan?.find((s) => s.kind === 'issueTap')?.id ?? '']?.detail).toMatch(
      /answer to an earlier create was lost; the pass it made was deleted unseen/,
    );
    expect(taps()).toHaveLength(1);
    expect(await signInWith(revealedPass(reveal.value))).toBe(0);
  });

  it('a TAP create whose answer never came three times is not tried a fourth time; Retry issues one pass, the only one, and it works', async () => {
    let c = await upTo('issueTap');
    bot.simulator.faults.add({ method: 'POST', path: /temporaryAccessPassMethods$/, kind: 'latency', ms: 400, times: 3 });
    const first = await bot.click(Verb.revealTap, data(c, { stepId: nextStep(c)?.id, tapLifetime: '60', tapOneTime: 'true' }));
    expect(String(refusalOf(first))).toMatch(/did not confirm the Temporary Access Pass\. A pass may have been created anyway.*\(DIRECTORY\.TIMEOUT\)$/);
    expect(String(refusalOf(first))).not.toMatch(/Nothing was changed/);
    c = await current(c.id);
    expect(c.state).toBe('failed');
    // The third create lands after the click was answered.
    for (let i = 0; i < 50 && taps().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(taps()).toHaveLength(1);
    const unseen = taps()[0]?.id;

    await bot.click(Verb.retryStep, data(c, { stepId: nextStep(c)?.id }));
    c = await current(c.id);
    const reveal = await bot.click(Verb.revealTap, data(c, { stepId: nextStep(c)?.id, tapLifetime: '60', tapOneTime: 'true' }));
    expect(taps()).toHaveLength(1);
    expect(taps()[0]?.id).not.toBe(unseen);
    expect(await signInWith(revealedPass(reveal.value))).toBe(0);
  });

  it('a validation that cannot read Graph is told in the thread; "Re-check validation" runs it again', async () => {
    let c = await upTo('checkMethods');
    expect(nextStep(c)?.kind).toBe('checkMethods');
    await fetch(`${bot.simulator.url}/_simulator/users/${USERS.lee.id}/register-method`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'fido2', displayName: 'New key' }),
    });
    bot.simulator.faults.add({ path: /\/identity\/conditionalAccess\/policies$/, kind: 'error', status: 504 });
    await bot.click(Verb.confirmGuided, data(c, { stepId: nextStep(c)?.id }));
    c = await current(c.id);
    expect(c.state).toBe('validating');
    expect(c.validation).toBeUndefined();
    expect(threadTexts()).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Validation of case ${c.id} did not finish: Microsoft Graph did not answer in time.*\\(DIRECTORY\\.TIMEOUT\\) Click "Re-check validation"`),
      ),
    );

    bot.simulator.faults.clear();
    await bot.click(Verb.recheck, data(c));
    expect((await current(c.id)).validation?.some((k) => k.name === 'Conditional Access')).toBe(true);
  });
});

describe('a step that outlives its deadline', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start(undefined, undefined, { retry: { maxRetries: 0, attemptTimeoutMs: 5_000 }, stepDeadlineMs: 300 });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('is recorded as failed with DIRECTORY.TIMEOUT and a Retry; Retry finishes it', async () => {
    let c = await bot.caseAwaitingApproval(USERS.lee.upn);
    // The first method delete hangs for a second: longer than the step may take, shorter than Graph's own limit.
    bot.simulator.faults.add({ method: 'DELETE', path: /\/authentication\//, kind: 'latency', ms: 1_000, times: 1 });
    await bot.click(Verb.approve, { caseId: c.id, version: c.version, comment: 'Verified by phone' }, { from: USERS.alex });
    c = (await bot.cases.get(c.id))!.value;
    expect(c.state).toBe('failed');
    const step = c.plan?.find((s) => s.kind === 'removeAllMethods');
    expect(c.steps?.[step?.id ?? '']).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/^The step did not finish within 300 ms, so it was stopped\..*Retry repeats the step.*\(DIRECTORY\.TIMEOUT\)$/),
    });

    // The abandoned work ends on its own; Retry then checks and completes the step.
    const left = () => (bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).filter((m) => m.type !== 'password').length;
    for (let i = 0; i < 50 && left() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await bot.click(Verb.retryStep, { caseId: c.id, version: c.version, stepId: step?.id });
    c = (await bot.cases.get(c.id))!.value;
    expect(c.steps?.[step?.id ?? '']?.status).toBe('done');
    expect(left()).toBe(0);
    expect(c.state).toBe('executing');
  });
});

describe('a step stopped by a bug rather than by Graph', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('is recorded as failed with a correlation id only (the log has the rest), and Retry completes it', async () => {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn);
    const real = bot.caseDeps();
    const broken: CaseDeps = {
      ...real,
      directory: Object.assign(Object.create(real.directory) as Directory, {
        revokeSessions: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id') for lee@contoso.com")),
      }),
    };
    expect((await decideApproval(broken, { caseId: c.id, by: { aadObjectId: USERS.alex.id, name: USERS.alex.name }, decision: 'approve' })).ok).toBe(true);
    expect((await startExecution(broken, { caseId: c.id, by: { aadObjectId: USERS.megan.id, name: USERS.megan.name } })).ok).toBe(true);
    // The run, as the background work after the click does it.
    const ran = await runSteps(broken, c.id);
    expect(ran.ok).toBe(true);
    let stored = (await bot.cases.get(c.id))!.value;
    expect(stored.state).toBe('failed');
    const step = stored.plan?.find((s) => s.kind === 'revokeSessions');
    const detail = stored.steps?.[step?.id ?? '']?.detail ?? '';
    expect(detail).toMatch(
      /^An unexpected error stopped this step \(reference ERR-[0-9A-F]{8}\); nothing after it ran\. Retry repeats it;.*\(STEP\.UNEXPECTED\)$/,
    );
    expect(detail).not.toMatch(/TypeError|Cannot read|lee@contoso/);
    const reference = /ERR-[0-9A-F]{8}/.exec(detail)?.[0];
    expect(bot.logs).toContainEqual(
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ correlationId: reference, error: 'TypeError', stack: expect.any(String) }) }),
    );

    await bot.click(Verb.retryStep, { caseId: c.id, version: stored.version, stepId: step?.id });
    stored = (await bot.cases.get(c.id))!.value;
    expect(stored.steps?.[step?.id ?? '']?.status).toBe('done');
    expect(bot.simulator.tenant.users.get(USERS.lee.id)?.signInSessionsValidFromDateTime).toBeDefined();
  });
});
