import { performance } from 'node:perf_hooks';

/**
 * The instant every test's world starts at unless the test says otherwise: Wednesday 2026-11-18 12:00 UTC, a working
 * day and hour, and the demo tenant's story day (relative seed times count back from it). Tests never read the wall
 * clock for what the bot or the simulated tenant decide, so the suite reads the same on any day and at any hour.
 */
export const TEST_NOW = new Date('2026-11-18T12:00:00.000Z');

/**
 * A clock pinned to `start` that moves on with the real elapsed time (monotonic, so a wall-clock jump during the run
 * does not move it). It ticks rather than stands still because the bot and the simulated tenant wait on it: step
 * deadlines, approval timers, throttling windows.
 */
export function pinnedClock(start: Date = TEST_NOW): () => Date {
  const origin = performance.now();
  return () => new Date(start.getTime() + Math.floor(performance.now() - origin));
}

/**
 * A pin for processes a test starts (bots, the simulated tenant, the demo): they cannot share a closure, so they share
 * an offset from the wall clock (CLOCK_OFFSET_MS, `--clock-offset-ms`), taken once, so that every process and the test
 * itself read the same instant. `now` is that clock in the test's own process.
 */
export interface ProcessClock {
  readonly offsetMs: number;
  readonly now: () => Date;
}

export function processClock(start: Date = TEST_NOW): ProcessClock {
  const offsetMs = start.getTime() - Date.now();
  return { offsetMs, now: () => new Date(Date.now() + offsetMs) };
}

/** The pin of this test file's processes (jest loads this module once per test file): TEST_NOW when the file started. */
export const PROCESSES: ProcessClock = processClock();
