import type { TurnContext } from 'botbuilder';
import { helpView } from '../../views/help-view';
import { commandText } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const HELP_PATTERN = /^(help|\?)$/i;

export async function handleHelp(deps: BotDeps, context: TurnContext): Promise<void> {
  await context.sendActivity({ attachments: [deps.cards.render('help', helpView())] });
}

/** Anything else: say what was not understood and show the commands. */
export async function handleUnknown(deps: BotDeps, context: TurnContext): Promise<void> {
  const text = commandText(context.activity);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  await context.sendActivity(shown ? `I don't know the command "${shown}". Here is what I can do:` : 'Here is what I can do:');
  await handleHelp(deps, context);
}
