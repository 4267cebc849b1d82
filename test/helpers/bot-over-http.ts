import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { CardSigner } from '../../src/teams/card-signature';
import { cardInvoke, DEFAULT_THREAD } from './bot-harness';
import { TENANT_ID } from './demo-ids';
import { spawnBot, waitFor, type Exited } from './spawn-bot';
import { PROCESSES } from './test-clock';
import type { ChildProcess } from 'node:child_process';

/** The signing key the bot processes of these tests share, like every instance of one deployment does. */
/** Message ids: unique within a test file, the same on every run. */
let messageCount = 0;

export const TEST_SIGNING_KEY = 'multi-instance-test-card-signing-key-0123456789';

export interface ConnectorWrite {
  readonly kind: 'post' | 'update';
  readonly conversationId: string;
  readonly activityId: string;
  readonly activity: Partial<Activity>;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The Bot Connector as far as the bot uses it (replies, proactive posts, edits, roster lookups), on loopback: it
 * records every activity the bot sends, so a test can read the thread as people would and scan it for secrets.
 */
export class FakeConnector {
  readonly writes: ConnectorWrite[] = [];
  /** Entra object ids of the people in the team's roster (roster lookups find them; 1:1 chats can be created). */
  readonly roster = new Set<string>();
  /** The Teams ids of the members of every 1:1 chat the bot created, in order. */
  readonly created: string[] = [];
  private next = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    const self: { connector?: FakeConnector } = {};
    const server = createServer((request, response) => {
      void body(request).then((text) => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
        const post = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
        const connector = self.connector;
        if (connector && post && (request.method === 'POST' || request.method === 'PUT')) {
          const activity = JSON.parse(text || '{}') as Partial<Activity>;
          const id = request.method === 'PUT' ? (post[2] ?? '') : `activity-${connector.next++}`;
          connector.writes.push({ kind: request.method === 'PUT' ? 'update' : 'post', conversationId: post[1] ?? '', activityId: id, activity });
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
          return;
        }
        // A 1:1 chat created for a roster member (POST /v3/conversations): Teams answers with the chat's id.
        if (connector && path === '/v3/conversations' && request.method === 'POST') {
          const member = (JSON.parse(text || '{}') as { members?: { id?: string }[] }).members?.[0]?.id ?? '';
          connector.created.push(member);
          response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `a:chat-${member}` }));
          return;
        }
        // Roster lookups by Entra object id: only the people a test put on the roster; nobody by default, as the
        // Agents Playground (which knows people only by their Teams ids).
        const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(path)?.[1];
        if (connector && member && request.method === 'GET' && connector.roster.has(member)) {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `29:${member}`, aadObjectId: member, name: member }));
          return;
        }
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: 'not found' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self.connector = new FakeConnector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return self.connector;
  }

  /** Every text of everything sent to the conversation, cards included, for secret scans. */
  everything(): string {
    return JSON.stringify(this.writes);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface Person {
  readonly id: string;
  readonly name: string;
}

export type InvokeBody = { statusCode: number; type: string; value: unknown };

/**
 * The signature on a forged click: as the bot signs for the click's own conversation ('valid'), as it signed for
 * another conversation or tenant (a card replayed elsewhere), a literal string (forged), or none ('missing').
 */
export type SignatureChoice =
  | 'valid'
  | 'missing'
  | { readonly signedFor: { readonly tenantId?: string; readonly conversationId?: string; readonly version?: number } }
  | { readonly literal: unknown };

export interface ClickOptions {
  readonly from: Partial<Activity['from']>;
  readonly conversationId?: string;
  readonly tenantId?: string;
  readonly channelId?: string;
  readonly trigger?: 'manual' | 'automatic';
  readonly sig?: SignatureChoice;
}

const signer = new CardSigner(TEST_SIGNING_KEY);

/** The fields the bot signs for a click's data: an incident card's (`incidentId`) or a case card's (`caseId`). */
function signatureFor(choice: SignatureChoice, data: Record<string, unknown>, where: { tenantId: string; conversationId: string }): unknown {
  if (choice === 'missing') return undefined;
  if (typeof choice === 'object' && 'literal' in choice) return choice.literal;
  const base = { ...where, version: Number(data.version), ...(choice === 'valid' ? {} : choice.signedFor) };
  return signer.sign(typeof data.incidentId === 'string' ? { ...base, incidentId: data.incidentId } : { ...base, caseId: String(data.caseId) });
}

/**
 * One bot process (`src/index.ts`, demo mode: inbound authentication off, Graph on the given simulator) driven over
 * real HTTP like the Bot Connector drives it: messages and card clicks to /api/messages, answers to the FakeConnector.
 */
export class BotInstance {
  private constructor(
    readonly name: string,
    private readonly process: { child: ChildProcess; exited: Promise<Exited>; output: () => string },
    readonly url: string,
    private readonly connector: FakeConnector,
  ) {}

  static async start(name: string, env: Record<string, string>, connector: FakeConnector, options: { compiled?: boolean } = {}): Promise<BotInstance> {
    const started = spawnBot(
      {
        BOT_MODE: 'demo',
        PORT: '0',
        LOG_LEVEL: 'info',
        CARD_SIGNING_KEY: TEST_SIGNING_KEY,
        CLOCK_OFFSET_MS: String(PROCESSES.offsetMs),
        ...env,
      },
      options.compiled,
    );
    const listening = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/;
    await waitFor(() => Promise.resolve(listening.test(started.output()) || started.child.exitCode !== null), `bot ${name} to listen`, 60_000);
    const url = listening.exec(started.output())?.[1];
    if (!url) throw new Error(`bot ${name} did not start:\n${started.output()}`);
    return new BotInstance(name, started, url, connector);
  }

  output(): string {
    return this.process.output();
  }

  /** The bot's process id (the benchmark reads its peak resident memory). */
  get pid(): number | undefined {
    return this.process.child.pid;
  }

  /** A channel message from a person; resolves with the replies the bot posted for it. */
  async message(text: string, from: Person, conversationId = DEFAULT_THREAD): Promise<string> {
    const id = `message-${++messageCount}`;
    const activity: Partial<Activity> = {
      type: 'message',
      id,
      text,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from: { id: `29:${from.id}`, name: from.name, aadObjectId: from.id },
      recipient: { id: '28:bot', name: 'Entra Recovery' },
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: TENANT_ID, name: 'Recoveries' },
      channelData: { tenant: { id: TENANT_ID } },
    };
    const response = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (!response.ok) throw new Error(`bot ${this.name} answered ${response.status} to "${text}"`);
    return this.connector.writes
      .filter((w) => w.activity.replyToId === id)
      .map((w) => JSON.stringify(w.activity))
      .join('\n');
  }

  /**
   * Any activity JSON (or any text) posted to /api/messages as is: the HTTP status, the raw answer, and which worker
   * answered (`X-Bot-Worker`, when the process runs several: WEB_CONCURRENCY).
   */
  async post(activity: unknown): Promise<{ status: number; text: string; worker?: string }> {
    const payload = typeof activity === 'string' ? activity : JSON.stringify(activity);
    const response = await fetch(`${this.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    const worker = response.headers.get('x-bot-worker');
    return { status: response.status, text: await response.text(), ...(worker ? { worker } : {}) };
  }

  /**
   * A card click with everything an attacker controls: who (`from`, any aadObjectId or none), where (conversation,
   * tenant, channelId), the trigger, and the signature (as the bot signs for this conversation, signed for another
   * conversation or tenant, any string, or none). Resolves with the invoke response body and the activity id, which
   * the bot's log lines name.
   */
  async invoke(verb: string, data: Record<string, unknown>, options: ClickOptions): Promise<{ body: InvokeBody; activityId: string; worker?: string }> {
    const conversationId = options.conversationId ?? DEFAULT_THREAD;
    const tenantId = options.tenantId ?? TENANT_ID;
    const sig = signatureFor(options.sig ?? 'valid', data, { tenantId, conversationId });
    const invoke = cardInvoke(verb, sig === undefined ? data : { ...data, sig }, {
      from: options.from as Activity['from'],
      conversationId,
      tenantId,
      trigger: options.trigger ?? 'manual',
    });
    const activity = { ...invoke, serviceUrl: this.connector.url, ...(options.channelId ? { channelId: options.channelId } : {}) };
    const { status, text, worker } = await this.post(activity);
    if (status !== 200) throw new Error(`bot ${this.name} answered ${status} to ${verb}: ${text}`);
    return { body: JSON.parse(text) as InvokeBody, activityId: String(activity.id), ...(worker ? { worker } : {}) };
  }

  /** A click on a case or incident card the bot drew (signed as the bot signs), by a person; resolves with the invoke response body. */
  async click(
    verb: string,
    data: ({ caseId: string } | { incidentId: string }) & { version: number } & Record<string, unknown>,
    by: Person,
    conversationId = DEFAULT_THREAD,
  ): Promise<InvokeBody> {
    return (await this.clickAnswered(verb, data, by, conversationId)).body;
  }

  /** A click as `click` makes it, with which worker answered it (WEB_CONCURRENCY > 1; undefined in a single process). */
  clickAnswered(
    verb: string,
    data: ({ caseId: string } | { incidentId: string }) & { version: number } & Record<string, unknown>,
    by: Person,
    conversationId = DEFAULT_THREAD,
  ): Promise<{ body: InvokeBody; worker?: string }> {
    return this.invoke(verb, data, { from: { id: `29:${by.id}`, name: by.name, aadObjectId: by.id }, conversationId });
  }

  /** Stops the process: SIGTERM lets it finish what is in flight; SIGKILL is a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<Exited> {
    if (this.process.child.exitCode === null && this.process.child.signalCode === null) this.process.child.kill(signal);
    return this.process.exited;
  }
}
