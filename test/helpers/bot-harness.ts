import { TestAdapter, type Activity } from 'botbuilder';
import { BackgroundWork } from '../../src/app/background-work';
import { composeBot, type ComposedBot } from '../../src/compose-bot';
import { parseConfig } from '../../src/config';
import type { CaseDeps } from '../../src/ports/case-services';
import type { LogFields, Logger } from '../../src/ports/logger';
import type { RetryPolicy } from '../../src/entra/retry-middleware';
import { startSimulator, type RunningSimulator, type SimulatorOptions, type TenantSeed } from '../../src/simulator';
import type { DurableStorage } from '../../src/store/durable-storage';
import { InMemoryStorage } from '../../src/store/memory-storage';
import type { StorageCaseStore } from '../../src/store/storage-case-store';
import { reportTurnError } from '../../src/teams/bot-app';
import type { BotDeps } from '../../src/teams/bot-deps';
import { CardSigner } from '../../src/teams/card-signature';
import type { ThreadPoster } from '../../src/teams/thread-poster';
import { Verb } from '../../src/views/verbs';
import type { RecoveryCase, ThreadRef } from '../../src/domain/case';
import { ChatNotSent } from '../../src/ports/out-of-band';
import type { ChatOpener, ChatPerson } from '../../src/teams/approver-chats';
import { TENANT_ID, USERS } from './demo-ids';
import { pinnedClock } from './test-clock';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { accepted } from './invoke-answers';

export { ManualScheduler };

/** The harness's card signing key: tests sign their own clicks with it, as the bot signs the cards it draws. */
const CARD_SIGNING_KEY = 'test-card-signing-key-0123456789-abcdefghijklmnop';

export interface LogLine {
  level: string;
  message: string;
  fields: LogFields | undefined;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * The real Application, use cases and Graph adapter, against the simulated tenant over real HTTP. Only the edges are
 * fake: Teams through botbuilder's TestAdapter, and Graph is the simulator.
 */
/** What the bot posted into or edited in a thread outside a turn (proactive messages), in order. */
export interface ThreadWrite {
  readonly kind: 'post' | 'update';
  readonly activityId: string;
  readonly activity: Partial<Activity>;
  /** The conversation written to: the case's thread, or a person's 1:1 chat (`chat-<Entra id>` from HarnessChatOpener). */
  readonly conversationId: string;
}

/** The Teams edge for proactive messages: records instead of calling a connector. */
export class RecordingPoster implements ThreadPoster {
  readonly writes: ThreadWrite[] = [];
  private next = 0;
  post(thread: ThreadRef, activity: Partial<Activity>): Promise<string> {
    const activityId = `posted-${++this.next}`;
    this.writes.push({ kind: 'post', activityId, activity, conversationId: thread.conversationId });
    return Promise.resolve(activityId);
  }
  update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    this.writes.push({ kind: 'update', activityId, activity, conversationId: thread.conversationId });
    return Promise.resolve();
  }
  /** What went to the case threads, without the approvers' 1:1 chats. */
  threadWrites(): ThreadWrite[] {
    return this.writes.filter((w) => !w.conversationId.startsWith('chat-'));
  }
  /** What went to one person's 1:1 chat. */
  chatWrites(aadObjectId: string): ThreadWrite[] {
    return this.writes.filter((w) => w.conversationId === `chat-${aadObjectId}`);
  }
  /** Like a team roster: every Entra user is a member with a Teams id derived from the object id. */
  memberIds(_thread: unknown, aadObjectIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(new Map(aadObjectIds.map((id) => [id, `29:${id}`])));
  }
}

/**
 * Opens 1:1 chats as Teams does for the members of a team the bot is installed in: here everyone is, unless the test
 * says who is not (`unreachable`), who then gets the refusal Teams gives.
 */
export class HarnessChatOpener implements ChatOpener {
  readonly unreachable = new Set<string>();
  open(via: ThreadRef, person: ChatPerson): Promise<{ chat: ThreadRef; teamsUserId: string }> {
    if (this.unreachable.has(person.aadObjectId))
      return Promise.reject(new ChatNotSent('not in the roster of the team this case is in, and no 1:1 chat with the bot yet'));
    return Promise.resolve({
      chat: {
        tenantId: via.tenantId,
        conversationId: `chat-${person.aadObjectId}`,
        serviceUrl: via.serviceUrl,
        channelId: via.channelId,
        conversationType: 'personal',
      },
      teamsUserId: `29:${person.aadObjectId}`,
    });
  }
}

