import type { Scheduler } from '../ports/case-services';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** Node's setTimeout caps at about 24.8 days; approval deadlines are far shorter. */
const MAX_DELAY_MS = 2_147_483_647;

/** The Scheduler on in-process timers (see the port for what a restart loses). Timers do not keep the process up. */
export class TimerScheduler implements Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  at(when: Date, work: () => Promise<void>): void {
    const delay = Math.min(Math.max(0, when.getTime() - this.clock.now().getTime()), MAX_DELAY_MS);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work().catch((error: unknown) => this.logger.error('scheduled work failed', { error: error instanceof Error ? error.message : 'unknown' }));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
