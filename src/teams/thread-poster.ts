import { TeamsInfo, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ThreadRef } from '../domain/case';

/** Posts into and edits messages of a case's thread (or of a person's 1:1 chat with the bot), outside the turn that opened it. */
export interface ThreadPoster {
  post(thread: ThreadRef, activity: Partial<Activity>): Promise<string | undefined>;
  update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void>;
  /** Teams user ids (29:…) of the given Entra users in the thread's conversation; users not found are left out. */
  memberIds(thread: ThreadRef, aadObjectIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

function referenceOf(thread: ThreadRef): Partial<ConversationReference> {
  return {
    channelId: thread.channelId,
    serviceUrl: thread.serviceUrl,
    conversation:
      thread.conversationType === 'personal'
        ? { id: thread.conversationId, tenantId: thread.tenantId, isGroup: false, conversationType: 'personal', name: '' }
        : { id: thread.conversationId, tenantId: thread.tenantId, isGroup: true, conversationType: 'channel', name: '' },
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

  async memberIds(thread: ThreadRef, aadObjectIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const ids = new Map<string, string>();
    await this.adapter.continueConversationAsync(this.botAppId, referenceOf(thread), async (context) => {
      for (const aad of aadObjectIds) {
        try {
          const member = await TeamsInfo.getMember(context, aad);
          if (member.id) ids.set(aad, member.id);
        } catch {
          // Not a member of this conversation: no automatic refresh for them (they still see the shared card).
        }
      }
    });
    return ids;
  }

  async update(thread: ThreadRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, referenceOf(thread), async (context) => {
      await context.updateActivity({ ...activity, id: activityId, type: 'message' });
    });
  }
}
