import type { TurnContext } from 'botbuilder';
import { actorOf, commandText, threadOf } from '../activity-context';
import type { BotDeps } from '../bot-deps';

export const VERIFY_PATTERN = /^verify(?:\s+([\s\S]*))?$/i;

/** `verify <case id>`: recomputes the journal's hash chain and says whether the record is intact, and where not. */
export async function handleVerify(deps: BotDeps, context: TurnContext): Promise<void> {
  const match = VERIFY_PATTERN.exec(commandText(context.activity));
  const shown = await deps.showCase({
    rawCaseId: match?.[1] ?? '',
    requester: actorOf(context.activity),
    thread: threadOf(context.activity),
    command: 'verify',
  });
  if (!shown.ok) {
    await context.sendActivity(`${shown.message} (${shown.code})`);
    return;
  }
  const check = await deps.checkJournal(shown.value.id);
  if (!check) {
    await context.sendActivity(`There is no case ${shown.value.id}. (CASE.NOT_FOUND)`);
    return;
  }
  if (check.intact) {
    await context.sendActivity(`The journal of case ${shown.value.id} is intact: ${check.entries} entries, each chained to the one before.`);
    return;
  }
  deps.logger.warn('journal chain broken', { caseId: shown.value.id, brokenAt: check.brokenAt });
  await context.sendActivity(
    `The journal of case ${shown.value.id} has been altered: entry ${check.brokenAt + 1} of ${check.entries} does not follow from the ones before (edited, removed or reordered). Treat the stored record as untrustworthy from there on. (JOURNAL.BROKEN)`,
  );
}
