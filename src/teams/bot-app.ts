import { randomBytes } from 'node:crypto';
import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { commandText, normalObjectId, tenantOf } from './activity-context';
import { isCardAction, isIncidentAction } from './card-action';
import { errorBody, messageBody, sendInvokeResponse } from './invoke-response';
import { handleCardAction } from './handlers/case-actions';
import { handleIncidentAction } from './handlers/incident-actions';
import type { BotDeps } from './bot-deps';
import { handleUnknown, routeMessage } from './routes';

/** The longest command accepted (the longest useful one, `recover` with a 113-character UPN, is far shorter). */
export const MAX_COMMAND_LENGTH = 1000;

/** The teams-ai Application, named here so that code outside src/teams never imports teams-ai itself. */
export type BotApplication = Application;

export interface BotAppOptions {
  /** Absent in tests that drive the Application through botbuilder's TestAdapter. */
  readonly adapter?: TeamsAdapter;
  readonly botAppId?: string;
}

/**
 * Builds the teams-ai Application: one tenant guard, one message dispatcher over MESSAGE_ROUTES, one error handler.
 * State is not kept in TurnState: cases live in the CaseStore behind the use cases.
 */
/** Teams only, one tenant only: why an activity is refused, or undefined when it is served. */
function refusalOf(channelId: string | undefined, tenant: string | undefined, ownTenant: string | undefined): string | undefined {
  if (channelId !== 'msteams') return 'This bot works in Microsoft Teams only. Nothing was done. (CHANNEL.UNSUPPORTED)';
  if (!tenant || tenant !== ownTenant)
    return 'This bot serves one Entra tenant only, and this conversation belongs to another. Nothing was done. (TENANT.FOREIGN)';
  return undefined;
}

export function createBotApp(deps: BotDeps, options: BotAppOptions = {}): Application {
  const app = new Application({
    ...(options.adapter ? { adapter: options.adapter } : {}),
    ...(options.botAppId ? { botAppId: options.botAppId } : {}),
    removeRecipientMention: true,
    // The typing timer is one per Application in teams-ai v1, so concurrent turns cancel each other's.
    startTypingTimer: false,
  });

  app.turn('beforeTurn', async (context) => {
    const tenant = normalObjectId(tenantOf(context.activity));
    const refusal = refusalOf(context.activity.channelId, tenant, normalObjectId(deps.tenantId));
    if (!refusal) {
      await rememberChat(deps, context);
      return true;
    }
    deps.logger.warn('ignored an activity from another tenant or channel', {
      tenantId: tenant ?? 'none',
      channelId: context.activity.channelId,
      activityId: context.activity.id,
      type: context.activity.type,
    });
    if (context.activity.type === 'message') await context.sendActivity(refusal);
    // A click is answered too, so the client shows why instead of a generic failure.
    if (isCardAction(context.activity)) await sendInvokeResponse(context, messageBody(refusal));
    return false;
  });

  // Card clicks (Universal Actions). Registered as an invoke route, answered by the handler itself: incident cards'
  // verbs by their own handler, every other verb by the case handler.
  app.addRoute(
    (context) => Promise.resolve(isCardAction(context.activity)),
    (context) => (isIncidentAction(context.activity) ? handleIncidentAction(deps, context) : handleCardAction(deps, context)),
    true,
  );

  app.activity(ActivityTypes.Message, async (context) => {
    const length = commandText(context.activity).length;
    if (length > MAX_COMMAND_LENGTH) {
      await context.sendActivity(
        `That message is ${length} characters; a command is at most ${MAX_COMMAND_LENGTH}. Nothing was done. Type "help" for the commands. (INPUT.TOO_LONG)`,
      );
      return;
    }
    const route = routeMessage(context);
    if (route) await route.handle(deps, context);
    else await handleUnknown(deps, context);
  });

  app.error(async (context, error) => reportTurnError(deps, context, error));
  return app;
}

/**
 * A person's 1:1 chat with the bot, learned from their install or their messages there, so that approval requests can
 * reach them (approver-chats.ts). A storage failure must not cost the turn: it is logged and the turn goes on.
 */
async function rememberChat(deps: BotDeps, context: TurnContext): Promise<void> {
  if (!deps.chats || context.activity.conversation?.conversationType !== 'personal') return;
  try {
    await deps.chats.remember(context.activity);
  } catch (error) {
    deps.logger.warn('could not record a 1:1 chat', { activityId: context.activity.id, error: error instanceof Error ? error.name : 'unknown' });
  }
}

/**
 * The one turn-error handler: logs the failure under a fresh correlation id (with the activity id and the stack, for
 * whoever reads the logs) and tells the thread only that something failed and that id, never the error text, a
 * stack or a Graph body (they can carry personal data). `newId` is replaceable for tests.
 */
export async function reportTurnError(deps: BotDeps, context: TurnContext, error: Error, newId: () => string = correlationId): Promise<void> {
  const reference = newId();
  deps.logger.error('turn failed', {
    correlationId: reference,
    activityId: context.activity.id,
    type: context.activity.type,
    error: error.name,
    detail: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
  });
  // Whether a step had already reached Graph is not known here, so the message does not promise that nothing changed.
  const text = `Something went wrong on my side (reference ${reference}). Check the case with "status" and its case id before you try again; give the reference to your administrator if it happens again.`;
  try {
    if (context.activity.type === 'invoke' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
      await sendInvokeResponse(context, errorBody(500, 'BOT.ERROR', text));
      return;
    }
    await context.sendActivity(text);
  } catch (sendError) {
    // Teams itself failing: the log line above is the record; nothing more can be shown.
    deps.logger.error('could not report a turn error to the conversation', {
      correlationId: reference,
      error: sendError instanceof Error ? sendError.name : 'unknown',
    });
  }
}

/** A short id people can read out to an administrator, and find in the logs: ERR- and 8 hex digits. */
function correlationId(): string {
  return `ERR-${randomBytes(4).toString('hex').toUpperCase()}`;
}
