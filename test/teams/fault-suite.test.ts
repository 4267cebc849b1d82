import type { RecoveryCase } from '../../src/domain/case';
import { DEFAULT_RETRY_POLICY } from '../../src/entra/retry-middleware';
import { digest } from '../../src/simulator/password-policy';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText, revealedPass } from '../helpers/bot-harness';
import { verbsOf } from '../helpers/card-checks';
import { USERS } from '../helpers/demo-ids';
import { copyId, copyUpn, seedWithCopies } from '../helpers/many-targets-seed';
import { accepted } from '../helpers/invoke-answers';

/** Copies of Lee Gu (active, attacked) and Diego Siciliani (soft-deleted: restored first), alternating. */
const TARGETS = [USERS.lee, USERS.diego];

/**
 * The resilience suite of issue 6: 100 malicious recoveries (copies of Lee Gu and of the soft-deleted Diego) driven through the real bot against
 * the simulated tenant while 20% of Graph calls fail (429 with Retry-After 0 or 1 s, 503, 504, connection resets, and
 * answers slower than the client's attempt limit), seeded so the run repeats. Every recovery must end either
 * completed (and the tenant must really be in the state the case claims) or failed in a way the agent sees, with the
 * button or command that resumes it; after the faults are lifted, every failed one must complete through that way.
 */

const RECOVERIES = 100;
const PARALLEL = 20;
/**
 * A slow answer: 1 s more than the client waits per attempt. The attempt limit (3 s) stays far above what a loaded
 * 2-CPU test machine needs for a normal answer, so the resume pass (faults off) does not time out on its own: with a
 * 1 s limit, a full `npm test` under load (another jest worker, other processes) timed normal answers out and failed
 * three Resumes in a row (seen once in 157 s instead of 56 s).
 */
const SLOW_MS = 4_000;
/** Each kind at ~4.5%: together about 20% of Graph calls fail at least once. */
const RATE = 0.045;

type Outcome = { kind: 'completed' } | { kind: 'failed'; shown: string } | { kind: 'silent'; why: string };

interface Run {
  readonly n: number;
  /** The target starts soft-deleted; the plan restores it first. */
  readonly restored: boolean;
  readonly upn: string;
  readonly userId: string;
  caseId?: string;
  first?: Outcome;
  resumed?: Outcome;
  /** How many times Resume was used, and what the ones that did not finish showed. */
  rounds?: number;
  resumeFailures?: string[];
  /** The last Temporary Access Pass revealed to the agent: it must be the one the user holds. */
  tap?: string;
}

const CODE = /\(([A-Z]+\.[A-Z_]+)\)/;

function cardText(value: unknown): string {
  return repliesText([{ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: value }] }]);
}

