import { TestAdapter, type Activity } from 'botbuilder';
import type { RecoveryCase } from '../../src/domain/case';
import { loadDemoSeed, type TenantSeed } from '../../src/simulator';
import { createBotApp, reportTurnError } from '../../src/teams/bot-app';
import type { BotDeps } from '../../src/teams/bot-deps';
import type { Application } from '@microsoft/teams-ai';
import { Verb } from '../../src/views/verbs';
import { cardInvoke, DEFAULT_THREAD, repliesText, type BotHarness } from './bot-harness';
import { GROUPS, TENANT_ID, USERS } from './demo-ids';
import { accepted, CARD_ANSWER, refusalOf } from './invoke-answers';

/** Someone who clicks or types: the object id the channel puts in `from.aadObjectId`, and a display name. */
export interface Person {
  readonly id: string;
  readonly name: string;
  readonly upn?: string;
}

export const THREAD = DEFAULT_THREAD;
export const FOREIGN_TENANT = '0b5e1d9c-7a1f-4e2d-9c3b-8f6a5d4e3c21';

/** A user of a test seed: a copy of Johanna (nothing changed) under another id, UPN and name. */
export function seedUser(seed: TenantSeed, id: string, upn: string, displayName: string): TenantSeed['users'][number] {
  const template = seed.users.find((u) => u.id === USERS.johanna.id);
  if (!template) throw new Error('the demo seed has no Johanna');
  const [givenName = displayName, surname = ''] = displayName.split(' ');
  return {
    ...template,
    id,
    displayName,
    givenName,
    surname,
    userPrincipalName: upn,
    mail: upn,
    mailNickname: upn.split('@')[0] ?? 'user',
    businessPhones: [],
    userPreferredMethodForSecondaryAuthentication: 'push',
    methods: [
      {
        type: 'microsoftAuthenticator',
        id: `a7c0de11-${id.slice(9, 13)}-4a1b-9c2d-${id.slice(-12)}`,
        displayName: 'Pixel 8',
        phoneAppVersion: '6.2406.4005',
        createdDateTime: { daysAgo: 90, time: '09:12:44' },
      },
      { type: 'phone', id: '3179e48a-750b-4051-897c-87b9720928f7', phoneType: 'mobile', phoneNumber: '+1 425 555 0177' },
    ],
  };
}

function addToGroup(seed: TenantSeed, groupId: string, memberId: string): void {
  const group = seed.groups?.find((g) => g.id === groupId);
  if (!group) throw new Error(`no group ${groupId} in the seed`);
  (group.members ??= []).push(memberId);
}

/** People added to the demo tenant for the adversarial tests. */
export const EXTRA = {
  /** Helpdesk agent and security approver at once: may open cases and approve others', never her own. */
  hana: { id: '9a1b7c20-0101-4e8a-9c11-000000000101', upn: 'hana@contoso.com', name: 'Hana Ito' },
  /** A second privileged approver, so that a privileged target's quorum of two can be reached. */
  pradeep: { id: '9a1b7c20-0102-4e8a-9c11-000000000102', upn: 'pradeep@contoso.com', name: 'Pradeep Rao' },
} as const;

/** The demo tenant plus Hana (helpdesk + approver) and Pradeep (privileged approver). */
export function adversarialSeed(): TenantSeed {
  const seed = loadDemoSeed();
  seed.users.push(seedUser(seed, EXTRA.hana.id, EXTRA.hana.upn, EXTRA.hana.name), seedUser(seed, EXTRA.pradeep.id, EXTRA.pradeep.upn, EXTRA.pradeep.name));
  addToGroup(seed, GROUPS.helpdesk, EXTRA.hana.id);
  addToGroup(seed, GROUPS.approvers, EXTRA.hana.id);
  addToGroup(seed, GROUPS.privilegedApprovers, EXTRA.pradeep.id);
  return seed;
}

/** Graph's view of the tenant that a refused click must leave alone: users, methods, deleted users, audit count. */
export function tenantSnapshot(bot: BotHarness): unknown {
  const t = bot.simulator.tenant;
  // A read of a user without methods creates an empty list; that is not a change.
  const methods = [...t.methods.entries()].filter(([, list]) => list.length > 0);
  return JSON.parse(
    JSON.stringify({ users: [...t.users.entries()], methods, deletedUsers: [...t.deletedUsers.entries()], audits: t.audits.length }),
  ) as unknown;
}

export type InvokeBody = { statusCode: number; type: string; value: unknown };

/** What a person would read in an invoke response: the message, the error code and message, or the card's texts. */
export function invokeText(body: InvokeBody | undefined): string {
  if (!body) return '';
  const refusal = body.type === CARD_ANSWER ? refusalOf(body) : undefined;
  if (refusal !== undefined) {
    // The card as the clicker reads it, with the refusal last (so "... (CODE)" ends the text as a refusal message did).
    const card = body.value as { body?: { id?: unknown }[] };
    const rest = { ...card, body: (card.body ?? []).filter((e) => e.id !== 'refusal') };
    return `${repliesText([{ attachments: [{ contentType: CARD_ANSWER, content: rest }] }])}\n${refusal}`;
  }
  if (typeof body.value === 'string') return body.value;
  const v = body.value as { code?: unknown; message?: unknown } | undefined;
  if (body.type === 'application/vnd.microsoft.error' && v) return `${String(v.code)}: ${String(v.message)}`;
  return repliesText([{ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: body.value }] }]);
}

type InvokeOptions = { from?: Partial<Activity['from']>; conversationId?: string; tenantId?: string; trigger?: 'manual' | 'automatic' };

