import type { Storage, StoreItem } from 'botbuilder';
import type { ThreadRef } from '../domain/case';
import type { ReadinessReport } from '../domain/readiness';
import { changesSince, digestOf, type ReadinessDigest } from '../domain/readiness-changes';
import type { Scheduler } from '../ports/case-services';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { CardRenderer } from '../views/card-renderer';
import { readinessView } from '../views/readiness-view';
import type { ThreadPoster } from './thread-poster';

const DIGEST_KEY = 'readiness/last-posted';
const HOUR_MS = 3_600_000;

interface DigestItem extends StoreItem {
  digest: ReadinessDigest;
}

export interface ReadinessScheduleDeps {
  /** The report, read now; no requester: the schedule is configured by the operator. */
  readonly assess: () => Promise<ReadinessReport>;
  readonly poster: ThreadPoster;
  readonly storage: Storage;
  readonly cards: CardRenderer;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** The configured channel. */
  readonly thread: ThreadRef;
  readonly everyHours: number;
}

async function lastPosted(storage: Storage): Promise<ReadinessDigest | undefined> {
  const items = await storage.read([DIGEST_KEY]);
  return (items[DIGEST_KEY] as DigestItem | undefined)?.digest;
}

/**
 * Posts the readiness card to the configured channel every `everyHours`, with what changed since the last post.
 * The last post is kept in storage, so a restart keeps the rhythm: the next post is due `everyHours` after it (or
 * at once when it is overdue or there was none). A failed run is logged and the next one still comes.
 */
export async function startReadinessSchedule(deps: ReadinessScheduleDeps): Promise<void> {
  const previous = await lastPosted(deps.storage);
  const now = deps.clock.now().getTime();
  const due = previous ? Math.max(now, new Date(previous.readAt).getTime() + deps.everyHours * HOUR_MS) : now;
  deps.scheduler.at(new Date(due), () => runScheduledReadiness(deps));
  deps.logger.info('readiness report scheduled', { conversationId: deps.thread.conversationId, due: new Date(due).toISOString(), everyHours: deps.everyHours });
}

/** One scheduled run: read, compare with the last post, post, remember; then schedule the next. */
export async function runScheduledReadiness(deps: ReadinessScheduleDeps): Promise<void> {
  try {
    const report = await deps.assess();
    const previous = await lastPosted(deps.storage);
    const since = previous ? { readAt: previous.readAt, changes: changesSince(previous, report) } : undefined;
    await deps.poster.post(deps.thread, { type: 'message', attachments: [deps.cards.render('readiness', readinessView(report, since))] });
    // Written after the post: the next comparison is with what the channel saw.
    await deps.storage.write({ [DIGEST_KEY]: { digest: digestOf(report), eTag: '*' } satisfies DigestItem });
    deps.logger.info('readiness report posted', { conversationId: deps.thread.conversationId, changes: since?.changes.length });
  } catch (error) {
    deps.logger.error('scheduled readiness report failed; the next one is still scheduled', { error: error instanceof Error ? error.message : 'unknown' });
  }
  deps.scheduler.at(new Date(deps.clock.now().getTime() + deps.everyHours * HOUR_MS), () => runScheduledReadiness(deps));
}
