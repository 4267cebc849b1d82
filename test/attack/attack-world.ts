import type { RecoveryCase } from '../../src/domain/case';
import { journalKeyFrom } from '../../src/config';
import { startSimulator, type RunningSimulator, type TenantSeed } from '../../src/simulator';
import { BlobStorage } from '../../src/store/blob-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { Verb } from '../../src/views/verbs';
import { adversarialSeed, EXTRA, seedUser } from '../helpers/adversary';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY, type InvokeBody, type Person } from '../helpers/bot-over-http';
import { GROUPS, USERS } from '../helpers/demo-ids';
import { waitFor } from '../helpers/spawn-bot';
import { appToken } from '../helpers/simulator-token';
import { PROCESSES } from '../helpers/test-clock';
import { accepted, refusalOf } from '../helpers/invoke-answers';

/** Privileged Authentication Administrator (a built-in role template id, the same in every tenant). */
const PAA_ROLE = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
export const CARD = 'application/vnd.microsoft.card.adaptive';
/** The manual check the requester records when asking for the fallback (one of IDENTITY_VERIFICATION_METHODS' defaults). */
export const FALLBACK = { method: 'Video call with manager', note: 'Manager confirmed on camera' } as const;

/** Kinds of seeded target: an ordinary user, a holder of a privileged role, a privileged approver (an approver's own account). */
export type TargetKind = 'ordinary' | 'privileged' | 'approver';

export interface Target extends Person {
  readonly upn: string;
  readonly kind: TargetKind;
}

function seededTargets(counts: Record<TargetKind, number>): Target[] {
  const list: Target[] = [];
  let i = 0;
  for (const kind of ['ordinary', 'privileged', 'approver'] as const) {
    for (let k = 0; k < counts[kind]; k++, i++) {
      const n = (0x3000 + i).toString(16);
      list.push({ id: `9a1b7c20-${n}-4e8a-9c11-${n.padStart(12, '0')}`, upn: `${kind}${k}@contoso.com`, name: `Target ${kind} ${k}`, kind });
    }
  }
  return list;
}

function worldSeed(list: readonly Target[]): TenantSeed {
  const seed = adversarialSeed();
  for (const t of list) {
    seed.users.push(seedUser(seed, t.id, t.upn, t.name));
    if (t.kind === 'privileged') (seed.roleAssignments ??= []).push({ id: `attack-paa-${t.id}`, principalId: t.id, roleDefinitionId: PAA_ROLE });
    if (t.kind === 'approver') seed.groups?.find((g) => g.id === GROUPS.privilegedApprovers)?.members?.push(t.id);
  }
  return seed;
}

/** What a person reads in an invoke response: the message, or the error code and message, or the card as JSON. */
export function answerText(body: InvokeBody): string {
  if (body.type === CARD) return refusalOf(body) ?? JSON.stringify(body.value);
  if (typeof body.value === 'string') return body.value;
  const v = body.value as { code?: unknown; message?: unknown };
  if (body.type === 'application/vnd.microsoft.error') return `${String(v.message)} (${String(v.code)})`;
  return JSON.stringify(body.value);
}

/** Waits until the bot's log has a line naming the activity that matches the pattern (a refusal with nothing to journal on). */
export async function warned(bot: BotInstance, activityId: string, pattern: RegExp): Promise<void> {
  const found = (): boolean =>
    bot
      .output()
      .split('\n')
      .some((l) => l.includes(activityId) && pattern.test(l));
  await waitFor(() => Promise.resolve(found()), `a warning naming ${activityId}`, 5_000);
}

/** The code a refusal names at its end, as in "... Nothing was changed. (CARD.INVALID)". */
export const codeOf = (text: string): string | undefined => /\(([A-Z]+\.[A-Z_]+)\)\s*$/.exec(text)?.[1];

/**
 * The world the attacker's suite runs against: one simulated tenant seeded once with many targets (each case gets its
 * own user), an Azurite Blob store, a fake Bot Connector, and two bot processes (A and B) sharing store and tenant as
 * two instances of one deployment. Everything is reached over HTTP; the tenant through its Graph API.
 */
export class AttackWorld {
  private constructor(
    readonly azurite: RunningAzurite,
    readonly simulator: RunningSimulator,
    readonly connector: FakeConnector,
    readonly a: BotInstance,
    readonly b: BotInstance,
    readonly cases: StorageCaseStore,
    readonly blobs: BlobStorage,
    private readonly pool: Target[],
  ) {}

