import { TeamsInfo, type CloudAdapter, type ConversationParameters, type TurnContext } from 'botbuilder';
import type { ThreadRef } from '../domain/case';
import { ChatNotSent, type NoticePerson, type PersonalChat } from '../ports/out-of-band';

/** The Bot Connector's audience for outbound calls (botframework-connector AuthenticationConstants.ToChannelFromBotOAuthScope). */
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

/** The status of a connector error (RestError.statusCode), when it has one. */
function statusOf(e: unknown): number | undefined {
  const status = (e as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A proactive 1:1 chat from the bot, created with CloudAdapter.createConversationAsync on the Teams service the case's
 * thread came from, the person named by Entra object id in `members` and the tenant in `channelData` (Teams:
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#create-the-conversation).
 * Teams creates it only when the bot is installed for that person ("aadObjectId only works if the user has the app
 * installed": MicrosoftDocs/msteams-docs#11125); otherwise it answers 403 (e.g. BotNotInConversationRoster, "The bot is not part of the
 * conversation roster.": MicrosoftDocs/bot-docs#1527), which is reported as ChatNotSent with what to do. The
 * Microsoft 365 Agents Playground (demo) creates a personal chat for any member id without that check.
 */
export class AdapterPersonalChat implements PersonalChat {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async send(to: NoticePerson, text: string, via: ThreadRef): Promise<void> {
    await createPersonalConversation(this.adapter, this.botAppId, via, { id: to.id, name: to.displayName }, async (context) => {
      await context.sendActivity({ type: 'message', text });
    });
  }
}

/**
 * Creates (or finds: Teams answers with the existing one) the 1:1 chat between the bot and `member` and runs `inside`
 * in it. Teams' failures, inside the callback included, come back as ChatNotSent with what to do.
 */
async function createPersonalConversation(
  adapter: CloudAdapter,
  botAppId: string,
  via: ThreadRef,
  member: { readonly id: string; readonly name: string },
  inside: (context: TurnContext) => Promise<void>,
): Promise<void> {
  const parameters: ConversationParameters = {
    isGroup: false,
    bot: { id: botAppId, name: '' },
    members: [{ id: member.id, name: member.name }],
    tenantId: via.tenantId,
    channelData: { tenant: { id: via.tenantId } },
  };
  try {
    // A failure inside the callback would go to the adapter's turn-error handler and be swallowed there (botbuilder's
    // runMiddleware), so the message would count as sent: it is caught here and rethrown after the call.
    let failed: { readonly error: unknown } | undefined;
    await adapter.createConversationAsync(botAppId, via.channelId, via.serviceUrl, BOT_FRAMEWORK_AUDIENCE, parameters, async (context) => {
      try {
        await inside(context);
      } catch (error) {
        failed = { error };
      }
    });
    if (failed) throw failed.error;
  } catch (e) {
    if (e instanceof ChatNotSent) throw e;
    const status = statusOf(e);
    if (status === 403 || status === 404)
      throw new ChatNotSent(
        `Teams refused a 1:1 chat with ${member.name} (HTTP ${status}): the bot is probably not installed for them. Install the app for them (Teams admin center, or Graph teamsAppInstallation), or tell them another way.`,
      );
    throw new ChatNotSent(
      `the 1:1 chat with ${member.name} could not be created (${status !== undefined ? `HTTP ${status}` : e instanceof Error ? e.name : 'error'}).`,
    );
  }
}

/**
 * Opens an approver's 1:1 chat from the roster of the team the case's thread is in. Teams lets a bot message a person
 * proactively when its app is installed for them or in a team they are a member of ("For a user to receive proactive
 * messages, install the app for the user or make the user a part of a team in which the app is installed":
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages). The person's
 * Teams id comes from the thread's roster (TeamsInfo.getMember accepts the Entra object id), then the conversation is
 * created with it. Someone outside the team's roster is not reached this way: their chat is known only once the app
 * is installed for them (chat-directory.ts learns it then).
 */
export class AdapterChatOpener {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async open(via: ThreadRef, person: { readonly aadObjectId: string; readonly name: string }): Promise<{ chat: ThreadRef; teamsUserId: string }> {
    const reference = {
      channelId: via.channelId,
      serviceUrl: via.serviceUrl,
      conversation: { id: via.conversationId, tenantId: via.tenantId, isGroup: true, conversationType: 'channel', name: '' },
    };
    let teamsUserId: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        teamsUserId = (await TeamsInfo.getMember(context, person.aadObjectId)).id;
      } catch {
        // Not in this team's roster: answered below.
      }
    });
    if (!teamsUserId)
      throw new ChatNotSent(
        'not in the roster of the team this case is in, and no 1:1 chat with the bot yet: add them to the team, or install the app for them',
      );
    let conversationId: string | undefined;
    await createPersonalConversation(this.adapter, this.botAppId, via, { id: teamsUserId, name: person.name }, (context) => {
      conversationId = context.activity.conversation?.id;
      return Promise.resolve();
    });
    if (!conversationId) throw new ChatNotSent(`Teams created no 1:1 chat with ${person.name}.`);
    return {
      chat: { tenantId: via.tenantId, conversationId, serviceUrl: via.serviceUrl, channelId: via.channelId, conversationType: 'personal' },
      teamsUserId,
    };
  }
}
