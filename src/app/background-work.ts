import type { Logger } from '../ports/logger';

/**
 * Runs work after a click has been answered (Teams expects an invoke answer within about 5 s). Work for one case is
 * chained, so two clicks never run the same case's steps at once in this process; `idle()` lets tests and shutdown
 * wait for everything in flight.
 */
export class BackgroundWork {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(key: string, work: () => Promise<unknown>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work).then(
      () => undefined,
      (error: unknown) =>
        this.logger.error('background work failed', {
          key,
          error: error instanceof Error ? error.name : 'unknown',
          detail: error instanceof Error ? error.message : String(error),
        }),
    );
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }
}
