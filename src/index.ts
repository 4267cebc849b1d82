/**
 * Composition root: config -> adapters -> use cases -> Teams app -> HTTP server. The only file that wires everything.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { MemoryStorage } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigError, parseConfig, type Config } from './config';
import { openCase } from './app/open-case';
import { showCase } from './app/show-case';
import { formatCaseId } from './domain/case-id';
import { createGraphClient } from './entra/graph-client';
import { createGraphCredential } from './entra/credentials';
import { GraphDirectory } from './entra/graph-directory';
import { createHttpApp, listen } from './http/server';
import { createConsoleLogger } from './logging/console-logger';
import type { Clock, IdGenerator } from './ports/clock';
import { StorageCaseStore } from './store/storage-case-store';
import { createBotApp } from './teams/bot-app';
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
  const directory = new GraphDirectory(graph, config.graph.baseUrl);
  // Issue 5 replaces this with Azure Blob storage; until then cases live only as long as the process.
  const cases = new StorageCaseStore(new MemoryStorage());

  const adapter = new TeamsAdapter(botFrameworkAuth(config));
  const botAppId = config.bot.kind === 'disabled' ? undefined : config.bot.appId;
  const app = createBotApp(
    {
      openCase: (request) =>
        openCase({ directory, cases, clock, ids, logger, tenantId: config.tenantId, helpdeskGroupIds: config.policy.helpdeskGroupIds, auditWindowDays: config.auditWindowDays }, request),
      showCase: (request) =>
        showCase({ cases, directory, tenantId: config.tenantId, readerGroupIds: [...config.policy.helpdeskGroupIds, ...config.policy.approverGroupIds] }, request),
      cards: new CardRenderer(join(__dirname, '..', 'cards'), config.mode === 'demo'),
      logger,
      tenantId: config.tenantId,
    },
    { adapter, ...(botAppId ? { botAppId } : {}) },
  );

  const server = await listen(createHttpApp({ adapter, run: (ctx) => app.run(ctx), mode: config.mode, logger }), config.host, config.port, logger);
  if (config.mode === 'demo') {
    logger.warn('DEMO MODE: inbound authentication is off and Graph calls go to the simulated tenant', { graph: config.graph.baseUrl, url: server.url });
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
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
