/**
 * Composition root: config -> adapters -> use cases -> Teams app -> HTTP server. The only file that wires everything;
 * src/index.ts (the entry point) runs it in the process, or in each worker (WEB_CONCURRENCY).
 */
import { randomBytes } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import type { BlobStorageConfig, Config } from './config';
import { BackgroundWork } from './app/background-work';
import { TimerScheduler } from './app/timer-scheduler';
import { newSweepMemory, resumeOpenCases } from './app/resume-cases';
import { resumeIncidents } from './app/incident';
import { composeBot } from './compose-bot';
import { createVerifiedIdDeps } from './entra/verified-id-deps';
import type { Clock } from './ports/clock';
import { formatCaseId } from './domain/case-id';
import { createHttpApp, listen } from './http/server';
import { createConsoleLogger } from './logging/console-logger';
import { BlobStorage } from './store/blob-storage';
import type { DurableStorage } from './store/durable-storage';
import { FileStorage } from './store/file-storage';
import { InMemoryStorage } from './store/memory-storage';
import { BotAdapter } from './teams/bot-adapter';
import { botFrameworkAuth } from './teams/bot-framework-auth';
import { startReadinessSchedule } from './teams/readiness-schedule';
import { PacedThreadPoster } from './teams/paced-thread-poster';
import { AdapterThreadPoster } from './teams/thread-poster';
import { workerIdentity } from './workers';

/** A run or triage untouched this long is taken over by another instance's sweep (a step writes when it starts and ends). */
const RUN_ABANDONED_MS = 5 * 60_000;

function blobStorage(config: BlobStorageConfig): BlobStorage {
  if (config.kind === 'connectionString') return new BlobStorage(config);
  const credential = new ManagedIdentityCredential(config.clientId ? { clientId: config.clientId } : {});
  return new BlobStorage({ kind: 'accountUrl', accountUrl: config.accountUrl, container: config.container, credential });
}

/** The bot: everything a process of it runs, from the parsed configuration to the HTTP server and its stop on a signal. */
export async function runBot(config: Config): Promise<void> {
  const worker = workerIdentity();
  const logger = createConsoleLogger(config.logLevel, undefined, worker ?? {});
  // The wall clock; in demo mode a test may pin it (CLOCK_OFFSET_MS), never in production.
  const clock: Clock = { now: () => new Date(Date.now() + config.clockOffsetMs) };
  // Cases and thread references: Azure Blob storage when configured (several instances), else files on disk (the
  // workers of one machine), else memory (the demo with one worker, whose tenant is in memory too).
  const storage: DurableStorage = config.blobStorage
    ? blobStorage(config.blobStorage)
    : config.dataDir
      ? new FileStorage(config.dataDir)
      : new InMemoryStorage();
  const adapter = new BotAdapter(botFrameworkAuth(config.bot));
  const botAppId = config.bot.kind === 'disabled' ? undefined : config.bot.appId;
  const background = new BackgroundWork(logger);
  const timers = new TimerScheduler(clock, logger);
  // Teams throttles a bot per thread (about 7 sends a second): every proactive post and card edit goes through the pacer.
  const threadPoster = new PacedThreadPoster(new AdapterThreadPoster(adapter, botAppId ?? ''), logger);
  // Verified ID (config.verifiedId): the Request Service client on the same credential settings as Graph's. In the demo
  // without VERIFIED_ID_CALLBACK_URL the callback goes to the address this process listens on, known after listen().
  const listening: { url?: string } = {};
  const verifiedId = createVerifiedIdDeps(
    config,
    clock,
    logger,
    config.verifiedId?.callbackFromListener
      ? { callbackUrl: () => `${(listening.url ?? '').replace('://0.0.0.0:', '://127.0.0.1:')}/api/verifiedid/callback` }
      : {},
  );
  const { app, actions, caseDeps, incidentDeps, cards, assessTenant, verifiedIdCallback } = composeBot(config, {
    ...(verifiedId ? { verifiedId } : {}),
    clock,
    logger,
    storage,
    poster: threadPoster,
    scheduler: timers,
    background,
    newCaseId: () => formatCaseId(randomBytes(8)),
    newIncidentId: () => formatCaseId(randomBytes(8)).replace(/^RC-/, 'IN-'),
    app: { adapter, ...(botAppId ? { botAppId } : {}) },
  });

  const server = await listen(
    createHttpApp({
      adapter,
      run: (ctx) => app.run(ctx),
      mode: config.mode,
      logger,
      ...(caseDeps.verifiedId ? { verifiedIdCallback } : {}),
      ...(worker ? { worker: worker.worker } : {}),
    }),
    config.host,
    config.port,
    logger,
  );
  listening.url = server.url;
  // At start-up, whatever the previous process left; then, every CASE_SWEEP_SECONDS, what an instance that died left
  // (runs and triage untouched for RUN_ABANDONED_MS) and approval timers of cases other instances opened.
  const sweepMemory = newSweepMemory();
  const runInBackground = (caseId: string, work: 'triage' | 'run'): void => actions.background(caseId, work);
  await resumeOpenCases(caseDeps, timers, runInBackground, 0, sweepMemory);
  // Incidents a stopped process left running: each user is restored once (a restored user is found active).
  background.run('incidents:resume', () => resumeIncidents(incidentDeps));
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    resumeOpenCases(caseDeps, timers, runInBackground, RUN_ABANDONED_MS, sweepMemory)
      .catch((error: unknown) => logger.warn('the case sweep failed', { error: error instanceof Error ? error.message : 'unknown' }))
      .finally(() => (sweeping = false));
  }, config.caseSweepSeconds * 1000);
  sweep.unref();
  if (config.readinessSchedule) {
    const { conversationId, serviceUrl, everyHours } = config.readinessSchedule;
    await startReadinessSchedule({
      assess: assessTenant,
      poster: threadPoster,
      storage,
      cards,
      clock,
      scheduler: timers,
      logger,
      thread: { tenantId: config.tenantId, conversationId, serviceUrl, channelId: 'msteams' },
      everyHours,
      claim: (key) => storage.create(key, { claimedAt: clock.now().toISOString() }),
    });
  }
  if (config.mode === 'demo') {
    logger.warn('DEMO MODE: inbound authentication is off and Graph calls go to the simulated tenant', { graph: config.graph.baseUrl, url: server.url });
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    timers.cancelAll();
    clearInterval(sweep);
    Promise.all([server.close(), background.idle()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
