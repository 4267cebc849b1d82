import type { Activity, TurnContext } from 'botbuilder';
import type { ReadinessReport } from '../../domain/readiness';
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
 * counts, in as many messages as it takes (up to MAX_PARTS). Who asks is checked in the turn; the tenant is read
 * after the reply, and the result is posted into the same thread.
 */
export async function handleReadiness(deps: BotDeps, context: TurnContext): Promise<void> {
  const argument = (READINESS_PATTERN.exec(commandText(context.activity))?.[1] ?? '').trim().toLowerCase();
  if (argument !== '' && argument !== 'export') {
    await context.sendActivity('Usage: `readiness` for the card, `readiness export` for the report as Markdown with the lists.');
    return;
  }
  const thread = threadOf(context.activity);
  const allowed = await deps.readiness.authorize({ requester: actorOf(context.activity), thread });
  if (!allowed.ok) {
    await context.sendActivity(`${allowed.message} (${allowed.code})`);
    return;
  }
  await context.sendActivity(`Reading the tenant's readiness; the ${argument === 'export' ? 'report' : 'card'} follows here in a moment.`);
  deps.readiness.postWhenRead(thread, (report) =>
    argument === 'export' ? exportMessages(report) : [{ type: 'message', attachments: [deps.cards.render('readiness', readinessView(report))] }],
  );
}

function exportMessages(report: ReadinessReport): Partial<Activity>[] {
  const parts = splitMessages(readinessMarkdown(report), MAX_MESSAGE_CHARS);
  const sent = parts.slice(0, MAX_PARTS);
  return sent.map((text, i) => {
    const cut =
      i === sent.length - 1 && parts.length > sent.length
        ? `\n\n… cut here: ${parts.length - sent.length} more part(s) did not fit in ${MAX_PARTS} messages.`
        : '';
    return { type: 'message', textFormat: 'markdown', text: `${text}${cut}` };
  });
}