describe('fault suite: 100 recoveries with 20% of Graph calls failing', () => {
  // 50 of Lee (active) and 50 of Diego (soft-deleted), all recovered as malicious.
  let bot: BotHarness;
  let graphCalls = 0;
  beforeAll(async () => {
    // As many repeats as production makes (DEFAULT_RETRY_POLICY); shorter waits and deadline, so the suite takes minutes.
    bot = await BotHarness.start(seedWithCopies(RECOVERIES, TARGETS), undefined, {
      retry: { maxRetries: DEFAULT_RETRY_POLICY.maxRetries, baseDelayMs: 20, maxDelayMs: 2_000, attemptTimeoutMs: SLOW_MS - 1_000, deadlineMs: 12_000 },
      simulator: { faultSeed: 6, onGraphRequest: () => void graphCalls++ },
    });
  });
  afterAll(async () => {
    await bot.stop();
  });

  const current = async (caseId: string): Promise<RecoveryCase> => {
    const stored = await bot.cases.get(caseId);
    if (!stored) throw new Error(`case ${caseId} vanished`);
    return stored.value;
  };
  const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });

  /** What the thread last showed of the case's progress card. */
  const lastProgressCard = (caseId: string): unknown =>
    [...bot.poster.writes].reverse().find((w) => cardText(w.activity.attachments?.[0]?.content).includes(`Recovery of case ${caseId}`))?.activity
      .attachments?.[0]?.content;
  const threadSaid = (text: string): boolean => bot.poster.writes.some((w) => w.kind === 'post' && (w.activity.text ?? '').includes(text));

  /** A click answered with a message instead of a card: the refusal or failure the clicker sees. */
  async function click(verb: string, body: Record<string, unknown>, from: { id: string; name: string } = USERS.megan): Promise<string | undefined> {
    const answer = await bot.click(verb, body, { from });
    if (accepted(answer)) return undefined;
    return typeof answer.value === 'string' ? answer.value : JSON.stringify(answer.value);
  }

  /**
   * Drives one recovery from wherever it is until it is documented or something fails. A failure counts only if the
   * agent was told (a stable code in the answer or the thread) and the way to resume is there; otherwise it is
   * silent. With `resume`, the failure's own way back is taken first (Retry, Re-check, `status`, the same click).
   */
  async function drive(run: Run, resume: boolean): Promise<Outcome> {
    for (let turn = 0; turn < 40; turn++) {
      if (!run.caseId) {
        const text = repliesText(await bot.send(`recover ${run.upn}`));
        run.caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(text)?.[1];
        if (run.caseId) continue;
        return CODE.test(text) ? { kind: 'failed', shown: `recover: ${text}` } : { kind: 'silent', why: `recover answered without a code: ${text}` };
      }
      const c = await current(run.caseId);
      const failedClick = (shown: string | undefined): Outcome | undefined =>
        shown === undefined
          ? undefined
          : CODE.test(shown)
            ? { kind: 'failed', shown: `click in ${c.state}: ${shown}` }
            : { kind: 'silent', why: `a click in ${c.state} answered without a code: ${shown}` };
      switch (c.state) {
        case 'opened': {
          // After `recover` the triage ran in the background; it is still "opened" only when triage failed.
          if (!resume)
            return threadSaid(`Triage of case ${c.id} did not finish`)
              ? { kind: 'failed', shown: 'triage: thread told (DIRECTORY.*)' }
              : { kind: 'silent', why: 'triage stopped and the thread was not told' };
          resume = false;
          await bot.send(`status ${c.id}`);
          if ((await current(c.id)).state === 'opened') return { kind: 'silent', why: 'status did not run triage again' };
          continue;
        }
        case 'triaged': {
          const override = c.triage?.recommendation === 'malicious' ? {} : { reason: 'Fault suite: every target is treated as compromised' };
          const outcome = failedClick(await click(Verb.confirmScenario, data(c, { scenario: 'malicious', ...override })));
          if (outcome) return outcome;
          continue;
        }
        case 'planProposed': {
          const outcome = failedClick(await click(Verb.requestApproval, data(c)));
          if (outcome) return outcome;
          continue;
        }
        case 'awaitingApproval': {
          // A soft-deleted target (the copies of Diego) is privileged: Patti and then Nestor, the privileged approvers, decide.
          const approver = c.approval?.required === 2 ? (c.approval.decisions.length === 0 ? USERS.patti : USERS.nestor) : USERS.alex;
          const outcome = failedClick(await click(Verb.approve, data(c, { comment: 'Verified with the user by phone' }), approver));
          if (outcome) return outcome;
          continue;
        }
        case 'approved': {
          const outcome = failedClick(await click(Verb.start, data(c)));
          if (outcome) return outcome;
          continue;
        }
        case 'failed': {
          const step = c.plan?.find((s) => c.steps?.[s.id]?.status === 'failed');
          const retry = verbsOf(lastProgressCard(c.id)).includes(Verb.retryStep);
          if (!step || !retry) return { kind: 'silent', why: `a failed step with no Retry on the progress card (${step?.kind ?? 'none'})` };
          const detail = c.steps?.[step.id]?.detail ?? '';
          if (!CODE.test(detail)) return { kind: 'silent', why: `failed step ${step.kind} has no stable code: ${detail}` };
          if (!resume) return { kind: 'failed', shown: `step ${step.kind}: ${detail}` };
          resume = false;
          const outcome = failedClick(await click(Verb.retryStep, data(c, { stepId: step.id })));
          if (outcome) return outcome;
          continue;
        }
        case 'executing': {
          const step = c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');
          if (!step || c.steps?.[step.id]?.status !== 'waiting')
            return { kind: 'silent', why: `executing, step ${step?.kind ?? 'none'} is ${c.steps?.[step?.id ?? '']?.status ?? 'pending'} and nothing runs` };
          let shown: string | undefined;
          // Without Verified ID the fallback: Megan asks, an approver who did not approve the plan (Miriam for a privileged
          // target, Patti otherwise) accepts.
          if (step.kind === 'verifyIdentity' && !c.verification?.fallback)
            shown = await click(
              Verb.requestFallback,
              data(c, { stepId: step.id, identityMethod: 'Video call with manager', identityNote: 'Manager confirmed on camera' }),
            );
          else if (step.kind === 'verifyIdentity')
            shown = await click(Verb.approveFallback, data(c, { stepId: step.id }), c.approval?.required === 2 ? USERS.miriam : USERS.patti);
          else if (step.kind === 'resetPassword') shown = await click(Verb.revealPassword, data(c, { stepId: step.id }));
          else if (step.kind === 'issueTap') {
            const answer = await bot.click(Verb.revealTap, data(c, { stepId: step.id, tapLifetime: '60', tapOneTime: 'true' }), { from: USERS.megan });
            if (accepted(answer)) run.tap = revealedPass(answer.value);
            else shown = typeof answer.value === 'string' ? answer.value : JSON.stringify(answer.value);
          } else if (step.kind === 'checkMethods') {
            const hasKey = (bot.simulator.tenant.methods.get(run.userId) ?? []).some((m) => m.type === 'fido2');
            if (!hasKey) {
              const registered = await fetch(`${bot.simulator.url}/_simulator/users/${run.userId}/register-method`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'fido2', displayName: 'New key' }),
              });
              if (registered.status !== 201) throw new Error(`could not register a key for ${run.upn}`);
            }
            shown = await click(Verb.confirmGuided, data(c, { stepId: step.id }));
          } else return { kind: 'silent', why: `waiting on an unexpected step ${step.kind}` };
          const outcome = failedClick(shown);
          if (outcome) return outcome;
          continue;
        }
        case 'validating': {
          if (!c.validation) {
            if (!resume)
              return threadSaid(`Validation of case ${c.id} did not finish`)
                ? { kind: 'failed', shown: 'validation: thread told (DIRECTORY.*)' }
                : { kind: 'silent', why: 'validation did not run and the thread was not told' };
            resume = false;
            const outcome = failedClick(await click(Verb.recheck, data(c)));
            if (outcome) return outcome;
            continue;
          }
          const outcome = failedClick(await click(Verb.close, data(c, { lessons: 'Require phishing-resistant MFA for admins.' })));
          if (outcome) return outcome;
          continue;
        }
        case 'documented':
          return tenantAsClaimed(run, c);
        case 'denied':
        case 'expired':
        case 'cancelled':
          return { kind: 'silent', why: `the case ended ${c.state}, which nobody asked for` };
      }
    }
    return { kind: 'silent', why: 'no progress after 40 actions' };
  }

  /** What the case records as done must be true in the tenant, whether the recovery finished or stopped. */
  function claimsThatDoNotHold(run: Run, c: RecoveryCase): string[] {
    const done = (kind: string): boolean => (c.plan ?? []).some((s) => s.kind === kind && c.steps?.[s.id]?.status === 'done');
    const methods = bot.simulator.tenant.methods.get(run.userId) ?? [];
    const user = bot.simulator.tenant.users.get(run.userId);
    const taps = methods.filter((m) => m.type === 'temporaryAccessPass').length;
    const others = methods.filter((m) => m.type !== 'password' && m.type !== 'temporaryAccessPass' && m.type !== 'fido2');
    return [
      done('restoreUser') && (!user || bot.simulator.tenant.deletedUsers.has(run.userId)) ? 'user restored, yet not active' : '',
      done('removeAllMethods') && others.length > 0 ? `methods removed, yet ${others.map((m) => m.type).join(',')} remain` : '',
      done('revokeSessions') && !user?.signInSessionsValidFromDateTime ? 'sessions revoked, yet not in the tenant' : '',
      done('resetPassword') && !user?.passwordReset ? 'password set, yet not in the tenant' : '',
      done('issueTap') && taps !== 1 ? `TAP issued, yet the user has ${taps}` : '',
    ].filter(Boolean);
  }

  /** A documented malicious recovery is only complete if the tenant says so too. */
  function tenantAsClaimed(run: Run, c: RecoveryCase): Outcome {
    const methods = bot.simulator.tenant.methods.get(run.userId) ?? [];
    const types = methods.map((m) => m.type).sort();
    const user = bot.simulator.tenant.users.get(run.userId);
    const held = methods.find((m) => m.type === 'temporaryAccessPass');
    const problems = [
      types.join(',') === 'fido2,password,temporaryAccessPass' ? '' : `methods are ${types.join(',')}`,
      held?.type === 'temporaryAccessPass' && run.tap !== undefined && held.passHash === digest(run.tap)
        ? ''
        : 'the pass the agent was shown is not the one the user holds',
      user?.signInSessionsValidFromDateTime ? '' : 'sessions not revoked',
      user?.passwordReset ? '' : 'password not reset',
      (c.plan ?? []).every((s) => c.steps?.[s.id]?.status === 'done') ? '' : 'a step is not done',
      run.restored && !(c.plan ?? []).some((s) => s.kind === 'restoreUser') ? 'no restore in the plan of a deleted user' : '',
    ].filter(Boolean);
    return problems.length === 0 ? { kind: 'completed' } : { kind: 'silent', why: `case ${c.id} is documented but ${problems.join('; ')}` };
  }

  async function inParallel(runs: Run[], work: (run: Run) => Promise<void>): Promise<void> {
    const queue = [...runs];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let run = queue.shift(); run; run = queue.shift()) await work(run);
      }),
    );
  }

  it('ends every recovery completed or failed-resumable, never silent, and every failed one completes after Resume', async () => {
    const runs: Run[] = Array.from({ length: RECOVERIES }, (_, i) => {
      const original = TARGETS[i % TARGETS.length] ?? USERS.lee;
      return { n: i + 1, upn: copyUpn(original, i + 1), userId: copyId(original, i + 1), restored: original === USERS.diego };
    });
    const faults = [
      bot.simulator.faults.add({ path: /^\/v1\.0\//, kind: 'throttle', retryAfterSeconds: 0, rate: RATE / 2 }),
      bot.simulator.faults.add({ path: /^\/v1\.0\//, kind: 'throttle', retryAfterSeconds: 1, rate: RATE / 2 }),
      bot.simulator.faults.add({ path: /^\/v1\.0\//, kind: 'error', status: 503, rate: RATE }),
      bot.simulator.faults.add({ path: /^\/v1\.0\//, kind: 'error', status: 504, rate: RATE }),
      bot.simulator.faults.add({ path: /^\/v1\.0\//, kind: 'reset', rate: RATE }),
      // Slower than the client's attempt limit: the client gives up while the simulator still does the work.
      bot.simulator.faults.add({ path: /^\/v1\.0\//, kind: 'latency', ms: SLOW_MS, rate: RATE }),
    ];
    expect(faults).toHaveLength(6);

    await inParallel(runs, async (run) => {
      run.first = await drive(run, false);
    });
    const injected = bot.simulator.faults.list().reduce((sum, f) => sum + f.hits, 0);
    const callsWithFaults = graphCalls;
    bot.simulator.faults.clear();
    // Slow requests the client gave up on may still be running in the simulator: let them land before resuming.
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS + 200));

    for (const run of runs) {
      const wrong = run.caseId ? claimsThatDoNotHold(run, await current(run.caseId)) : [];
      if (wrong.length > 0) run.first = { kind: 'silent', why: `case ${run.caseId ?? ''} claims what is not so: ${wrong.join('; ')}` };
    }
    const failed = runs.filter((r) => r.first?.kind === 'failed');
    // Resume = what the agent was shown (Retry, Re-check, status, the same click). A person whose Resume hits a
    // timeout of its own (this 2-CPU machine is shared) clicks again: up to three times, counted below.
    await inParallel(failed, async (run) => {
      for (run.rounds = 1; ; run.rounds++) {
        run.resumed = await drive(run, true);
        if (run.resumed.kind !== 'failed' || run.rounds === 3) break;
        (run.resumeFailures ??= []).push(run.resumed.shown);
      }
    });

    const count = (kind: Outcome['kind']) => runs.filter((r) => r.first?.kind === kind).length;
    const resumedOk = failed.filter((r) => r.resumed?.kind === 'completed').length;
    const byWhere = new Map<string, number>();
    for (const r of failed) {
      const where = r.first?.kind === 'failed' ? `${/^([^:]+):/.exec(r.first.shown)?.[1] ?? '?'} ${CODE.exec(r.first.shown)?.[1] ?? ''}`.trim() : '';
      byWhere.set(where, (byWhere.get(where) ?? 0) + 1);
    }
    const targets = new Set(runs.map((r) => r.userId));
    const audited = (activity: string, detail: (a: (typeof bot.simulator.tenant.audits)[number]) => boolean = () => true): number =>
      bot.simulator.tenant.audits.filter((a) => a.activityDisplayName === activity && a.targetResources.some((t) => targets.has(t.id ?? '')) && detail(a))
        .length;
    const isTap = (a: (typeof bot.simulator.tenant.audits)[number]): boolean =>
      (a.additionalDetails ?? []).some((d) => d.key === 'MethodType' && d.value === 'temporaryAccessPass');
    const tapCreates = audited('Admin registered security info', isTap);
    const unseenDeleted = audited('Admin deleted security info', isTap);
    // A late create landing between the deletion of unseen passes and the next create is replaced by that create.
    const replaced = audited('Admin registered security info', (a) => isTap(a) && (a.additionalDetails ?? []).some((d) => d.key === 'ReplacedMethodId'));
    const resets = audited('Reset password');
    // eslint-disable-next-line no-console -- the issue asks the suite to print its counts
    console.log(
      [
        `fault suite: ${RECOVERIES} recoveries, ${callsWithFaults} Graph calls while faults were on, ${injected} faults injected (${((100 * injected) / callsWithFaults).toFixed(1)}%)`,
        `  completed: ${count('completed')} (${runs.filter((r) => r.first?.kind === 'completed' && r.restored).length} of them restored from deleted users first)`,
        `  failed-resumable: ${count('failed')} (completed after Resume: ${resumedOk}; ${failed.filter((r) => (r.rounds ?? 0) > 1).length} needed Resume more than once)`,
        ...[...byWhere].sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${v} × ${k}`),
        ...failed.map((r) => `      ${r.upn}: ${r.first?.kind === 'failed' ? r.first.shown.slice(0, 240) : ''}`),
        `  failed-silent: ${count('silent')}`,
        `  writes: ${tapCreates} TAP creates landed for ${RECOVERIES} recoveries (${unseenDeleted} unseen passes of lost answers deleted, ${replaced} replaced by the next create; every user holds the pass its agent saw); ${resets} password resets landed (same body repeated after a lost answer: ${resets - RECOVERIES})`,
        ...runs.filter((r) => r.first?.kind === 'silent').map((r) => `    ${r.upn}: ${r.first?.kind === 'silent' ? r.first.why : ''}`),
        ...failed.filter((r) => r.resumed?.kind !== 'completed').map((r) => `    not resumed ${r.upn}: ${JSON.stringify(r.resumed)}`),
        ...failed.flatMap((r) => (r.resumeFailures ?? []).map((f) => `    resumed again ${r.upn}: ${f.slice(0, 300)}`)),
      ].join('\n'),
    );

    expect(injected / callsWithFaults).toBeGreaterThan(0.15);
    expect(count('silent')).toBe(0);
    expect(count('completed') + count('failed')).toBe(RECOVERIES);
    // Issue 14: at least 95 of 100 finish without anyone clicking Resume.
    expect(count('completed')).toBeGreaterThanOrEqual(95);
    expect(resumedOk).toBe(failed.length);
    // Every user holds exactly one pass, the one its agent was shown (checked per run in tenantAsClaimed), and every
    // create beyond one per recovery was an answer lost to a fault, whose pass was deleted unseen.
    expect(tapCreates - unseenDeleted - replaced).toBe(RECOVERIES);
    // The soft-deleted half really went through the restore, and every one of them is an active user now.
    const restored = runs.filter((r) => r.restored);
    expect(restored.every((r) => bot.simulator.tenant.users.has(r.userId) && !bot.simulator.tenant.deletedUsers.has(r.userId))).toBe(true);
    // Secrets were shown only to the clicker: never in the thread or the logs.
    const everywhere = [...bot.poster.writes.map((w) => JSON.stringify(w.activity)), ...bot.logs.map((l) => JSON.stringify(l))].join('\n');
    expect(everywhere).not.toMatch(/"temporaryAccessPass":"[^"]+"/);
    // A limit for a hung run, not a speed target: each request now also goes to four approvers' chats (with the same
    // faults on their Graph reads), which the harness waits for after every click; 210 s measured on 2 busy cores.
  }, 360_000);
});
