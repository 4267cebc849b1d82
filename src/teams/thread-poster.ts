import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import type { ThreadRef } from '../domain/case';

/** Posts into and edits messages of a case's thread, outside the turn that opened it. */
export interface ThreadPoster {
  post(thread: ThreadRef, activity: Partial<Activity>): Promise<string | undefined>;
  update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void>;
}

function referenceOf(thread: ThreadRef): Partial<ConversationReference> {
  return {
    channelId: thread.channelId,
    serviceUrl: thread.serviceUrl,
    conversation: { id: thread.conversationId, tenantId: thread.tenantId, isGroup: true, conversationType: 'channel', name: '' },
  };
}

/** Proactive messaging through the adapter with the stored thread reference (conversation id includes the thread). */
export class AdapterThreadPoster implements ThreadPoster {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async post(thread: ThreadRef, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, referenceOf(thread), async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  async update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, referenceOf(thread), async (context) => {
      await context.updateActivity({ ...activity, id: activityId, type: 'message' });
    });
  }
}
