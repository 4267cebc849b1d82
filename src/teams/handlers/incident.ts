import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/case';
import type { Result } from '../../domain/errors';
import type { IncidentCase } from '../../domain/incident';
import { incidentCsv } from '../../views/incident-view';
import { actorOf, commandText, threadOf } from '../activity-context';
import type { BotDeps } from '../bot-deps';
import { renderIncidentCard } from '../incident-card';

export const INCIDENT_PATTERN = /^incident(?:\s+([\s\S]*))?$/i;
/** Teams accepts bot messages up to about 100 KB (UTF-16); the export is sent in parts well under it. */
const MAX_MESSAGE_CHARS = 30_000;

function chunks(text: string): string[] {
  const lines = text.split('\n');
  const parts: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current.length + line.length + 1 > MAX_MESSAGE_CHARS && current) {
      parts.push(current);
      current = '';
    }
    current += `${line}\n`;
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * `incident <actor> last 6h` (or `from … to …`) opens a bulk incident and shows its plan; `incident approve|deny|start|
 * retry|status|export <id>` act on it. Who acts comes from the activity; what is allowed from the stored incident
 * and the groups, checked in the use cases. The answer to the opening is the incident's card, with its buttons
 * (handlers/incident-actions.ts), edited on every later change; the other answers are copies without buttons.
 */
export async function handleIncident(deps: BotDeps, context: TurnContext): Promise<void> {
  const commands = deps.incidents;
  if (!commands) {
    await context.sendActivity('Bulk incidents are not enabled in this deployment.');
    return;
  }
  const rest = (INCIDENT_PATTERN.exec(commandText(context.activity))?.[1] ?? '').trim();
  const [verb = '', id = '', ...words] = rest.split(/\s+/);
  const by = actorOf(context.activity);
  const reply = async (result: Result<IncidentCase>, buttons = false): Promise<IncidentCase | undefined> => {
    if (!result.ok) {
      await context.sendActivity(`${result.message} (${result.code})`);
      return undefined;
    }
    const sent = await context.sendActivity({ attachments: [renderIncidentCard(deps, result.value, { buttons })] });
    if (buttons && sent?.id) await commands.cardShown(result.value, sent.id);
    return result.value;
  };
  const action = verb.toLowerCase();
  if (['approve', 'deny', 'start', 'retry'].includes(action) && !by) {
    await context.sendActivity('Teams did not say who you are; try again from the Teams client. (REQUESTER.UNKNOWN)');
    return;
  }
  // A refused decision, start or retry is journaled on the incident, as a refused click on its card is.
  const journaled = async (result: Result<IncidentCase>): Promise<Result<IncidentCase>> => {
    if (!result.ok && by) await commands.recordRefusal({ id, by, action: `incident ${action}`, code: result.code });
    return result;
  };
  switch (action) {
    case 'approve':
    case 'deny':
      await reply(await journaled(await commands.decide({ id, by: by as Actor, decision: action, reason: words.join(' ') })));
      return;
    case 'start':
    case 'retry': {
      const started = await journaled(await (action === 'start' ? commands.start({ id, by: by as Actor }) : commands.retry({ id, by: by as Actor })));
      if (!started.ok) {
        await context.sendActivity(`${started.message} (${started.code})`);
        return;
      }
      commands.runInBackground(started.value.id);
      await context.sendActivity(`Incident ${started.value.id}: run ${started.value.runs} started. A card in this thread shows its progress and results.`);
      return;
    }
    case 'status':
      await reply(await commands.read({ rawId: id, requester: by }));
      return;
    case 'export': {
      const read = await commands.read({ rawId: id, requester: by });
      if (!read.ok) {
        await context.sendActivity(`${read.message} (${read.code})`);
        return;
      }
      const parts = chunks(incidentCsv(read.value));
      for (const [i, part] of parts.entries()) {
        await context.sendActivity({
          type: 'message',
          textFormat: 'markdown',
          text: `Incident ${read.value.id}, part ${i + 1} of ${parts.length} (CSV):\n\`\`\`\n${part}\`\`\``,
        });
      }
      return;
    }
    default:
      await reply(await commands.open({ text: rest, requester: by, thread: threadOf(context.activity) }), true);
  }
}