  /** `extend` adds to the tenant's seed (the incident suite: users a sync account deleted). */
  static async start(counts: Record<TargetKind, number>, extend: (seed: TenantSeed) => TenantSeed = (seed) => seed): Promise<AttackWorld> {
    const pool = seededTargets(counts);
    const azurite = await startAzurite();
    const simulator = await startSimulator({ now: PROCESSES.now, seed: extend(worldSeed(pool)) });
    const connector = await FakeConnector.start();
    const container = 'attack-cases'; // Azurite runs in a fresh folder per test file: a fixed name is unique there.
    const env = {
      SIMULATOR_URL: simulator.url,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: container,
      LOG_LEVEL: 'info',
      // Megan opens the whole pool: the burst rule (helpdesk-risk.ts) would rightly ask her to override; these attacks are on the cards.
      RECOVERY_BURST_LIMIT: '0',
    };
    const [a, b] = await Promise.all([BotInstance.start('A', env, connector), BotInstance.start('B', env, connector)]);
    const blobs = new BlobStorage({ kind: 'connectionString', connectionString: azurite.connectionString, container });
    return new AttackWorld(azurite, simulator, connector, a, b, new StorageCaseStore(blobs, journalKeyFrom(TEST_SIGNING_KEY)), blobs, pool);
  }

  async stop(): Promise<void> {
    await Promise.all([this.a.stop('SIGKILL'), this.b.stop('SIGKILL')]);
    await this.connector.close();
    await this.simulator.close();
    await this.azurite.stop();
  }

  /** A target nobody has used yet. */
  take(kind: TargetKind): Target {
    const index = this.pool.findIndex((t) => t.kind === kind);
    if (index < 0) throw new Error(`no ${kind} target left in the seed`);
    return this.pool.splice(index, 1)[0] as Target;
  }

  async get(caseId: string): Promise<RecoveryCase> {
    const stored = await this.cases.get(caseId);
    if (!stored) throw new Error(`no case ${caseId}`);
    return stored.value;
  }

  /** Thread writes (posts and edits) that name the case. */
  writesOf(caseId: string): number {
    return this.connector.writes.filter((w) => JSON.stringify(w.activity).includes(caseId)).length;
  }

