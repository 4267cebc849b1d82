/**
 * Builds the bot from its configuration and its edges: the one place that wires adapters to use cases to the Teams
 * shell. The process entry point (src/index.ts), the test harness and the benchmark all call it, so what they run is
 * the same bot; they differ only in the edges they pass (a real or a pinned clock, timers or a manual scheduler, the
 * Bot Connector or a recording poster, files, Blob or memory).
 */
import { join } from 'node:path';
import { escalationMembers, pendingApprovers, recordApproverContact } from './app/approvals';
import type { BackgroundWork } from './app/background-work';
import { bindCaseActions } from './app/case-actions';
import { bindIncidentActions, type IncidentDeps } from './app/incident';
import { withMembershipCache } from './app/membership-cache';
import { notifyUser } from './app/notify-user';
import { openCase } from './app/open-case';
import { assessTenant, authorizeReadiness } from './app/readiness-report';
import { showCase } from './app/show-case';
import { receiveVerificationCallback, type CallbackAnswer } from './app/verify-identity';
import { caseSettings, type Config } from './config';
import { createGraphCredential } from './entra/credentials';
import { createGraphClient } from './entra/graph-client';
import { GraphDirectory } from './entra/graph-directory';
import { defaultTapTiming } from './entra/directory-writes';
import { GraphIncidentDirectory } from './entra/graph-incidents';
import { GraphNotices } from './entra/graph-notices';
import { GraphReadinessReader } from './entra/graph-readiness';
import { generatePassword } from './entra/password-generator';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './entra/retry-middleware';
import type { CaseDeps, Scheduler } from './ports/case-services';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { VerifiedIdDeps } from './ports/verified-id';
import type { DurableStorage } from './store/durable-storage';
import { StorageCaseStore } from './store/storage-case-store';
import { StorageIncidentStore } from './store/storage-incident-store';
import { createBotApp, type BotAppOptions, type BotApplication } from './teams/bot-app';
import type { BotDeps, CaseActions } from './teams/bot-deps';
import { CardSigner } from './teams/card-signature';
import { IncidentThreadCards } from './teams/incident-thread';
import { AdapterChatOpener, AdapterPersonalChat } from './teams/personal-chat';
import { ApproverChats, type ChatOpener } from './teams/approver-chats';
import { ChatDirectory } from './teams/chat-directory';
import { readinessPosterFor } from './teams/readiness-later';
import { ThreadCards } from './teams/thread-cards';
import type { ThreadPoster } from './teams/thread-poster';
import { CardRenderer } from './views/card-renderer';

/** What differs between a process, a test and the benchmark. Everything else comes from the configuration. */
export interface BotEdges {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly storage: DurableStorage;
  /** Proactive posts and card edits (in a process: the Bot Connector, paced per thread). */
  readonly poster: ThreadPoster;
  /** Approval reminders and expiry (in a process: timers). */
  readonly scheduler: Scheduler;
  /** Work that must not hold up a click. */
  readonly background: BackgroundWork;
  readonly newCaseId: () => string;
  readonly newIncidentId: () => string;
  /** Overrides of the Graph client's retry policy (tests: short waits). */
  readonly graphRetry?: Partial<RetryPolicy>;
  /** Overrides of the per-step deadline of automatic steps (default in execute-case). */
  readonly stepDeadlineMs?: number;
  /** How often a running bulk incident edits its progress card (default 3 s). */
  readonly incidentProgressIntervalMs?: number;
  /** The bulk-incident finder's back-off jitter (tests: none). */
  readonly incidentJitterMs?: () => number;
  /** Verified ID, when configured (the Request Service client and the rules its answers are decided by). */
  readonly verifiedId?: VerifiedIdDeps;
  /** The Teams adapter and bot app id; absent where botbuilder's TestAdapter drives the Application. */
  readonly app?: BotAppOptions;
  /** Opens approvers' 1:1 chats from the team roster (default: through the adapter, when there is one). */
  readonly chatOpener?: ChatOpener;
}

export interface ComposedBot {
  /** The teams-ai Application: one per process, shared by every turn. */
  readonly app: BotApplication;
  /** What the Teams shell needs (the turn-error handler reads it too). */
  readonly bot: BotDeps;
  readonly actions: CaseActions;
  /** The case use cases' dependencies, for start-up work: resuming cases, the periodic sweep. */
  readonly caseDeps: CaseDeps;
  readonly incidentDeps: IncidentDeps;
  readonly cases: StorageCaseStore;
  readonly cards: CardRenderer;
  /** POST /api/verifiedid/callback: one Request Service callback, with its `api-key` header. */
  readonly verifiedIdCallback: (apiKey: string | undefined, body: unknown) => Promise<CallbackAnswer>;
  /** The tenant readiness report (the scheduled post reads it too). */
  readonly assessTenant: () => ReturnType<typeof assessTenant>;
}

