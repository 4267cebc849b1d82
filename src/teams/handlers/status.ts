import type { TurnContext } from 'botbuilder';
import { statusView } from '../../views/status-view';
import { actorOf, commandText, threadOf } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const STATUS_PATTERN = /^status(?:\s+([\s\S]*))?$/i;

/**
 * `status <case id>`: shows a stored case as it is now (where it stands, what its plan did and changed, what is left), to
 * people allowed to see it, in its own conversation. The intake card in the thread keeps the opening snapshot.
 */
export async function handleStatus(deps: BotDeps, context: TurnContext): Promise<void> {
  const match = STATUS_PATTERN.exec(commandText(context.activity));
  const result = await deps.showCase({ rawCaseId: match?.[1] ?? '', requester: actorOf(context.activity), thread: threadOf(context.activity) });
  if (!result.ok) {
    await context.sendActivity(`${result.message} (${result.code})`);
    return;
  }
  await context.sendActivity({ attachments: [deps.cards.render('status', statusView(result.value, deps.actions?.timeZone ?? 'UTC'))] });
  // A case still "opened" has no triage: it never ran, or it failed (the thread said so). Asking for the case runs it
  // again; the triage card follows in the thread.
  if (result.value.state === 'opened') {
    await context.sendActivity(`Case ${result.value.id} has no triage yet; running it again now.`);
    deps.actions?.background(result.value.id, 'triage');
  }
}