  /**
   * The cards of the thread that name the case, each as last written (posted, then maybe edited): its title (the first
   * text naming the case) and the verbs of its buttons, its refresh action included.
   */
  threadCards(caseId: string): { title: string; verbs: string[] }[] {
    const latest = new Map<string, { title: string; verbs: string[] }>();
    for (const w of this.connector.writes) {
      const card = (w.activity.attachments ?? []).find((a) => a.contentType === CARD)?.content as { body?: { text?: unknown }[] } | undefined;
      if (!card || !JSON.stringify(card).includes(caseId)) continue;
      const verbs = [...JSON.stringify(card).matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1] ?? '');
      // The title names the case (in demo mode a banner comes first).
      const title = (card.body ?? []).map((e) => e.text).find((t): t is string => typeof t === 'string' && t.includes(caseId)) ?? '';
      latest.set(w.activityId, { title, verbs: [...new Set(verbs)].sort() });
    }
    return [...latest.values()];
  }

  // ---- The tenant, read over its Graph API as an administrator's client would. ----------------------------------
  private token?: Promise<string>;

  async graph<T = { value?: Record<string, unknown>[] } & Record<string, unknown>>(path: string): Promise<T> {
    this.token ??= appToken(this.simulator.url);
    const res = await fetch(path.startsWith('http') ? path : `${this.simulator.url}/v1.0${path}`, { headers: { authorization: `Bearer ${await this.token}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Every page of a collection. */
  async all(path: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { value?: Record<string, unknown>[]; '@odata.nextLink'?: string } = await this.graph(next);
      out.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return out;
  }

  /**
   * One user as Graph shows them and their methods (https://learn.microsoft.com/graph/api/user-get,
   * https://learn.microsoft.com/graph/api/authentication-list-methods).
   */
  async userState(id: string): Promise<unknown> {
    const select = 'id,accountEnabled,displayName,userPrincipalName,lastPasswordChangeDateTime,signInSessionsValidFromDateTime';
    const [user, methods] = await Promise.all([this.graph(`/users/${id}?$select=${select}`), this.all(`/users/${id}/authentication/methods`)]);
    return { user, methods };
  }

  /**
   * Audit records since a time that name the user among their targets. `activityDateTime` supports `$filter` with
   * `ge` (https://learn.microsoft.com/graph/api/resources/directoryaudit); targetResources does not, so that part is read here.
   */
  async auditsAbout(id: string, since: string): Promise<Record<string, unknown>[]> {
    const recent = await this.all(`/auditLogs/directoryAudits?$filter=activityDateTime ge ${since}`);
    return recent.filter((a) => JSON.stringify(a.targetResources ?? []).includes(id));
  }

  /**
   * The whole tenant: users, each user's methods, deleted users (https://learn.microsoft.com/graph/api/directory-deleteditems-list),
   * the number of audit records (https://learn.microsoft.com/graph/api/directoryaudit-list).
   */
  async tenantState(): Promise<{ users: unknown; methods: Record<string, unknown>; deleted: unknown; audits: number }> {
    const users = await this.all(
      '/users?$select=id,accountEnabled,displayName,userPrincipalName,lastPasswordChangeDateTime,signInSessionsValidFromDateTime&$top=999',
    );
    const methods: Record<string, unknown> = {};
    for (let i = 0; i < users.length; i += 16) {
      await Promise.all(users.slice(i, i + 16).map(async (u) => (methods[String(u.id)] = await this.all(`/users/${String(u.id)}/authentication/methods`))));
    }
    const deleted = await this.all('/directory/deletedItems/microsoft.graph.user');
    const audits = (await this.all('/auditLogs/directoryAudits?$top=999')).length;
    return { users, methods, deleted, audits };
  }

  /** Now on the processes' clock, for audit filters. */
  now(): string {
    return PROCESSES.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  // ---- Cases built over HTTP, the way the people in the thread build them. ----------------------------------------

  private async must(bot: BotInstance, verb: string, caseId: string, by: Person, extra: Record<string, unknown> = {}): Promise<InvokeBody> {
    const c = await this.get(caseId);
    const body = await bot.click(verb, { caseId, version: c.version, ...extra }, by);
    if (!accepted(body)) throw new Error(`${verb} by ${by.name} on ${caseId} was refused: ${answerText(body)}`);
    return body;
  }

  /** The step that waits for a person, once the bot has reached it. */
  async waitingStep(caseId: string, kind: string): Promise<string> {
    let id = '';
    await waitFor(
      async () => {
        const c = await this.get(caseId);
        const step = c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');
        id = step?.id ?? '';
        return step?.kind === kind && c.steps?.[step.id]?.status === 'waiting';
      },
      `${caseId} to wait for ${kind}`,
      60_000,
    );
    return id;
  }

  async opened(t: Target, bot = this.a): Promise<string> {
    const reply = await bot.message(`recover ${t.upn}`, USERS.megan);
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(reply)?.[1];
    if (!caseId) throw new Error(`no case for ${t.upn}: ${reply}`);
    await waitFor(async () => (await this.get(caseId)).state === 'triaged', `triage of ${caseId}`, 60_000);
    return caseId;
  }

  async planned(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.opened(t, bot);
    await this.must(bot, Verb.confirmScenario, caseId, USERS.megan, { scenario: 'malicious', reason: 'Attack suite: malicious on purpose' });
    return caseId;
  }

  async awaiting(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.planned(t, bot);
    await this.must(bot, Verb.requestApproval, caseId, USERS.megan);
    return caseId;
  }

  /** Approved (by the approvers the target needs) and run up to the identity check. */
  async identity(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.awaiting(t, bot);
    if (t.kind === 'ordinary') await this.must(bot, Verb.approve, caseId, USERS.alex);
    else for (const p of [USERS.patti, EXTRA.pradeep]) await this.must(bot, Verb.approve, caseId, p);
    await this.waitingStep(caseId, 'verifyIdentity');
    return caseId;
  }

  /** Identity waiting and a fallback asked by the requester (no Verified ID in this demo): it waits for one more approver. */
  async fallback(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.identity(t, bot);
    await this.must(bot, Verb.requestFallback, caseId, USERS.megan, {
      stepId: await this.waitingStep(caseId, 'verifyIdentity'),
      identityMethod: FALLBACK.method,
      identityNote: FALLBACK.note,
    });
    return caseId;
  }

  /**
   * The fallback accepted by an approver who did not approve the plan (Patti after Alex; for a privileged target
   * Miriam after Patti and Pradeep): the identity step is done and the password waits.
   */
  async password(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.fallback(t, bot);
    const decider = t.kind === 'ordinary' ? USERS.patti : USERS.miriam;
    await this.must(bot, Verb.approveFallback, caseId, decider, { stepId: await this.waitingStep(caseId, 'verifyIdentity') });
    await this.waitingStep(caseId, 'resetPassword');
    return caseId;
  }

  /** The password revealed (its answer returned for the secret scan); the TAP waits. */
  async tap(t: Target, bot = this.a): Promise<{ caseId: string; shown: InvokeBody[] }> {
    const caseId = await this.password(t, bot);
    const shown = [await this.must(bot, Verb.revealPassword, caseId, USERS.megan, { stepId: await this.waitingStep(caseId, 'resetPassword') })];
    await this.waitingStep(caseId, 'issueTap');
    return { caseId, shown };
  }

  async check(t: Target, bot = this.a): Promise<{ caseId: string; shown: InvokeBody[] }> {
    const { caseId, shown } = await this.tap(t, bot);
    shown.push(await this.must(bot, Verb.revealTap, caseId, USERS.megan, { stepId: await this.waitingStep(caseId, 'issueTap') }));
    await this.waitingStep(caseId, 'checkMethods');
    return { caseId, shown };
  }

  /** The user registered a new key with the TAP (the simulator's human-step control); the agent confirmed: validating. */
  async summary(t: Target, bot = this.a): Promise<{ caseId: string; shown: InvokeBody[] }> {
    const { caseId, shown } = await this.check(t, bot);
    const res = await fetch(`${this.simulator.url}/_simulator/users/${t.id}/register-method`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'fido2', displayName: 'New YubiKey 5C' }),
    });
    if (res.status !== 201) throw new Error(`register-method: HTTP ${res.status}`);
    await this.must(bot, Verb.confirmGuided, caseId, USERS.megan, { stepId: await this.waitingStep(caseId, 'checkMethods') });
    await waitFor(async () => (await this.get(caseId)).state === 'validating', `${caseId} to validate`, 60_000);
    return { caseId, shown };
  }

  /** Accidental (with the reason the override needs), approved: a Backup Administrator must restore first. */
  async restore(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.opened(t, bot);
    await this.must(bot, Verb.confirmScenario, caseId, USERS.megan, { scenario: 'accidental', reason: 'Attack suite: the offboarding script ran by mistake' });
    await this.must(bot, Verb.requestApproval, caseId, USERS.megan);
    await this.must(bot, Verb.approve, caseId, USERS.alex);
    await this.waitingStep(caseId, 'pointInTimeRestore');
    return caseId;
  }

  /** Accidental, restored: the identity check waits, and may be skipped (accidental step 4 is "as needed"). */
  async optionalIdentity(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.restore(t, bot);
    await this.must(bot, Verb.confirmGuided, caseId, USERS.megan, { stepId: await this.waitingStep(caseId, 'pointInTimeRestore') });
    await this.waitingStep(caseId, 'verifyIdentity');
    return caseId;
  }

  /** Approved, and the session revocation refused by Graph (403, every time): the case stops on that step. */
  async failed(t: Target, bot = this.a): Promise<string> {
    const res = await fetch(`${this.simulator.url}/_simulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'error', status: 403, method: 'POST', path: `/users/${t.id}/revokeSignInSessions`, times: 1000 }),
    });
    if (res.status !== 201) throw new Error(`fault: HTTP ${res.status} ${await res.text()}`);
    const caseId = await this.awaiting(t, bot);
    await this.must(bot, Verb.approve, caseId, USERS.alex);
    await waitFor(async () => (await this.get(caseId)).state === 'failed', `${caseId} to fail`, 60_000);
    return caseId;
  }

  async denied(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.awaiting(t, bot);
    await this.must(bot, Verb.deny, caseId, USERS.alex, { denyReason: 'The caller failed the call-back check' });
    return caseId;
  }

  async cancelled(t: Target, bot = this.a): Promise<string> {
    const caseId = await this.planned(t, bot);
    await this.must(bot, Verb.cancel, caseId, USERS.megan, { cancelReason: 'The user found the phone; no recovery needed' });
    return caseId;
  }

  /** Waits until the case and its thread have stopped moving (background runs and card edits done). */
  async settled(caseId: string): Promise<RecoveryCase> {
    let last = '';
    let same = 0;
    for (let i = 0; i < 100 && same < 3; i++) {
      const c = await this.get(caseId);
      const now = `${c.version}/${this.writesOf(caseId)}`;
      // An approved case is about to start its run (background work after the click), and a step recorded as running
      // has its Graph calls in flight: never settled there, however quiet, or a busy machine ends the wait before the
      // deletions (seen in CI: a burst's approval with no deletion, once before the run began, once during its step).
      const moving = c.state === 'approved' || Object.values(c.steps ?? {}).some((s) => s.status === 'running');
      same = now === last && !moving ? same + 1 : 0;
      last = now;
      await new Promise((r) => setTimeout(r, 80));
    }
    return this.get(caseId);
  }
}
