/**
 * The entry point (`node dist/index.js`, `tsx src/index.ts`): reads the configuration once, then runs the bot
 * (src/bot-process.ts) in this process, or, with WEB_CONCURRENCY > 1, forks the workers that each run it
 * (src/workers.ts). The primary loads none of the bot: it stays small.
 */
import cluster from 'node:cluster';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, parseConfig } from './config';
import { createConsoleLogger } from './logging/console-logger';
import { runWorkers, WORKER_READY } from './workers';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = parseConfig(process.env);
  // The configuration is checked here first, so that a mistake is printed once, not by every worker in a loop.
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    runWorkers(config.webConcurrency, createConsoleLogger(config.logLevel, undefined, { worker: 'primary', pid: process.pid }));
    return;
  }
  const { runBot } = await import('./bot-process');
  await runBot(config);
  // A worker tells the primary it is up (listening, cases resumed): one that dies before that died starting.
  if (cluster.isWorker) process.send?.(WORKER_READY);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}\nSee .env.example and the README's configuration table.`);
  } else {
    console.error('The bot failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
