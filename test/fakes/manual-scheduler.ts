import type { Scheduler } from '../../src/ports/case-services';

/** A Scheduler the test runs by hand: `runUntil(time)` does what timers would have done by then, in time order. */
export class ManualScheduler implements Scheduler {
  readonly pending: Array<{ when: Date; work: () => Promise<void> }> = [];

  at(when: Date, work: () => Promise<void>): void {
    this.pending.push({ when, work });
  }

  async runUntil(time: Date): Promise<number> {
    const due = this.pending.filter((p) => p.when <= time).sort((a, b) => a.when.getTime() - b.when.getTime());
    for (const p of due) {
      this.pending.splice(this.pending.indexOf(p), 1);
      await p.work();
    }
    return due.length;
  }
}
