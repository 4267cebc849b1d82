import type { TurnContext } from 'botbuilder';
import type { Actor, RecoveryCase } from '../../domain/case';
import { assertNever, ErrorCode, type Result } from '../../domain/errors';
import { Verb } from '../../views/verbs';
import type { CardAttachment } from '../../views/card-renderer';
import { actorOf, threadOf } from '../activity-context';
import type { BotDeps, CaseActions } from '../bot-deps';
import type { VerifiedSignature } from '../card-signature';
import { INPUT_LIMITS, readCardAction, type CardAction } from '../card-action';
import {
  renderApprovalChatCard,
  renderCaseCard,
  renderFormCard,
  renderRevealCard,
  renderSecretCard,
  renderVerificationLinkCard,
  type CaseCardDeps,
  type CaseCardKind,
} from '../case-cards';
import { cardBody, errorBody, messageBody, sendInvokeResponse } from '../invoke-response';
import { cardInvalidText, keepTyped, refusalCard } from '../refusal-card';
import { isSecretStep } from '../../views/reveal-view';
import { formOfClick } from '../../views/form-view';

interface ActionContext {
  readonly deps: BotDeps;
  readonly actions: CaseActions;
  readonly action: CardAction;
  readonly by: Actor;
  readonly stepId: string;
  readonly context: TurnContext;
}

type Handler = (a: ActionContext) => Promise<Result<RecoveryCase>>;

/** A phase card, or a form message (form-view.ts) of the identity step or the close. */
type RouteCard = CaseCardKind | 'identityForm' | 'fallbackForm' | 'closeForm';

interface InvokeRoute {
  readonly verb: string;
  /** The card the button lives on, re-rendered for the person who clicked. */
  readonly card: RouteCard;
  readonly handle: Handler;
}

/** The buttons of the request card in an approver's 1:1 chat; every other button lives in the case's thread only. */
const CHAT_VERBS: ReadonlySet<string> = new Set([Verb.approve, Verb.deny]);

