import type { Activity } from 'botbuilder';
import type { ThreadRef } from '../domain/case';
import type { ReadinessReport } from '../domain/readiness';
import type { Logger } from '../ports/logger';
import type { ThreadPoster } from './thread-poster';

/** Reads the tenant after the turn is answered and posts what `render` makes of the report into the thread. */
export type PostReadinessWhenRead = (thread: ThreadRef, render: (report: ReadinessReport) => readonly Partial<Activity>[]) => void;

/**
 * A large tenant takes longer to read than Teams waits for a reply (about 15 s, then 504), and the registration
 * report is throttled at 5 requests per 10 s. So the command answers at once and the report follows in the thread.
 * Runs are queued one after another (one key), so two requests never read the throttled reports at once.
 */
export function readinessPosterFor(deps: {
  readonly assess: () => Promise<ReadinessReport>;
  readonly poster: ThreadPoster;
  readonly background: { run(key: string, work: () => Promise<unknown>): void };
  readonly logger: Logger;
}): PostReadinessWhenRead {
  return (thread, render) =>
    deps.background.run('readiness', async () => {
      let activities: readonly Partial<Activity>[];
      try {
        activities = render(await deps.assess());
      } catch (error) {
        deps.logger.error('readiness report failed', { conversationId: thread.conversationId, error: error instanceof Error ? error.message : 'unknown' });
        activities = [
          { type: 'message', text: 'The readiness report failed before it could be posted. Try again in a few minutes; the bot log has the details.' },
        ];
      }
      for (const activity of activities) await deps.poster.post(thread, activity);
    });
}
