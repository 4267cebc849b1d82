import type { BatchOptions } from '../../src/entra/graph-batch';
import { createGraphClient } from '../../src/entra/graph-client';
import { GraphDirectory } from '../../src/entra/graph-directory';
import type { TapIssueTiming } from '../../src/entra/directory-writes';
import type { Timing } from '../../src/resilience';
import { DirectoryError } from '../../src/ports/directory';
import { pinnedClock } from '../helpers/test-clock';
import { loadDemoSeed, startSimulator, type RunningSimulator, type SimulatorOptions, type TenantSeed } from '../../src/simulator';
import { simulatorCredential } from '../helpers/simulator-token';

export interface SimulatedDirectory {
  readonly sim: RunningSimulator;
  readonly directory: GraphDirectory;
  /** The tenant's clock. */
  readonly now: () => Date;
  close(): Promise<void>;
}

/**
 * A fresh simulated tenant and the real adapter on the real Graph client, talking over HTTP. The tenant's clock is
 * pinned to TEST_NOW (ticking) unless `options.now` says otherwise; `now()` reads it. `timing` replaces the retry
 * handler's sleeps and jitter (to see what it waits without timing it); `batch` likewise the `$batch` runner's.
 */
export async function simulatedDirectory(
  options: SimulatorOptions = {},
  timing?: Timing,
  batch?: BatchOptions,
  tap?: { readonly timing: TapIssueTiming; readonly attemptTimeoutMs?: number },
): Promise<SimulatedDirectory> {
  const now = options.now ?? pinnedClock();
  const sim = await startSimulator({ port: 0, ...options, now });
  const retry = { baseDelayMs: 50, maxRetries: 2, ...(tap?.attemptTimeoutMs ? { attemptTimeoutMs: tap.attemptTimeoutMs } : {}) };
  const client = createGraphClient({ baseUrl: sim.url, credential: simulatorCredential(sim.url, now), retry, ...(timing ? { timing } : {}) });
  return { sim, directory: new GraphDirectory(client, sim.url, batch, tap?.timing), now, close: () => sim.close() };
}

/** The demo seed with changes for one test (a fresh copy every call). */
export function demoSeedWith(change: (seed: TenantSeed) => void): TenantSeed {
  const seed = loadDemoSeed();
  change(seed);
  return seed;
}

/** The DirectoryError a promise rejects with (fails the test if it resolves or throws something else). */
export async function directoryErrorOf(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DirectoryError) return e;
    throw new Error(`expected a DirectoryError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected a DirectoryError, but the call succeeded');
}

/** Everything an error could show or log: message, name and every own property, serialised. */
export function everythingIn(error: unknown): string {
  if (!(error instanceof Error)) return JSON.stringify(error);
  return [error.message, error.name, error.stack ?? '', JSON.stringify(error, Object.getOwnPropertyNames(error))].join('\n');
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DAY_MS = 86_400_000;