const num = (v: string | undefined): number | undefined => (v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

/** The one registration list of card actions: verb → handler. */
export const INVOKE_ROUTES: readonly InvokeRoute[] = [
  {
    verb: Verb.confirmScenario,
    card: 'triage',
    handle: ({ actions, action, by }) =>
      actions.confirmScenario({
        caseId: action.caseId,
        by,
        scenario: action.inputs.scenario ?? '',
        ...(action.inputs.reason ? { reason: action.inputs.reason } : {}),
      }),
  },
  {
    verb: Verb.closeNoRecovery,
    card: 'triage',
    handle: ({ actions, action, by }) => actions.closeNoRecovery({ caseId: action.caseId, by, reason: action.inputs.noRecoveryReason ?? '' }),
  },
  { verb: Verb.requestApproval, card: 'plan', handle: ({ actions, action, by }) => actions.requestApproval({ caseId: action.caseId, by }) },
  {
    verb: Verb.cancel,
    card: 'plan',
    handle: ({ actions, action, by }) => actions.cancel({ caseId: action.caseId, by, reason: action.inputs.cancelReason ?? '' }),
  },
  {
    verb: Verb.approve,
    card: 'approval',
    handle: ({ actions, action, by }) =>
      actions.decide({ caseId: action.caseId, by, decision: 'approve', ...(action.inputs.comment ? { text: action.inputs.comment } : {}) }),
  },
  {
    verb: Verb.deny,
    card: 'approval',
    handle: ({ actions, action, by }) => actions.decide({ caseId: action.caseId, by, decision: 'deny', text: action.inputs.denyReason ?? '' }),
  },
  { verb: Verb.start, card: 'progress', handle: ({ actions, action, by }) => actions.start({ caseId: action.caseId, by }) },
  {
    verb: Verb.confirmGuided,
    card: 'progress',
    handle: ({ actions, action, by, stepId }) => actions.confirmGuided({ caseId: action.caseId, by, stepId }),
  },
  {
    verb: Verb.recordIdentity,
    card: 'identityForm',
    handle: ({ actions, action, by, stepId }) =>
      actions.recordIdentity({ caseId: action.caseId, by, stepId, method: action.inputs.identityMethod ?? '', note: action.inputs.identityNote ?? '' }),
  },
  {
    verb: Verb.requestFallback,
    card: 'identityForm',
    handle: ({ actions, action, by, stepId }) =>
      actions.requestFallback({ caseId: action.caseId, by, stepId, method: action.inputs.identityMethod ?? '', note: action.inputs.identityNote ?? '' }),
  },
  {
    verb: Verb.accountRecovery,
    card: 'progress',
    handle: ({ actions, action, by, stepId }) => actions.handOffToAccountRecovery({ caseId: action.caseId, by, stepId }),
  },
  {
    verb: Verb.checkAccountRecovery,
    card: 'progress',
    handle: ({ actions, action, by, stepId }) => actions.checkAccountRecovery({ caseId: action.caseId, by, stepId }),
  },
  {
    verb: Verb.approveFallback,
    card: 'fallbackForm',
    handle: ({ actions, action, by }) => actions.decideFallback({ caseId: action.caseId, by, decision: 'approve' }),
  },
  {
    verb: Verb.refuseFallback,
    card: 'fallbackForm',
    handle: ({ actions, action, by }) => actions.decideFallback({ caseId: action.caseId, by, decision: 'deny', reason: action.inputs.fallbackReason ?? '' }),
  },
  { verb: Verb.skipStep, card: 'progress', handle: ({ actions, action, by, stepId }) => actions.skip({ caseId: action.caseId, by, stepId }) },
  { verb: Verb.retryStep, card: 'progress', handle: ({ actions, action, by, stepId }) => actions.retry({ caseId: action.caseId, by, stepId }) },
  { verb: Verb.recheck, card: 'summary', handle: ({ actions, action, by }) => actions.recheck({ caseId: action.caseId, by }) },
  {
    verb: Verb.close,
    card: 'closeForm',
    handle: ({ actions, action, by }) => actions.close({ caseId: action.caseId, by, lessons: action.inputs.lessons ?? '' }),
  },
];

function cardDeps(deps: BotDeps, actions: CaseActions, verified?: VerifiedSignature): CaseCardDeps {
  return {
    cards: deps.cards,
    signer: deps.signer,
    identityVerificationMethods: actions.identityVerificationMethods,
    tap: actions.tap,
    ...(actions.verifiedId ? { verifiedId: actions.verifiedId } : {}),
    now: () => actions.now(),
    ...(verified ? { verified } : {}),
  };
}

/**
 * Every card click: read the action, refuse anything that does not belong to a stored case of this conversation,
 * run the verb's use case (which checks who may do what against the stored case and Graph), then answer the click
 * with the re-rendered card, or with the refusal as a message to the clicker only.
 */
export async function handleCardAction(deps: BotDeps, context: TurnContext): Promise<void> {
  const action = readCardAction(context.activity);
  const actions = deps.actions;
  const by = actorOf(context.activity);
  if (!action || !actions) {
    deps.logger.warn('refused a card action that cannot be read', { activityId: context.activity.id, by: by?.aadObjectId });
    await sendInvokeResponse(context, errorBody(400, 'INPUT.MALFORMED', 'This card action is not understood. Nothing was changed.'));
    return;
  }
  const thread = threadOf(context.activity);
  // The signature binds the case id and version to this tenant and conversation: a tampered, foreign or made-up
  // card is refused before the case is even loaded.
  const fields =
    action.version !== undefined
      ? { tenantId: thread.tenantId, conversationId: thread.conversationId, caseId: action.caseId, version: action.version }
      : undefined;
  const signed = fields !== undefined && deps.signer.verify(fields, action.signature);
  // The card drawn in answer is signed for these same fields when the case has not moved on: no second HMAC then.
  const verified = signed && fields && action.signature ? { fields, signature: action.signature } : undefined;
  const stored = signed ? await actions.get(action.caseId) : undefined;
  // The card belongs to the thread the case lives in: the same card replayed in another thread of the channel is refused.
  const inThread = stored !== undefined && stored.thread.conversationId === thread.conversationId && stored.thread.tenantId === thread.tenantId;
  // Or it is the request card the bot sent this very person in their 1:1 chat (approver-chats.ts): Approve and Deny only.
  const chat = stored && !inThread && by && CHAT_VERBS.has(action.verb) && deps.chats ? await deps.chats.requestChat(stored.id, by.aadObjectId) : undefined;
  const inChat = chat !== undefined && chat.conversationId === thread.conversationId && chat.tenantId === thread.tenantId;
  if (!stored || (!inThread && !inChat)) {
    deps.logger.warn('refused a card action with invalid data', {
      verb: action.verb,
      caseId: action.caseId,
      signed,
      by: by?.aadObjectId,
      activityId: context.activity.id,
    });
    if (stored) await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: ErrorCode.CardInvalid });
    // Loaded only to say truthfully why (no such case, another conversation's card, a bad signature); nothing of it is shown.
    const found = stored ?? (await actions.get(action.caseId));
    await sendInvokeResponse(context, cardBody(refusalCard(deps.cards, cardInvalidText(deps.signer, action, thread, found, signed))));
    return;
  }
  if (!by) {
    deps.logger.warn('refused a card action without an Entra identity', { verb: action.verb, caseId: stored.id, activityId: context.activity.id });
    await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: 'REQUESTER.UNKNOWN' });
    await sendInvokeResponse(context, cardBody(refusalCard(deps.cards, 'I could not tell who clicked, so nothing was changed. (REQUESTER.UNKNOWN)')));
    return;
  }
  // A click in an approver's 1:1 chat is answered with that chat's card (signed for the chat), a refusal in red on it.
  const chatCard =
    chat && inChat
      ? (c: RecoveryCase, refusal?: string) => renderApprovalChatCard(cardDeps(deps, actions, verified), c, chat, by.aadObjectId, refusal)
      : undefined;
  if (action.trigger === 'automatic' && action.verb !== Verb.refreshApproval) {
    // Teams sends automatic invokes only for the card's refresh action; anything else claiming to be one is forged.
    deps.logger.warn('refused an automatic trigger for a decision verb', { verb: action.verb, caseId: stored.id, by: by.aadObjectId });
    await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: ErrorCode.CardInvalid });
    await sendInvokeResponse(context, cardBody(refusalCard(deps.cards, 'Only a click can do this; nothing was changed. (CARD.INVALID)')));
    return;
  }
  if (action.verb !== Verb.refreshApproval && (action.version ?? 0) < (stored.stateVersion ?? 0)) {
    // The card was drawn before the case moved on: show the current one instead of acting on an old view.
    deps.logger.info('stale card clicked', { verb: action.verb, caseId: stored.id, version: action.version, stateVersion: stored.stateVersion });
    await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: ErrorCode.CardStale });
    await refuseOnCard(
      deps,
      actions,
      context,
      action,
      stored,
      `This card was out of date: the case moved on since it was drawn. Here it is as it is now; nothing was changed. (${ErrorCode.CardStale})`,
      chatCard,
    );
    return;
  }
  if (action.verb === Verb.refreshApproval) {
    // Teams refreshes the card only for the people it lists; anyone else asking gets no freshly signed copy.
    if (!(await actions.isApprovalAudience(stored, by))) {
      await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: ErrorCode.CardNotAudience });
      await sendInvokeResponse(context, messageBody('This card refreshes only for its requester and the approvers. Nothing was changed. (CARD.NOT_AUDIENCE)'));
      return;
    }
    // Automatic refresh: show the current card to this person only; never edit the shared message.
    await sendInvokeResponse(context, cardBody(renderCaseCard(cardDeps(deps, actions, verified), 'approval', stored)));
    return;
  }
  const tooLong = action.oversized[0];
  if (tooLong) {
    await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: 'INPUT.TOO_LONG' });
    // Only a field the cards have is named back; anything else came from a forged click.
    const field = tooLong.field in INPUT_LIMITS ? `"${tooLong.field}"` : 'An input';
    await refuseOnCard(
      deps,
      actions,
      context,
      action,
      stored,
      `${field} is ${tooLong.length} characters; at most ${tooLong.limit} are accepted. Shorten it and click again. Nothing was changed. (INPUT.TOO_LONG)`,
      chatCard,
    );
    return;
  }
  if (action.verb === Verb.revealPassword || action.verb === Verb.revealTap) {
    await handleReveal(deps, actions, context, action, by);
    return;
  }
  if (action.verb === Verb.verifiedId) {
    await handleVerifiedId(deps, actions, context, action, by);
    return;
  }
  const route = INVOKE_ROUTES.find((r) => r.verb === action.verb);
  if (!route) {
    deps.logger.warn('unknown card verb', { verb: action.verb, caseId: action.caseId });
    await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: 'INPUT.MALFORMED' });
    await sendInvokeResponse(context, errorBody(400, 'INPUT.MALFORMED', 'This card action is not understood. Nothing was changed.'));
    return;
  }
  const result = await route.handle({ deps, actions, action, by, stepId: action.stepId ?? '', context });
  if (!result.ok) {
    await actions.recordRefusal({ caseId: stored.id, by, action: action.verb, code: result.code });
    await refuseOnCard(deps, actions, context, action, (await actions.get(stored.id)) ?? stored, `${result.message} (${result.code})`, chatCard);
    return;
  }
  await sendInvokeResponse(
    context,
    cardBody(chatCard ? chatCard(result.value) : routeCard(cardDeps(deps, actions), route.card, result.value, action.stepId ?? '')),
  );
  actions.followUp(result.value);
}

