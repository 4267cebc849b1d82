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
  /**
   * Claims one post for this process, by a key every instance derives alike (the last post's time): true for exactly
   * one caller per key (a create-only write in shared storage). With several instances, the one that wins posts.
   */
  readonly claim: (key: string) => Promise<boolean>;
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
    const previous = await lastPosted(deps.storage);
    const due = previous ? new Date(previous.readAt).getTime() + deps.everyHours * HOUR_MS : 0;
    if (deps.clock.now().getTime() < due) {
      // Another instance posted since this timer was set: wait for the next one.
      deps.logger.info('readiness report already posted by another instance', { next: new Date(due).toISOString() });
      deps.scheduler.at(new Date(due), () => runScheduledReadiness(deps));
      return;
    }
    // The key names the last post and how many periods have passed since this one fell due (a failed run is tried
    // again a period later, under a new key), so every instance's timer for the same post claims the same key.
    // Before any post there is no anchor: periods count from the epoch.
    const periods = Math.floor((deps.clock.now().getTime() - due) / (deps.everyHours * HOUR_MS));
    if (!(await deps.claim(`readiness/claims/${previous?.readAt ?? 'first'}/${periods}`))) {
      deps.logger.info('another instance posts this readiness report');
      deps.scheduler.at(new Date(deps.clock.now().getTime() + deps.everyHours * HOUR_MS), () => runScheduledReadiness(deps));
      return;
    }
    const report = await deps.assess();
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
