import type { TurnContext } from 'botbuilder';
import { actorOf, commandText } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const OVERRIDE_PATTERN = /^override(?:\s+(\S+))?(?:\s+([\s\S]*))?$/i;

/**
 * `override <case id> <reason>`: the requester accepts the helpdesk-attack risks that need an override (a burst of
 * recoveries, out of hours), with a reason the approvers see. Who asks comes from the activity; the workflow decides
 * whether they may (only the requester, once, before approval is requested). The case's cards update in its thread.
 */
export async function handleOverride(deps: BotDeps, context: TurnContext): Promise<void> {
  const match = OVERRIDE_PATTERN.exec(commandText(context.activity));
  const caseId = match?.[1]?.toUpperCase() ?? '';
  const by = actorOf(context.activity);
  if (!by) {
    await context.sendActivity('I could not tell who you are (no Entra identity came with the message). (REQUESTER.UNKNOWN)');
    return;
  }
  if (!deps.actions) {
    await context.sendActivity('This bot only opens cases. (CASE.WRONG_STATE)');
    return;
  }
  const done = await deps.actions.overrideRisks({ caseId, by, reason: match?.[2] ?? '' });
  if (!done.ok) {
    await context.sendActivity(`${done.message} (${done.code})`);
    return;
  }
  await context.sendActivity(`Risks of case ${done.value.id} overridden and recorded; you can request approval now.`);
}