/** The Verified ID link goes only into this invoke response, to the agent who clicked; the thread sees status changes. */
async function handleVerifiedId(deps: BotDeps, actions: CaseActions, context: TurnContext, action: CardAction, by: Actor): Promise<void> {
  const result = await actions.verifyWithVerifiedId({ caseId: action.caseId, by, stepId: action.stepId ?? '' });
  if (!result.ok) {
    await actions.recordRefusal({ caseId: action.caseId, by, action: action.verb, code: result.code });
    await refuseOnCard(deps, actions, context, action, await actions.get(action.caseId), `${result.message} (${result.code})`);
    return;
  }
  await sendInvokeResponse(context, cardBody(renderVerificationLinkCard(cardDeps(deps, actions), result.value.case, result.value.link)));
}

async function handleReveal(deps: BotDeps, actions: CaseActions, context: TurnContext, action: CardAction, by: Actor): Promise<void> {
  const kind = action.verb === Verb.revealTap ? 'tap' : 'password';
  const lifetime = num(action.inputs.tapLifetime);
  const result = await actions.reveal({
    caseId: action.caseId,
    by,
    stepId: action.stepId ?? '',
    kind,
    ...(lifetime !== undefined ? { tapLifetimeInMinutes: lifetime } : {}),
    ...(action.inputs.tapOneTime !== undefined ? { tapOneTime: action.inputs.tapOneTime === 'true' } : {}),
  });
  if (!result.ok) {
    await actions.recordRefusal({ caseId: action.caseId, by, action: action.verb, code: result.code });
    await refuseOnCard(deps, actions, context, action, await actions.get(action.caseId), `${result.message} (${result.code})`);
    return;
  }
  // The secret goes only into this invoke response, to the person who clicked. The shared progress card is
  // updated by the observer without it.
  await sendInvokeResponse(context, cardBody(renderSecretCard(cardDeps(deps, actions), result.value.case, result.value.secret)));
  actions.followUp(result.value.case);
}

