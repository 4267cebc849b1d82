import type { Clock } from '../../src/ports/clock';
import { TEST_NOW } from '../helpers/test-clock';

/** Wednesday 2026-11-18, noon UTC (TEST_NOW): inside the default working hours. Every unit test starts here. */
export const FIXED_NOW = TEST_NOW;

/** A clock that stands still until a test moves it. */
export class FixedClock implements Clock {
  private current: Date;

  constructor(start: Date = FIXED_NOW) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceMinutes(minutes: number): Date {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
    return this.now();
  }
}
