/**
 * Composition root: config -> adapters -> use cases -> Teams app -> HTTP server. The only file that wires everything.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { MemoryStorage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigError, parseConfig, type Config } from './config';
import { pendingApprovers } from './app/approvals';
import { BackgroundWork } from './app/background-work';
import { TimerScheduler } from './app/timer-scheduler';
import { bindCaseActions } from './app/case-actions';
import { withMembershipCache } from './app/membership-cache';
import { openCase } from './app/open-case';
import { resumeOpenCases } from './app/resume-cases';
import { showCase } from './app/show-case';
import { formatCaseId } from './domain/case-id';
import { generatePassword } from './entra/password-generator';
import { createGraphClient } from './entra/graph-client';
import { createGraphCredential } from './entra/credentials';
import { GraphDirectory } from './entra/graph-directory';
import { createHttpApp, listen } from './http/server';
import { createConsoleLogger } from './logging/console-logger';
import type { Clock, IdGenerator } from './ports/clock';
import { FileStorage } from './store/file-storage';
import { StorageCaseStore } from './store/storage-case-store';
import { createBotApp } from './teams/bot-app';
import { CardSigner } from './teams/card-signature';
import { ThreadCards } from './teams/thread-cards';
import { PacedThreadPoster } from './teams/paced-thread-poster';
import { AdapterThreadPoster } from './teams/thread-poster';
import { CardRenderer } from './views/card-renderer';

function botFrameworkAuth(config: Config): Record<string, string> {
  switch (config.bot.kind) {
    case 'disabled':
      return {};
    case 'SingleTenant':
      return { MicrosoftAppId: config.bot.appId, MicrosoftAppPassword: config.bot.password, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: config.bot.tenantId };
    case 'UserAssignedMSI':
      return { MicrosoftAppId: config.bot.appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: config.bot.tenantId };
  }
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = parseConfig(process.env);
  const logger = createConsoleLogger(config.logLevel);
  const clock: Clock = { now: () => new Date() };
  const ids: IdGenerator = { caseId: () => formatCaseId(randomBytes(8)) };

  const graph = createGraphClient({ baseUrl: config.graph.baseUrl, credential: createGraphCredential(config.graph.credential) });
  const directory = withMembershipCache(new GraphDirectory(graph, config.graph.baseUrl), clock);
  // Cases and thread references: Azure Blob storage when configured (several instances), else files on disk (one
  // process), else memory (the demo, whose tenant is in memory too).
  const storage = config.blobStorage
    ? new BlobsStorage(config.blobStorage.connectionString, config.blobStorage.container)
    : config.dataDir
      ? new FileStorage(config.dataDir)
      : new MemoryStorage();
  const cases = new StorageCaseStore(storage);
  const cards = new CardRenderer(join(__dirname, '..', 'cards'), config.mode === 'demo');

  const adapter = new TeamsAdapter(botFrameworkAuth(config));
  const botAppId = config.bot.kind === 'disabled' ? undefined : config.bot.appId;
  const settings = {
    tenantId: config.tenantId,
    auditWindowDays: config.auditWindowDays,
    helpdeskGroupIds: config.policy.helpdeskGroupIds,
    approverGroupIds: config.policy.approverGroupIds,
    privilegedApproverGroupIds: config.policy.privilegedApproverGroupIds,
    triage: config.triage,
    approvalTtlMinutes: config.approvalTtlMinutes,
    approvalReminderMinutes: config.approvalReminderMinutes,
    tap: config.tap,
    identityVerificationMethods: config.identityVerificationMethods,
  };
  const signer = new CardSigner(config.cardSigningKey);
  const background = new BackgroundWork(logger);
  const timers = new TimerScheduler(clock, logger);
  // Teams throttles a bot per thread (about 7 sends a second): every proactive post and card edit goes through the pacer.
  const poster = new PacedThreadPoster(new AdapterThreadPoster(adapter, botAppId ?? ''), logger);
  const observer = new ThreadCards(poster, storage, {
    cards,
    signer,
    logger,
    identityVerificationMethods: settings.identityVerificationMethods,
    tap: settings.tap,
    pendingApprovers: (c) => pendingApprovers({ directory, settings }, c),
  });
  const caseDeps = { directory, cases, clock, logger, secrets: { password: generatePassword }, observer, settings };
  const actions = bindCaseActions(caseDeps, background, timers);
  const app = createBotApp(
    {
      openCase: (request) =>
        openCase({ directory, cases, clock, ids, logger, tenantId: config.tenantId, helpdeskGroupIds: config.policy.helpdeskGroupIds, auditWindowDays: config.auditWindowDays }, request),
      showCase: (request) =>
        showCase({ cases, directory, tenantId: config.tenantId, readerGroupIds: [...config.policy.helpdeskGroupIds, ...config.policy.approverGroupIds] }, request),
      checkJournal: (caseId) => cases.checkJournal(caseId),
      cards,
      signer,
      actions,
      logger,
      tenantId: config.tenantId,
    },
    { adapter, ...(botAppId ? { botAppId } : {}) },
  );

  const server = await listen(createHttpApp({ adapter, run: (ctx) => app.run(ctx), mode: config.mode, logger }), config.host, config.port, logger);
  await resumeOpenCases(caseDeps, timers, actions.background);
  if (config.mode === 'demo') {
    logger.warn('DEMO MODE: inbound authentication is off and Graph calls go to the simulated tenant', { graph: config.graph.baseUrl, url: server.url });
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    timers.cancelAll();
    Promise.all([server.close(), background.idle()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}\nSee .env.example and the README's configuration table.`);
  } else {
    console.error('The bot failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
