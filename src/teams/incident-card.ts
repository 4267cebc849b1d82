import type { IncidentCase } from '../domain/incident';
import type { CardAttachment, CardRenderer } from '../views/card-renderer';
import { incidentView } from '../views/incident-view';
import type { CardSigner } from './card-signature';

export interface IncidentCardDeps {
  readonly cards: CardRenderer;
  readonly signer: CardSigner;
}

/**
 * An incident's card, its buttons signed for the incident's own thread and version (as case cards are, under the
 * incident kind). Without a thread there is nothing to bind a signature to, so the card has no buttons; a copy for a
 * typed command's answer is asked for without them too.
 */
export function renderIncidentCard(
  deps: IncidentCardDeps,
  c: IncidentCase,
  options: { progress?: { answered: number; total: number }; buttons?: boolean } = {},
): CardAttachment {
  const thread = c.thread;
  const buttons = (options.buttons ?? true) && thread !== undefined;
  const view = incidentView(c, options.progress, buttons);
  if (!thread || !buttons) return deps.cards.render('incident', view);
  const sig = deps.signer.sign({ tenantId: thread.tenantId, conversationId: thread.conversationId, incidentId: c.id, version: c.version ?? 0 });
  return deps.cards.render('incident', { ...view, sig });
}
