import type { TurnContext } from 'botbuilder';
import { exportCaseJson, exportCaseMarkdown } from '../../views/export-case';
import { actorOf, commandText, threadOf } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const EXPORT_PATTERN = /^export(?:\s+([\s\S]*))?$/i;
/** Teams accepts bot messages up to about 100 KB (UTF-16); stay well under it. */
const MAX_MESSAGE_CHARS = 30_000;

/**
 * `export <case id>`: the incident record as Markdown, then as JSON, for the same people who may read the case.
 * A record too large for one message is cut with a note; the full JSON stays in the case store.
 */
export async function handleExport(deps: BotDeps, context: TurnContext): Promise<void> {
  const match = EXPORT_PATTERN.exec(commandText(context.activity));
  const result = await deps.showCase({
    rawCaseId: match?.[1] ?? '',
    requester: actorOf(context.activity),
    thread: threadOf(context.activity),
    command: 'export',
  });
  if (!result.ok) {
    await context.sendActivity(`${result.message} (${result.code})`);
    return;
  }
  const fit = (text: string): string =>
    text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}\n\n… cut here: the record is longer than one Teams message.`;
  await context.sendActivity({ type: 'message', textFormat: 'markdown', text: fit(exportCaseMarkdown(result.value)) });
  await context.sendActivity({ type: 'message', textFormat: 'markdown', text: fit(`\`\`\`json\n${exportCaseJson(result.value)}\`\`\``) });
}
