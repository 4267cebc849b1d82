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
