import type { TurnContext } from 'botbuilder';
import { readinessMarkdown, splitMessages } from '../../views/readiness-markdown';
import { readinessView } from '../../views/readiness-view';
import { actorOf, commandText, threadOf } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const READINESS_PATTERN = /^readiness(?:\s+([\s\S]*))?$/i;
/** Teams accepts bot messages up to about 100 KB (UTF-16); each part stays well under it. */
const MAX_MESSAGE_CHARS = 28_000;
/** Part messages sent at most (Teams throttles a bot at about 8 messages per 2 s in one thread). */
const MAX_PARTS = 4;

/**
 * `readiness`: the card, counts only. `readiness export`: the same report as Markdown with the names behind the
 * counts, in as many messages as it takes (up to MAX_PARTS).
 */
export async function handleReadiness(deps: BotDeps, context: TurnContext): Promise<void> {
  const argument = (READINESS_PATTERN.exec(commandText(context.activity))?.[1] ?? '').trim().toLowerCase();
  if (argument !== '' && argument !== 'export') {
    await context.sendActivity('Usage: `readiness` for the card, `readiness export` for the report as Markdown with the lists.');
    return;
  }
  const result = await deps.readiness({ requester: actorOf(context.activity), thread: threadOf(context.activity) });
  if (!result.ok) {
    await context.sendActivity(`${result.message} (${result.code})`);
    return;
  }
  if (argument === '') {
    await context.sendActivity({ attachments: [deps.cards.render('readiness', readinessView(result.value))] });
    return;
  }
  const parts = splitMessages(readinessMarkdown(result.value), MAX_MESSAGE_CHARS);
  const sent = parts.slice(0, MAX_PARTS);
  for (const [i, text] of sent.entries()) {
    const cut = i === sent.length - 1 && parts.length > sent.length ? `\n\n… cut here: ${parts.length - sent.length} more part(s) did not fit in ${MAX_PARTS} messages.` : '';
    await context.sendActivity({ type: 'message', textFormat: 'markdown', text: `${text}${cut}` });
  }
}
