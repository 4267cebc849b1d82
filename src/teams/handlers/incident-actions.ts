import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/case';
import { ErrorCode, type Result } from '../../domain/errors';
import type { IncidentCase } from '../../domain/incident';
import { IncidentVerb } from '../../views/verbs';
import { actorOf, threadOf } from '../activity-context';
import type { BotDeps, IncidentCommands } from '../bot-deps';
import { readIncidentAction, tooLongMessage, type IncidentCardAction } from '../card-action';
import { renderIncidentCard } from '../incident-card';
import { cardBody, errorBody, messageBody, sendInvokeResponse } from '../invoke-response';

interface IncidentRoute {
  readonly verb: string;
  /** The same use case the typed `incident <verb> <id>` command calls: one place decides who may do what. */
  readonly handle: (commands: IncidentCommands, action: IncidentCardAction, by: Actor) => Promise<Result<IncidentCase>>;
  /** The click starts a run: it goes on in the background after the answer. */
  readonly runs?: boolean;
}

/** The one registration list of incident card verbs. */
export const INCIDENT_ROUTES: readonly IncidentRoute[] = [
  {
    verb: IncidentVerb.approve,
    handle: (commands, action, by) =>
      commands.decide({ id: action.incidentId, by, decision: 'approve', ...(action.inputs.comment ? { reason: action.inputs.comment } : {}) }),
  },
  {
    verb: IncidentVerb.deny,
    handle: (commands, action, by) => commands.decide({ id: action.incidentId, by, decision: 'deny', reason: action.inputs.denyReason ?? '' }),
  },
  { verb: IncidentVerb.start, handle: (commands, action, by) => commands.start({ id: action.incidentId, by }), runs: true },
  { verb: IncidentVerb.retryFailed, handle: (commands, action, by) => commands.retry({ id: action.incidentId, by }), runs: true },
];

/**
 * A click on an incident card, checked as a case card's click is (handlers/case-actions.ts), in the same order: the
 * data is read defensively; the signature (incident kind, this tenant and conversation, id, version) must verify and
 * the incident must live in this conversation; the clicker is the activity's Entra id; only a manual click decides; a
 * card drawn before the incident's state changed is stale; inputs keep their limits. Then the verb's use case, which
 * is the typed command's, decides who may do what. The clicker gets the re-rendered card or the true reason in place;
 * every refusal about a stored incident is journaled on it.
 */
export async function handleIncidentAction(deps: BotDeps, context: TurnContext): Promise<void> {
  const action = readIncidentAction(context.activity);
  const commands = deps.incidents;
  const by = actorOf(context.activity);
  if (!action || !commands) {
    deps.logger.warn('refused a card action that cannot be read', { activityId: context.activity.id, by: by?.aadObjectId });
    await sendInvokeResponse(context, errorBody(400, 'INPUT.MALFORMED', 'This card action is not understood. Nothing was changed.'));
    return;
  }
  const refuse = async (incidentId: string, code: string, text: string): Promise<void> => {
    await commands.recordRefusal({ id: incidentId, by, action: action.verb, code });
    await sendInvokeResponse(context, messageBody(`${text} (${code})`));
  };
  const thread = threadOf(context.activity);
  const signed =
    action.version !== undefined &&
    deps.signer.verify(
      { tenantId: thread.tenantId, conversationId: thread.conversationId, incidentId: action.incidentId, version: action.version },
      action.signature,
    );
  const stored = signed ? await commands.get(action.incidentId) : undefined;
  const here = stored?.thread?.conversationId === thread.conversationId && stored.thread.tenantId === thread.tenantId;
  if (!stored || !here) {
    deps.logger.warn('refused a card action with invalid data', {
      verb: action.verb,
      incidentId: action.incidentId,
      signed,
      by: by?.aadObjectId,
      activityId: context.activity.id,
    });
    if (stored) await refuse(stored.id, ErrorCode.CardInvalid, `Incident ${stored.id} belongs to another conversation; act on it there. Nothing was changed.`);
    else
      await sendInvokeResponse(
        context,
        messageBody(
          signed
            ? `There is no incident ${action.incidentId.slice(0, 20)} in this conversation. Nothing was changed. (CARD.INVALID)`
            : 'This card was not drawn by the bot for this conversation (its signature does not match), so it cannot act here. Nothing was changed. (CARD.INVALID)',
        ),
      );
    return;
  }
  if (!by) {
    deps.logger.warn('refused a card action without an Entra identity', { verb: action.verb, incidentId: stored.id, activityId: context.activity.id });
    await refuse(stored.id, 'REQUESTER.UNKNOWN', 'I could not tell who clicked, so nothing was changed.');
    return;
  }
  if (action.trigger === 'automatic') {
    // Incident cards have no refresh action: an automatic invoke is forged.
    deps.logger.warn('refused an automatic trigger for a decision verb', { verb: action.verb, incidentId: stored.id, by: by.aadObjectId });
    await refuse(stored.id, ErrorCode.CardInvalid, 'Only a click can do this; nothing was changed.');
    return;
  }
  if ((action.version ?? 0) < (stored.stateVersion ?? 0)) {
    // Drawn before the incident moved on: the current card instead of an action on an old view.
    deps.logger.info('stale card clicked', { verb: action.verb, incidentId: stored.id, version: action.version, stateVersion: stored.stateVersion });
    await commands.recordRefusal({ id: stored.id, by, action: action.verb, code: ErrorCode.CardStale });
    await sendInvokeResponse(context, cardBody(renderIncidentCard(deps, stored)));
    return;
  }
  const tooLong = action.oversized[0];
  if (tooLong) {
    await commands.recordRefusal({ id: stored.id, by, action: action.verb, code: 'INPUT.TOO_LONG' });
    await sendInvokeResponse(context, messageBody(tooLongMessage(tooLong)));
    return;
  }
  const route = INCIDENT_ROUTES.find((r) => r.verb === action.verb);
  if (!route) {
    deps.logger.warn('unknown card verb', { verb: action.verb, incidentId: stored.id });
    await commands.recordRefusal({ id: stored.id, by, action: action.verb, code: 'INPUT.MALFORMED' });
    await sendInvokeResponse(context, errorBody(400, 'INPUT.MALFORMED', 'This card action is not understood. Nothing was changed.'));
    return;
  }
  const result = await route.handle(commands, { ...action, incidentId: stored.id }, by);
  if (!result.ok) {
    await refuse(stored.id, result.code, result.message);
    return;
  }
  await sendInvokeResponse(context, cardBody(renderIncidentCard(deps, result.value)));
  if (route.runs) commands.runInBackground(result.value.id);
}
