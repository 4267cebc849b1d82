import type { Activity } from 'botbuilder';
import type { Actor, ThreadRef } from '../domain/case';

/** The Entra tenant of the activity: Teams puts it in conversation.tenantId and channelData.tenant.id. */
export function tenantOf(activity: Activity): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
  return activity.conversation?.tenantId ?? fromChannelData;
}

/** Where replies go. For a channel post the conversation id already names the thread (`;messageid=`). */
export function threadOf(activity: Activity): ThreadRef {
  return {
    tenantId: tenantOf(activity) ?? '',
    conversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
  };
}

/** Who sent the activity. Only the channel-set `from` is trusted; card data never says who clicked. */
export function actorOf(activity: Activity): Actor | undefined {
  const id = activity.from?.aadObjectId;
  if (!id) return undefined;
  return { aadObjectId: id.toLowerCase(), name: activity.from.name || id };
}

/** The message text with mentions of anyone removed (teams-ai removes only the bot's own mention). */
export function commandText(activity: Activity): string {
  return (activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').trim();
}