/** The card of a route drawn from the case: a phase card, or the form message the button is on. */
function routeCard(deps: CaseCardDeps, card: RouteCard, c: RecoveryCase, stepId: string, refusal?: string): CardAttachment {
  switch (card) {
    case 'identityForm':
      return renderFormCard(deps, c, formOfClick(c, 'identity', stepId), refusal);
    case 'fallbackForm':
      return renderFormCard(deps, c, formOfClick(c, 'fallback', stepId), refusal);
    case 'closeForm':
      return renderFormCard(deps, c, formOfClick(c, 'close', stepId), refusal);
    case 'triage':
    case 'plan':
    case 'approval':
    case 'progress':
    case 'summary':
      return renderCaseCard(deps, card, c, [], refusal);
    default:
      return assertNever(card);
  }
}

/** The card each verb's button is on: a route's card, a reveal message, or the progress card (Verified ID). */
function clickedCard(deps: CaseCardDeps, action: CardAction, c: RecoveryCase, refusal: string): CardAttachment | undefined {
  const route = INVOKE_ROUTES.find((r) => r.verb === action.verb);
  if (route) return routeCard(deps, route.card, c, action.stepId ?? '', refusal);
  if (action.verb === Verb.verifiedId) return renderCaseCard(deps, 'progress', c, [], refusal);
  const step = c.plan?.find((s) => s.id === action.stepId);
  if ((action.verb === Verb.revealPassword || action.verb === Verb.revealTap) && step && isSecretStep(step)) return renderRevealCard(deps, c, step, refusal);
  return undefined;
}

/**
 * A refused click on a card of a case of this conversation (the signature verified): the clicker gets the card they
 * clicked, drawn from the case as it is now, with the reason in red and what they typed kept in its inputs. They were
 * already holding a card signed for this conversation, and every check is made again on the next click.
 */
async function refuseOnCard(
  deps: BotDeps,
  actions: CaseActions,
  context: TurnContext,
  action: CardAction,
  c: RecoveryCase | undefined,
  refusal: string,
  chatCard?: (c: RecoveryCase, refusal?: string) => CardAttachment,
): Promise<void> {
  const card = c ? (chatCard ? chatCard(c, refusal) : clickedCard(cardDeps(deps, actions), action, c, refusal)) : undefined;
  await sendInvokeResponse(context, cardBody(card ? keepTyped(card, action.inputs) : refusalCard(deps.cards, refusal)));
}