export interface HarnessOptions {
  /** Where the harness clock starts (default TEST_NOW); the simulated tenant's seed times resolve against it. */
  readonly startAt?: Date;
  readonly retry?: Partial<RetryPolicy>;
  readonly simulator?: Omit<SimulatorOptions, 'port' | 'seed'>;
  readonly stepDeadlineMs?: number;
  /** More configuration variables, as src/config-variables.ts names them (e.g. NOTIFY_MAIL_SENDER). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Activity ids: unique within a test file, the same on every run. */
let activityCount = 0;

export const DEFAULT_THREAD = '19:recoveries@thread.tacv2;messageid=1700000000000';

/** An `adaptiveCard/action` invoke as Teams sends it for an Action.Execute click in the Recoveries channel thread. */
export function cardInvoke(
  verb: string,
  data: unknown,
  options: { from: Activity['from']; conversationId?: string; tenantId?: string; trigger?: 'manual' | 'automatic' },
): Partial<Activity> {
  const tenantId = options.tenantId ?? TENANT_ID;
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `invoke-${++activityCount}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    replyToId: 'card-message-id',
    from: options.from,
    recipient: { id: '28:bot', name: 'Entra Recovery' },
    conversation: { id: options.conversationId ?? DEFAULT_THREAD, isGroup: true, conversationType: 'channel', tenantId, name: 'Recoveries' },
    channelData: { tenant: { id: tenantId } },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: options.trigger ?? 'manual' },
  };
}

export class BotHarness {
  readonly logs: LogLine[] = [];
  readonly poster = new RecordingPoster();
  readonly chatOpener = new HarnessChatOpener();
  readonly scheduler = new ManualScheduler();
  /**
   * The harness clock, shared by the bot and the simulated tenant: pinned to TEST_NOW (a Wednesday noon UTC) and
   * ticking. Tests move it forward to reach reminders and deadlines.
   */
  now: () => Date = pinnedClock();
  readonly signer = new CardSigner(CARD_SIGNING_KEY);
  readonly background = new BackgroundWork(recordingLogger(this.logs));
  /** Every activity the bot sent in a turn (replies and invoke responses), for secret scans. */
  readonly sent: Partial<Activity>[] = [];
  private nextId = 0;
  private nextIncidentId = 0;
  private simulatorUrl = '';
  private composed?: ComposedBot;

  private constructor(
    readonly storage: DurableStorage,
    private readonly options: HarnessOptions,
  ) {}

  /**
   * Starts the simulated tenant (the demo seed unless one is given) on a free port, on the harness clock unless
   * `options.simulator.now` gives another. `options.retry` overrides the Graph client's retry policy (short waits by
   * default); `options.simulator` passes simulator options (fault seed, hooks).
   */
  static async start(seed?: TenantSeed, storage: DurableStorage = new InMemoryStorage(), options: HarnessOptions = {}): Promise<BotHarness> {
    const harness = new BotHarness(storage, options);
    if (options.startAt) harness.now = pinnedClock(options.startAt);
    harness.simulator = await startSimulator({ now: () => harness.now(), ...options.simulator, port: 0, ...(seed ? { seed } : {}) });
    harness.simulatorUrl = harness.simulator.url;
    return harness;
  }

  simulator!: RunningSimulator;

  async stop(): Promise<void> {
    // Work after the last click (the approvers' chats, a run) finishes first: it writes to the storage a test removes next.
    await this.background.idle();
    await this.simulator.close();
  }

  /** The bot as the composition root builds it, once per harness like once per process, with the harness's edges. */
  private bot(): ComposedBot {
    this.composed ??= composeBot(
      parseConfig({
        BOT_MODE: 'demo',
        SIMULATOR_URL: this.simulatorUrl,
        CARD_SIGNING_KEY,
        JOURNAL_KEY: 'bot-harness-journal-key-0123456789abcdefghij',
        // One agent opens up to 100 cases in these suites (load, faults, concurrency): not the burst they are about.
        RECOVERY_BURST_LIMIT: '0',
        ...this.options.env,
      }),
      {
        clock: { now: () => this.now() },
        logger: recordingLogger(this.logs),
        storage: this.storage,
        poster: this.poster,
        scheduler: this.scheduler,
        background: this.background,
        newCaseId: () => `RC-${String(++this.nextId).padStart(8, '0')}`,
        newIncidentId: () => `IN-${String(++this.nextIncidentId).padStart(8, '0')}`,
        graphRetry: { baseDelayMs: 50, maxRetries: 1, ...this.options.retry },
        ...(this.options.stepDeadlineMs !== undefined ? { stepDeadlineMs: this.options.stepDeadlineMs } : {}),
        incidentProgressIntervalMs: 0,
        incidentJitterMs: () => 0,
        chatOpener: this.chatOpener,
      },
    );
    return this.composed;
  }

  /** The case store the bot uses. */
  get cases(): StorageCaseStore {
    return this.bot().cases;
  }

  /** The use cases' dependencies, as the composition root passes them (for start-up work such as resuming). */
  caseDeps(): CaseDeps {
    return this.bot().caseDeps;
  }

  /** The bot's dependencies, built once per harness like the composition root does once per process. */
  deps(): BotDeps {
    return this.bot().bot;
  }

  /** Runs one activity through the bot's one Application, as the HTTP endpoint would, and returns what it sent back. */
  private async turn(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const { app, bot } = this.bot();
    const adapter = new TestAdapter(async (context) => {
      await app.run(context);
    });
    adapter.onTurnError = (context, error) => reportTurnError(bot, context, error);
    await adapter.processActivity(activity, async (context) => {
      await app.run(context);
    });
    const replies = adapter.activeQueue.splice(0);
    this.sent.push(...replies);
    await this.background.idle();
    return replies;
  }

  /** Any activity (an install, a conversation update) through the real Application; what the bot sent back. */
  deliver(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    return this.turn({ id: `activity-${++activityCount}`, channelId: 'msteams', serviceUrl: 'https://smba.example/', ...activity });
  }

  /** Sends one activity through the real Application and returns what the bot sent back. */
  async send(
    text: string,
    options: { from?: { id: string; name: string } | null; tenantId?: string; conversationId?: string; channelId?: string } = {},
  ): Promise<Partial<Activity>[]> {
    const from = options.from === undefined ? USERS.megan : options.from;
    const activity: Partial<Activity> = {
      type: 'message',
      id: `activity-${++activityCount}`,
      text,
      channelId: options.channelId ?? 'msteams',
      serviceUrl: 'https://smba.example/',
      from: from ? { id: `29:${from.id}`, name: from.name, aadObjectId: from.id } : { id: '29:anonymous', name: 'anonymous' },
      recipient: { id: '28:bot', name: 'Entra Recovery' },
      conversation: {
        id: options.conversationId ?? '19:recoveries@thread.tacv2;messageid=1700000000000',
        isGroup: true,
        conversationType: 'channel',
        tenantId: options.tenantId ?? TENANT_ID,
        name: 'Recoveries',
      },
      channelData: { tenant: { id: options.tenantId ?? TENANT_ID } },
    };
    return this.turn(activity);
  }

  /** `recover` by Megan, then confirm the scenario and request approval, as the requester would: the case as stored. */
  /** Sends `recover <upn>`; the stored case and everything the bot said about it (the reply and what it posted in the thread). */
  async openCase(upn: string): Promise<{ c: RecoveryCase; text: string }> {
    const text = repliesText(await this.send(`recover ${upn}`));
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(text)?.[1];
    if (!caseId) throw new Error(`no case opened for ${upn}: ${text}`);
    const posted = repliesText(this.poster.writes.map((w) => w.activity));
    return { c: (await this.cases.get(caseId))!.value, text: `${text}\n${posted}` };
  }

  async caseAwaitingApproval(upn: string, scenario: 'accidental' | 'malicious' = 'malicious', reason?: string): Promise<RecoveryCase> {
    const text = repliesText(await this.send(`recover ${upn}`));
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(text)?.[1];
    if (!caseId) throw new Error(`no case opened for ${upn}: ${text}`);
    const current = async (): Promise<RecoveryCase> => (await this.cases.get(caseId))!.value;
    await this.click(Verb.confirmScenario, { caseId, version: (await current()).version, scenario, ...(reason ? { reason } : {}) });
    await this.click(Verb.requestApproval, { caseId, version: (await current()).version });
    const c = await current();
    if (c.state !== 'awaitingApproval') throw new Error(`case ${caseId} for ${upn} is ${c.state}, not awaiting approval (an override needs a reason)`);
    return c;
  }

  /**
   * A malicious recovery's identity step without Verified ID, as the thread does it: the requester asks for the fallback
   * with a manual method and its evidence, and an approver who did not approve the plan (Patti, for a case Alex approved)
   * accepts it. Throws unless the identity is then established.
   */
  async identityByFallback(caseId: string, options: { approver?: { id: string; name: string }; method?: string; note?: string } = {}): Promise<RecoveryCase> {
    const current = async (): Promise<RecoveryCase> => (await this.cases.get(caseId))!.value;
    let c = await current();
    const stepId = c.plan?.find((s) => s.kind === 'verifyIdentity')?.id;
    const asked = await this.click(Verb.requestFallback, {
      caseId,
      version: c.version,
      stepId,
      identityMethod: options.method ?? 'Video call with manager',
      identityNote: options.note ?? 'Manager confirmed on camera',
    });
    if (!accepted(asked)) throw new Error(`the fallback was refused: ${JSON.stringify(asked.value)}`);
    c = await current();
    const decided = await this.click(Verb.approveFallback, { caseId, version: c.version, stepId }, { from: options.approver ?? USERS.patti });
    if (!accepted(decided)) throw new Error(`the fallback was not accepted: ${JSON.stringify(decided.value)}`);
    c = await current();
    if (c.identityVerification?.kind !== 'fallback') throw new Error(`case ${caseId}: the identity is not established after the fallback`);
    return c;
  }

  /** Clicks an Action.Execute button and returns the invoke response body the clicker's client gets. */
  async click(
    verb: string,
    data: Record<string, unknown>,
    options: {
      from?: { id: string; name: string };
      conversationId?: string;
      trigger?: 'manual' | 'automatic';
      tenantId?: string;
      unsigned?: boolean;
      channelId?: string;
    } = {},
  ): Promise<{ statusCode: number; type: string; value: unknown }> {
    const from = options.from ?? USERS.megan;
    const conversationId = options.conversationId ?? DEFAULT_THREAD;
    const tenantId = options.tenantId ?? TENANT_ID;
    // Like a real card: the bot signed what it drew. Tests of tampering pass their own `sig` or `unsigned`.
    if (!options.unsigned && data.sig === undefined && typeof data.caseId === 'string') {
      data = { ...data, sig: this.signer.sign({ tenantId, conversationId, caseId: data.caseId, version: Number(data.version) }) };
    }
    const invoke = cardInvoke(verb, data, {
      from: { id: `29:${from.id}`, name: from.name, aadObjectId: from.id },
      conversationId,
      tenantId,
      trigger: options.trigger ?? 'manual',
    });
    const replies = await this.turn(options.channelId ? { ...invoke, channelId: options.channelId } : invoke);
    const response = replies.find((a) => a.type === 'invokeResponse');
    const body = (response?.value as { body?: { statusCode: number; type: string; value: unknown } } | undefined)?.body;
    if (!body) throw new Error(`no invoke response for ${verb}: ${JSON.stringify(replies)}`);
    return body;
  }
}

/**
 * The Temporary Access Pass a Reveal answer shows (the value of its card: the one line of 8 to 48 characters without
 * spaces that is not the case id), or undefined when the answer holds none.
 */
export function revealedPass(cardValue: unknown): string | undefined {
  return repliesText([{ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: cardValue }] }])
    .split('\n')
    .find((l) => /^\S{8,48}$/.test(l) && !l.startsWith('RC-'));
}

/** Every text in the bot's replies: message text and all card TextBlocks and fact values. */
export function repliesText(replies: Partial<Activity>[]): string {
  const collect = (node: unknown): string[] => {
    if (Array.isArray(node)) return node.flatMap(collect);
    if (node && typeof node === 'object') {
      const r = node as Record<string, unknown>;
      const own = [r.text, r.value, r.title].filter((v): v is string => typeof v === 'string');
      return [...own, ...Object.values(r).flatMap(collect)];
    }
    return [];
  };
  return replies.flatMap((a) => [a.text ?? '', ...collect(a.attachments ?? [])]).join('\n');
}