/**
 * One bot process: one set of dependencies (card templates parsed once) and one teams-ai Application that serves
 * every turn, as in production, where concurrent clicks are concurrent turns of the same Application. (The harness
 * builds a new Application for each activity.)
 */
export class BotProcess {
  private readonly deps: BotDeps;
  private readonly app: Application;

  constructor(private readonly bot: BotHarness) {
    this.deps = bot.deps();
    this.app = createBotApp(this.deps);
  }

  /**
   * An `adaptiveCard/action` invoke with full control over the activity (a `from` without `aadObjectId`, a foreign
   * tenant), which also reports the case where the bot sent no invoke response at all.
   */
  async invoke(verb: string, data: unknown, options: InvokeOptions = {}): Promise<{ body: InvokeBody | undefined; replies: Partial<Activity>[] }> {
    const adapter = new TestAdapter(async (context) => {
      await this.app.run(context);
    });
    adapter.onTurnError = (context, error) => reportTurnError(this.deps, context, error);
    const activity = cardInvoke(verb, data, {
      from: (options.from ?? { id: `29:${USERS.megan.id}`, name: USERS.megan.name, aadObjectId: USERS.megan.id }) as Activity['from'],
      conversationId: options.conversationId ?? THREAD,
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
      trigger: options.trigger ?? 'manual',
    });
    await adapter.processActivity(activity, async (context) => {
      await this.app.run(context);
    });
    const replies = adapter.activeQueue.splice(0);
    this.bot.sent.push(...replies);
    await this.bot.background.idle();
    const response = replies.find((a) => a.type === 'invokeResponse');
    return { body: (response?.value as { body?: InvokeBody } | undefined)?.body, replies };
  }

  /** A click by a person on a card the bot drew (signed like the bot signs), answered with the invoke response. */
  async click(verb: string, data: { caseId: string; version: number } & Record<string, unknown>, by: Person, conversationId = THREAD): Promise<InvokeBody> {
    const sig = this.bot.signer.sign({ tenantId: TENANT_ID, conversationId, caseId: data.caseId, version: data.version });
    const { body } = await this.invoke(verb, { ...data, sig }, { from: { id: `29:${by.id}`, name: by.name, aadObjectId: by.id }, conversationId });
    if (!body) throw new Error(`no invoke response for ${verb} by ${by.name}`);
    return body;
  }
}

/** One invoke through a fresh bot process (see BotProcess.invoke). */
export function rawInvoke(
  bot: BotHarness,
  verb: string,
  data: unknown,
  options: InvokeOptions = {},
): Promise<{ body: InvokeBody | undefined; replies: Partial<Activity>[] }> {
  return new BotProcess(bot).invoke(verb, data, options);
}

/**
 * Drives a case the way the people in the thread do, through the real Application, and fails loudly when a step that
 * should work is refused (a broken setup must not pass for a refused attack).
 */
export class CaseDriver {
  constructor(readonly bot: BotHarness) {}

  async get(caseId: string): Promise<RecoveryCase> {
    const stored = await this.bot.cases.get(caseId);
    if (!stored) throw new Error(`no case ${caseId}`);
    return stored.value;
  }

  /** Card data as the bot would draw it now: case id and current version (the harness signs it). */
  async data(caseId: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return { caseId, version: (await this.get(caseId)).version, ...extra };
  }

  async open(upn: string, by: Person = USERS.megan, conversationId = THREAD): Promise<string> {
    const text = repliesText(await this.bot.send(`recover ${upn}`, { from: by, conversationId }));
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(text)?.[1];
    if (!caseId) throw new Error(`no case opened for ${upn}: ${text}`);
    const c = await this.get(caseId);
    if (c.state !== 'triaged') throw new Error(`case ${caseId} is ${c.state} after opening, not triaged`);
    return caseId;
  }

  /** A click that must succeed (the bot answers with a card). */
  async must(verb: string, caseId: string, by: Person, extra: Record<string, unknown> = {}, conversationId = THREAD): Promise<RecoveryCase> {
    const body = await this.bot.click(verb, await this.data(caseId, extra), { from: by, conversationId });
    if (!accepted(body)) throw new Error(`${verb} by ${by.name} on ${caseId} was refused: ${invokeText(body)}`);
    return this.get(caseId);
  }

  async planned(upn: string, scenario: 'malicious' | 'accidental', by: Person = USERS.megan, reason?: string, conversationId = THREAD): Promise<string> {
    const caseId = await this.open(upn, by, conversationId);
    await this.must(Verb.confirmScenario, caseId, by, { scenario, ...(reason ? { reason } : {}) }, conversationId);
    return caseId;
  }

  async awaiting(upn: string, scenario: 'malicious' | 'accidental' = 'malicious', by: Person = USERS.megan, conversationId = THREAD): Promise<string> {
    const caseId = await this.planned(upn, scenario, by, scenario === 'malicious' ? undefined : 'Test: accidental chosen on purpose', conversationId);
    const c = await this.must(Verb.requestApproval, caseId, by, {}, conversationId);
    if (c.state !== 'awaitingApproval') throw new Error(`case ${caseId} is ${c.state}, not awaiting approval`);
    return caseId;
  }

  /** The step that waits for a person, or throws. */
  async waitingStep(caseId: string, kind: string): Promise<string> {
    const c = await this.get(caseId);
    const step = c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');
    if (!step || step.kind !== kind || c.steps?.[step.id]?.status !== 'waiting')
      throw new Error(`case ${caseId} does not wait for ${kind}: ${c.state}, next ${step?.kind ?? 'none'}`);
    return step.id;
  }

  stepOf(c: RecoveryCase, kind: string): string {
    const step = c.plan?.find((s) => s.kind === kind);
    if (!step) throw new Error(`case ${c.id} has no ${kind} step`);
    return step.id;
  }
}
