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
    tenantId: normalObjectId(tenantOf(activity)) ?? '',
    conversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
  };
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Entra object id in the one form the bot compares (lower case), or undefined for anything that is not one. */
export function normalObjectId(value: unknown): string | undefined {
  return typeof value === 'string' && OBJECT_ID.test(value.trim()) ? value.trim().toLowerCase() : undefined;
}

/**
 * Who sent the activity. Only the channel-set `from` is trusted; card data never says who clicked. Only an object id
 * is an identity: Graph also accepts a UPN where an id goes (group checks), so a UPN here would be a second name for
 * the same person, and every rule that compares people (not the requester, not the target) would miss it.
 */
export function actorOf(activity: Activity): Actor | undefined {
  const id = normalObjectId(activity.from?.aadObjectId);
  if (!id) return undefined;
  return { aadObjectId: id, name: activity.from.name || id };
}

/** The message text with mentions of anyone removed (teams-ai removes only the bot's own mention). */
export function commandText(activity: Activity): string {
  return (activity.text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim();
}