export function composeBot(config: Config, edges: BotEdges): ComposedBot {
  const { clock, logger, storage, poster, background } = edges;
  const graph = createGraphClient({
    baseUrl: config.graph.baseUrl,
    credential: createGraphCredential(config.graph.credential, () => clock.now().getTime()),
    ...(edges.graphRetry ? { retry: edges.graphRetry } : {}),
  });
  const attemptMs = edges.graphRetry?.attemptTimeoutMs ?? DEFAULT_RETRY_POLICY.attemptTimeoutMs;
  const directory = withMembershipCache(new GraphDirectory(graph, config.graph.baseUrl, {}, defaultTapTiming(attemptMs)), clock);
  const readinessReader = new GraphReadinessReader(graph, config.graph.baseUrl, clock);
  const cases = new StorageCaseStore(storage, config.journalKey);
  const cards = new CardRenderer(join(__dirname, '..', 'cards'), config.mode === 'demo');
  const signer = new CardSigner(config.cardSigningKey);
  const settings = { ...caseSettings(config), ...(edges.stepDeadlineMs !== undefined ? { stepDeadlineMs: edges.stepDeadlineMs } : {}) };
  const readerGroupIds = [...config.policy.helpdeskGroupIds, ...config.policy.approverGroupIds];

  const cardDeps = {
    cards,
    signer,
    identityVerificationMethods: settings.identityVerificationMethods,
    tap: settings.tap,
    ...(edges.verifiedId ? { verifiedId: { maxAttempts: edges.verifiedId.maxAttempts } } : {}),
    now: () => clock.now(),
  };
  const threadCards = new ThreadCards(poster, storage, {
    ...cardDeps,
    clock,
    logger,
    pendingApprovers: (c) => pendingApprovers({ directory, settings }, c),
  });
  const chats = new ChatDirectory(storage, clock, logger);
  const opener = edges.chatOpener ?? (edges.app?.adapter ? new AdapterChatOpener(edges.app.adapter, edges.app.botAppId ?? '') : undefined);
  const approverChats = new ApproverChats(poster, storage, chats, {
    ...cardDeps,
    clock,
    logger,
    load: async (caseId) => (await cases.get(caseId))?.value,
    pendingApprovers: (c) => pendingApprovers({ directory, settings }, c),
    escalationMembers: (c) => escalationMembers({ directory, settings }, c),
    recordContact: (caseId, contact) => recordApproverContact({ cases, clock, logger }, caseId, contact),
    background: (key, work) => background.run(key, work),
    ...(opener ? { opener } : {}),
    timeZone: settings.triage.timeZone,
  });
  // The thread's cards first (in the click's turn), then the approvers' chats (after the answer).
  const observer: CaseDeps['observer'] = {
    caseChanged: async (c) => {
      await threadCards.caseChanged(c);
      approverChats.caseChanged(c);
    },
    notify: (c, text) => threadCards.notify(c, text),
    approversNudged: (c) => approverChats.caseChanged(c),
  };
  const caseDeps: CaseDeps = {
    directory,
    cases,
    clock,
    logger,
    secrets: { password: generatePassword },
    observer,
    settings,
    ...(edges.verifiedId ? { verifiedId: edges.verifiedId } : {}),
  };
  const incidentCards = new IncidentThreadCards(poster, storage, { cards, signer, logger });
  const incidentDeps: IncidentDeps = {
    incidents: new StorageIncidentStore(storage),
    finder: new GraphIncidentDirectory(graph, config.graph.baseUrl, edges.incidentJitterMs ? { jitterMs: edges.incidentJitterMs } : {}),
    directory,
    clock,
    logger,
    newId: edges.newIncidentId,
    observer: incidentCards,
    settings: {
      quorum: config.incidentApprovals,
      helpdeskGroupIds: config.policy.helpdeskGroupIds,
      approverGroupIds: config.policy.approverGroupIds,
      progressIntervalMs: edges.incidentProgressIntervalMs ?? 3_000,
    },
  };
  const notices = new GraphNotices(graph);
  const chat = edges.app?.adapter ? new AdapterPersonalChat(edges.app.adapter, edges.app.botAppId ?? '') : undefined;
  const noticeDeps = { cases, clock, logger, notices, ...(chat ? { chat } : {}), settings: config.notify };
  const assess = (): ReturnType<typeof assessTenant> => assessTenant(readinessReader, { verifiedId: config.verifiedId });
  const actions = bindCaseActions(caseDeps, background, edges.scheduler);
  const bot: BotDeps = {
    openCase: async (request) => {
      const opened = await openCase(
        {
          directory,
          cases,
          clock,
          ids: { caseId: edges.newCaseId },
          logger,
          tenantId: config.tenantId,
          helpdeskGroupIds: config.policy.helpdeskGroupIds,
          privilegeGroups: config.policy,
          auditWindowDays: config.auditWindowDays,
          risk: { ...config.helpdeskRisk, workingHours: config.triage },
          notices,
        },
        request,
      );
      // The real user hears of it out of band, after the case is stored and without holding up the answer.
      if (opened.ok) background.run(`notice:${opened.value.id}`, () => notifyUser(noticeDeps, opened.value));
      return opened;
    },
    showCase: (request) => showCase({ cases, directory, tenantId: config.tenantId, readerGroupIds }, request),
    checkJournal: (caseId) => cases.checkJournal(caseId),
    readiness: {
      authorize: (request) => authorizeReadiness({ directory, tenantId: config.tenantId, readerGroupIds }, request),
      postWhenRead: readinessPosterFor({ assess, poster, background, logger }),
    },
    cards,
    signer,
    actions,
    chats: { remember: (activity) => chats.remember(activity), requestChat: (caseId, aad) => approverChats.requestChat(caseId, aad) },
    incidents: { ...bindIncidentActions(incidentDeps, background), cardShown: (c, activityId) => incidentCards.shown(c, activityId) },
    logger,
    tenantId: config.tenantId,
  };
  return {
    app: createBotApp(bot, edges.app),
    bot,
    actions,
    caseDeps,
    incidentDeps,
    cases,
    cards,
    verifiedIdCallback: (apiKey, body) => receiveVerificationCallback(caseDeps, apiKey, body),
    assessTenant: assess,
  };
}
