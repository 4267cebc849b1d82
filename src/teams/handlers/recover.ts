import type { TurnContext } from 'botbuilder';
import { intakeView } from '../../views/intake-view';
import { actorOf, commandText, threadOf } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const RECOVER_PATTERN = /^recover(?:\s+([\s\S]*))?$/i;

/** `recover <user>`: opens a case in this thread and posts the intake card, or says why not. */
export async function handleRecover(deps: BotDeps, context: TurnContext): Promise<void> {
  const match = RECOVER_PATTERN.exec(commandText(context.activity));
  const result = await deps.openCase({
    rawTarget: match?.[1] ?? '',
    requester: actorOf(context.activity),
    thread: threadOf(context.activity),
  });
  if (!result.ok) {
    await context.sendActivity(`${result.message} (${result.code})`);
    return;
  }
  await context.sendActivity({ attachments: [deps.cards.render('intake', intakeView(result.value))] });
  // Step 1 of both scenarios, after the reply: the triage card follows in the thread.
  deps.actions?.background(result.value.id, 'triage');
}
