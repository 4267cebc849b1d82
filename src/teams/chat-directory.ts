import type { Activity, StoreItem } from 'botbuilder';
import type { ThreadRef } from '../domain/case';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { CardRefStorage } from './thread-cards';
import { normalObjectId, tenantOf } from './activity-context';

/** Where the bot reaches one person 1:1, kept in the case store so that every instance can send there. */
interface ChatItem extends StoreItem {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly channelId: string;
  /** The person's Teams user id (29:…) as the conversation's `from` named it. */
  readonly teamsUserId: string;
  readonly learnedAt: string;
}

const chatKey = (aadObjectId: string): string => `chats/${aadObjectId}`;

/** Conversation ids and service URLs longer than this are not Teams': nothing unbounded is stored from an activity. */
const MAX_REFERENCE_CHARS = 500;

/**
 * The 1:1 chats people have with the bot, by Entra object id. Teams tells the bot about one when the app is installed
 * for the person (`installationUpdate`, action add; `conversationUpdate` in the personal scope) and with every message
 * they send it there (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages:
 * "get the conversation ID ... when the app is installed ... or from the bot context"); an uninstall
 * (`installationUpdate`, action remove) forgets it. Only activities that passed the tenant guard and, in production, the
 * Bot Framework token check reach here, and a personal conversation has exactly one person in it, the `from`.
 */
export class ChatDirectory {
  constructor(
    private readonly storage: CardRefStorage,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Learns (or forgets) the sender's 1:1 chat from an activity in the personal scope; anything else is ignored. */
  async remember(activity: Activity): Promise<void> {
    if (activity.conversation?.conversationType !== 'personal') return;
    const aadObjectId = normalObjectId(activity.from?.aadObjectId);
    const tenantId = normalObjectId(tenantOf(activity));
    const conversationId = activity.conversation.id;
    const serviceUrl = activity.serviceUrl;
    if (!aadObjectId || !tenantId || typeof conversationId !== 'string' || typeof serviceUrl !== 'string' || typeof activity.from.id !== 'string') return;
    if (conversationId.length > MAX_REFERENCE_CHARS || serviceUrl.length > MAX_REFERENCE_CHARS || activity.from.id.length > MAX_REFERENCE_CHARS) return;
    const key = chatKey(aadObjectId);
    const known = (await this.storage.read([key]))[key] as ChatItem | undefined;
    if (activity.type === 'installationUpdate' && (activity as { action?: unknown }).action === 'remove') {
      if (known?.conversationId === conversationId) {
        await this.storage.delete([key]);
        this.logger.info('forgot a 1:1 chat: the app was removed for its person', { aadObjectId });
      }
      return;
    }
    if (known && known.conversationId === conversationId && known.serviceUrl === serviceUrl && known.teamsUserId === activity.from.id) return;
    const item: ChatItem = {
      tenantId,
      conversationId,
      serviceUrl,
      channelId: activity.channelId,
      teamsUserId: activity.from.id,
      learnedAt: this.clock.now().toISOString(),
      eTag: '*',
    };
    await this.storage.write({ [key]: item });
    this.logger.info('learned a 1:1 chat with the bot', { aadObjectId, activityType: activity.type });
  }

  /** The person's 1:1 chat in this tenant, if the bot knows one. */
  async find(aadObjectId: string, tenantId: string): Promise<ThreadRef | undefined> {
    const key = chatKey(aadObjectId);
    const item = (await this.storage.read([key]))[key] as ChatItem | undefined;
    if (!item || item.tenantId !== tenantId) return undefined;
    return {
      tenantId: item.tenantId,
      conversationId: item.conversationId,
      serviceUrl: item.serviceUrl,
      channelId: item.channelId,
      conversationType: 'personal',
    };
  }

  /** Keeps a chat the bot created itself (from the team's roster), so the next request goes straight there. */
  async save(aadObjectId: string, chat: ThreadRef, teamsUserId: string): Promise<void> {
    const item: ChatItem = {
      tenantId: chat.tenantId,
      conversationId: chat.conversationId,
      serviceUrl: chat.serviceUrl,
      channelId: chat.channelId,
      teamsUserId,
      learnedAt: this.clock.now().toISOString(),
      eTag: '*',
    };
    await this.storage.write({ [chatKey(aadObjectId)]: item });
  }
}
