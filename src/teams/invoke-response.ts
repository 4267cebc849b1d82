import type { TurnContext } from 'botbuilder';
import type { CardAttachment } from '../views/card-renderer';

/** The body of an `adaptiveCard/action` invoke response (Universal Actions). */
export type InvokeBody =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: Record<string, unknown> }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 400 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

export const cardBody = (card: CardAttachment): InvokeBody => ({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card.content });
export const messageBody = (text: string): InvokeBody => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
export const errorBody = (statusCode: 400 | 500, code: string, message: string): InvokeBody => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code, message },
});

/**
 * The bot answers every card click itself, so teams-ai never switches a route to "replace for all" and automatic
 * refreshes never edit the shared message.
 */
export async function sendInvokeResponse(context: TurnContext, body: InvokeBody): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
}
