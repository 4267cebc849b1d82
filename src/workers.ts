import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './ports/logger';

/** How restarts back off and when the primary gives up. */
export interface WorkerPolicy {
  /** The first restart waits this long; each death within a minute of the previous one doubles it, up to `maxDelayMs`. */
  readonly restartDelayMs: number;
  readonly maxDelayMs: number;
  /** Workers dying before they are ready, one after the other, this many times: the primary stops and exits 1. */
  readonly maxStartFailures: number;
}

export const WORKER_POLICY: WorkerPolicy = { restartDelayMs: 250, maxDelayMs: 30_000, maxStartFailures: 5 };

/** The message a worker sends the primary once it listens and has resumed the open cases (src/index.ts). */
export const WORKER_READY = 'entra-recovery-bot:worker-ready';

/**
 * The primary of WEB_CONCURRENCY > 1 (node:cluster): it runs no bot, it forks `count` workers that each run the whole
 * bot (src/bot-process.ts) on the same port, which the primary hands out connection by connection (round robin on Linux).
 * PORT=0 too: each worker's first listen(0) gets the one port the primary chose (https://nodejs.org/api/cluster.html#how-it-works,
 * "each worker will receive the same 'random' port"; test/http/workers.test.ts checks it).
 * What several workers share is the store (files on one DATA_DIR with per-key locks, or Azure Blob); cases, claims,
 * timers and sweeps already work across instances through it, as between machines.
 * - SIGTERM / SIGINT are passed to every worker, which stops as a single process does (stops accepting, lets in-flight
 *   requests and background work finish); the primary exits when all have, 0 if each exited 0.
 * - A worker that dies otherwise is replaced after a back-off; when workers keep dying before they are ready (a port
 *   in use, a store that cannot be read) the primary says so once, stops the others and exits 1 instead of looping.
 */
export function runWorkers(count: number, logger: Logger, policy: WorkerPolicy = WORKER_POLICY): void {
  let stopping: NodeJS.Signals | undefined;
  let failed = false;
  let startFailures = 0;
  const deaths: number[] = [];
  const ready = new Set<number>();
  const pending = new Set<NodeJS.Timeout>();
  const workers = new Set<Worker>();

  const fork = (): void => {
    const worker = cluster.fork();
    workers.add(worker);
    worker.on('message', (message: unknown) => {
      if (message !== WORKER_READY) return;
      ready.add(worker.id);
      startFailures = 0;
      logger.info('worker ready', { readyWorker: worker.id, readyPid: worker.process.pid });
    });
  };
  const live = (): Worker[] => [...workers];
  const exitWhenAllGone = (): void => {
    if (live().length === 0) process.exit(failed ? 1 : 0);
  };
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = signal;
    for (const timer of pending) clearTimeout(timer);
    logger.info('stopping the workers', { signal, workers: live().length });
    for (const worker of live()) worker.process.kill(signal);
    exitWhenAllGone();
  };

  cluster.on('exit', (worker, code, signal) => {
    const atStart = !ready.has(worker.id);
    ready.delete(worker.id);
    workers.delete(worker);
    if (stopping) {
      // A worker still loading has no handler yet and ends by the signal itself: nothing was in flight.
      if (code !== 0 && !(atStart && signal === stopping)) failed = true;
      exitWhenAllGone();
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && (deaths[0] ?? now) < now - 60_000) deaths.shift();
    startFailures = atStart ? startFailures + 1 : 0;
    if (startFailures >= policy.maxStartFailures) {
      logger.error('workers keep dying before they are ready: giving up (the lines above say why)', {
        deadWorker: worker.id,
        startFailures,
        code,
        signal,
      });
      failed = true;
      stop('SIGTERM');
      return;
    }
    const delayMs = Math.min(policy.maxDelayMs, policy.restartDelayMs * 2 ** (deaths.length - 1));
    logger.error('a worker died; starting another', { deadWorker: worker.id, deadPid: worker.process.pid, code, signal, atStart, delayMs });
    const timer = setTimeout(() => {
      pending.delete(timer);
      fork();
    }, delayMs);
    pending.add(timer);
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  logger.info('starting workers', { workers: count });
  for (let i = 0; i < count; i++) fork();
}

/** In a worker: its id and pid, on every log line and (`X-Bot-Worker`) every HTTP answer; nothing in a single process. */
export function workerIdentity(): { worker: number; pid: number } | undefined {
  return cluster.isWorker && cluster.worker ? { worker: cluster.worker.id, pid: process.pid } : undefined;
}
