import type { CloudAdapter, ConversationParameters } from 'botbuilder';
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
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: { id: this.botAppId, name: '' },
      members: [{ id: to.id, name: to.displayName }],
      tenantId: via.tenantId,
      channelData: { tenant: { id: via.tenantId } },
    };
    try {
      // A failure inside the callback would go to the adapter's turn-error handler and be swallowed there (botbuilder's
      // runMiddleware), so the notice would count as sent: it is caught here and rethrown after the call.
      let failed: { readonly error: unknown } | undefined;
      await this.adapter.createConversationAsync(this.botAppId, via.channelId, via.serviceUrl, BOT_FRAMEWORK_AUDIENCE, parameters, async (context) => {
        try {
          await context.sendActivity({ type: 'message', text });
        } catch (error) {
          failed = { error };
        }
      });
      if (failed) throw failed.error;
    } catch (e) {
      const status = statusOf(e);
      if (status === 403 || status === 404)
        throw new ChatNotSent(
          `Teams refused a 1:1 chat with ${to.displayName} (HTTP ${status}): the bot is probably not installed for them. Install the app for them (Teams admin center, or Graph teamsAppInstallation), or tell them another way.`,
        );
      throw new ChatNotSent(
        `the 1:1 chat with ${to.displayName} could not be created (${status !== undefined ? `HTTP ${status}` : e instanceof Error ? e.name : 'error'}).`,
      );
    }
  }
}
