import { join } from 'node:path';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { openCase } from '../../src/app/open-case';
import { showCase } from '../../src/app/show-case';
import type { Clock, IdGenerator } from '../../src/ports/clock';
import type { LogFields, Logger } from '../../src/ports/logger';
import { SimulatedTenantCredential } from '../../src/entra/credentials';
import { createGraphClient } from '../../src/entra/graph-client';
import { GraphDirectory } from '../../src/entra/graph-directory';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { createBotApp, reportTurnError } from '../../src/teams/bot-app';
import type { BotDeps } from '../../src/teams/bot-deps';
import { CardRenderer } from '../../src/views/card-renderer';
import { GROUPS, TENANT_ID, USERS } from './demo-ids';

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
export class BotHarness {
  readonly logs: LogLine[] = [];
  readonly storage = new MemoryStorage();
  readonly cases = new StorageCaseStore(this.storage);
  private nextId = 0;

  private constructor(readonly simulator: RunningSimulator) {}

  static async start(): Promise<BotHarness> {
    return new BotHarness(await startSimulator({ port: 0 }));
  }

  async stop(): Promise<void> {
    await this.simulator.close();
  }

  deps(): BotDeps {
    const logger = recordingLogger(this.logs);
    const clock: Clock = { now: () => new Date() };
    const ids: IdGenerator = { caseId: () => `RC-${String(++this.nextId).padStart(8, '0')}` };
    const directory = new GraphDirectory(createGraphClient({ baseUrl: this.simulator.url, credential: new SimulatedTenantCredential(), retryDelaySeconds: 1, maxRetries: 1 }), this.simulator.url);
    return {
      openCase: (request) => openCase({ directory, cases: this.cases, clock, ids, logger, tenantId: TENANT_ID, helpdeskGroupIds: [GROUPS.helpdesk], auditWindowDays: 30 }, request),
      showCase: (request) => showCase({ cases: this.cases, directory, tenantId: TENANT_ID, readerGroupIds: [GROUPS.helpdesk, GROUPS.approvers] }, request),
      cards: new CardRenderer(join(__dirname, '..', '..', 'cards'), true),
      logger,
      tenantId: TENANT_ID,
    };
  }

  /** Sends one activity through the real Application and returns what the bot sent back. */
  async send(text: string, options: { from?: { id: string; name: string } | null; tenantId?: string; conversationId?: string } = {}): Promise<Partial<Activity>[]> {
    const deps = this.deps();
    const app = createBotApp(deps);
    const adapter = new TestAdapter(async (context) => {
      await app.run(context);
    });
    adapter.onTurnError = (context, error) => reportTurnError(deps, context, error);
    const from = options.from === undefined ? USERS.megan : options.from;
    const activity: Partial<Activity> = {
      type: 'message',
      id: `activity-${Math.random().toString(36).slice(2)}`,
      text,
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/',
      from: from ? { id: `29:${from.id}`, name: from.name, aadObjectId: from.id } : { id: '29:anonymous', name: 'anonymous' },
      recipient: { id: '28:bot', name: 'Entra Recovery' },
      conversation: { id: options.conversationId ?? '19:recoveries@thread.tacv2;messageid=1700000000000', isGroup: true, conversationType: 'channel', tenantId: options.tenantId ?? TENANT_ID, name: 'Recoveries' },
      channelData: { tenant: { id: options.tenantId ?? TENANT_ID } },
    };
    await adapter.processActivity(activity, async (context) => {
      await app.run(context);
    });
    return adapter.activeQueue.splice(0);
  }
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
