import type { RecoveryCase, ThreadRef } from '../domain/case';
import { ErrorCode } from '../domain/errors';
import type { CardAttachment, CardRenderer } from '../views/card-renderer';
import type { CardAction } from './card-action';
import type { CardSigner } from './card-signature';

/**
 * How a refused click is answered. Teams shows an `application/vnd.microsoft.card.adaptive` invoke response in place of
 * the card that was clicked, for the person who clicked only; an `application/vnd.microsoft.activity.message` answer is
 * not drawn in the chat by the Agents Playground (only its log shows it), so a refusal given that way reads as "nothing
 * happened". Every refusal is therefore a card: the card that was clicked, re-rendered with the reason in red and what the
 * person typed put back into its inputs, or, when the click cannot be trusted with the case at all (a card signed for
 * another conversation, a tampered or outdated signature, a case that does not exist), a card of its own that names the
 * reason and carries nothing of any case and no button, so nobody receives a freshly signed copy they should not have.
 * Response format: https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
 */
export function refusalCard(cards: CardRenderer, text: string): CardAttachment {
  return cards.render('refusal', {
    title: 'Not done',
    text,
    note: 'Only you see this answer, in place of the card you clicked. Refused clicks on a case of this conversation are in its journal.',
  });
}

/** Case ids as the bot makes them; anything else from card data is not repeated back. */
const CASE_ID = /^RC-[0-9A-Z]{8}$/;

/**
 * Why a card that does not belong to this conversation is refused, truthfully and without showing anything of a case to
 * someone who is not in its thread: no such case; a genuine card of a case that lives in another conversation or thread
 * (its signature verifies there, not here); or a signature that verifies nowhere (changed by hand, or drawn by an earlier
 * version of the bot, whose cards signed less).
 */
export function cardInvalidText(signer: CardSigner, action: CardAction, here: ThreadRef, found: RecoveryCase | undefined, signedHere: boolean): string {
  const id = CASE_ID.test(action.caseId) ? action.caseId : undefined;
  const named = id ? `case ${id}` : 'the case this card names';
  const end = `Nothing was changed. (${ErrorCode.CardInvalid})`;
  if (!found) return `This card is not valid: ${id ? `there is no case ${id}` : 'it names no case'}. ${end}`;
  const home = found.thread;
  const genuine =
    action.version !== undefined &&
    signer.verify({ tenantId: home.tenantId, conversationId: home.conversationId, caseId: found.id, version: action.version }, action.signature);
  if (home.conversationId !== here.conversationId || home.tenantId.toLowerCase() !== here.tenantId.toLowerCase()) {
    if (genuine || signedHere) return `This card belongs to ${named}, which lives in another conversation or thread; it works only there. ${end}`;
  }
  return (
    `This card's signature is not valid: the card was changed, or it was drawn by an earlier version of the bot. ` +
    `Type ${id ? `"status ${id}"` : '"status" with the case id'} in the case's thread for the current card. ${end}`
  );
}

/**
 * Puts what the person typed back into the inputs of the card they get in answer, so that a refusal ("a reason is
 * needed", "at most 500 characters") does not cost them their text. Only inputs the card has are filled.
 */
export function keepTyped(card: CardAttachment, typed: Readonly<Record<string, string>>): CardAttachment {
  const fill = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fill);
    if (!node || typeof node !== 'object') return node;
    const record = Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, fill(v)]));
    const id = record.id;
    if (typeof record.type === 'string' && record.type.startsWith('Input.') && typeof id === 'string' && typed[id] !== undefined) {
      const value = typed[id];
      record.value = record.type === 'Input.Number' ? (Number.isFinite(Number(value)) ? Number(value) : record.value) : value;
    }
    return record;
  };
  return { ...card, content: fill(card.content) as Record<string, unknown> };
}
