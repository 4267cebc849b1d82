import type { RecoveryCase, ThreadRef } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { RevealedSecret, VerificationLink } from '../ports/case-actions';
import { approvalChatView, approvalView, type ApproverMention } from '../views/approval-view';
import type { CardAttachment, CardRenderer } from '../views/card-renderer';
import { planView } from '../views/plan-view';
import { DEFAULT_PROGRESS_OPTIONS, progressView } from '../views/progress-view';
import { verificationLinkView } from '../views/verification-link-view';
import { revealView, type SecretStep } from '../views/reveal-view';
import { secretView } from '../views/secret-view';
import { formView, type FormSlot } from '../views/form-view';
import { summaryView } from '../views/summary-view';
import { triageView } from '../views/triage-view';
import type { CardSigner, VerifiedSignature } from './card-signature';

export type CaseCardKind = 'triage' | 'plan' | 'approval' | 'progress' | 'summary';

export interface CaseCardDeps {
  readonly cards: CardRenderer;
  readonly signer: CardSigner;
  readonly identityVerificationMethods?: readonly string[];
  readonly tap?: { readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean };
  readonly verifiedId?: { readonly maxAttempts: number };
  readonly now?: () => Date;
  /** The signature of the click being answered, verified: reused when the card is signed for the same fields. */
  readonly verified?: VerifiedSignature;
}

/** The signature for a card of case `c` in `where` (the case's thread, or an approver's chat). */
function signatureOf(deps: CaseCardDeps, c: RecoveryCase, where: { readonly tenantId: string; readonly conversationId: string }): string {
  return deps.signer.signReusing({ tenantId: where.tenantId, conversationId: where.conversationId, caseId: c.id, version: c.version }, deps.verified);
}

/**
 * Renders one of a case's phase cards from the stored case, its buttons signed for this case, version and thread.
 * `refusal`: the reason a click on it was refused, in red at its top (the answer to that click only).
 */
export function renderCaseCard(
  deps: CaseCardDeps,
  kind: CaseCardKind,
  c: RecoveryCase,
  approvers: readonly ApproverMention[] = [],
  refusal?: string,
): CardAttachment {
  const sig = signatureOf(deps, c, c.thread);
  switch (kind) {
    case 'triage':
      return deps.cards.render('triage', { ...triageView(c), sig }, refusal);
    case 'plan':
      return deps.cards.render('plan', { ...planView(c), sig }, refusal);
    case 'approval':
      return deps.cards.render('approval', { ...approvalView(c, approvers), sig }, refusal);
    case 'progress':
      return deps.cards.render(
        'progress',
        {
          sig,
          ...progressView(c, {
            identityVerificationMethods: deps.identityVerificationMethods ?? DEFAULT_PROGRESS_OPTIONS.identityVerificationMethods,
            tap: deps.tap ?? DEFAULT_PROGRESS_OPTIONS.tap,
            ...(deps.verifiedId ? { verifiedId: deps.verifiedId } : {}),
            ...(deps.now ? { now: deps.now } : {}),
          }),
        },
        refusal,
      );
    case 'summary':
      return deps.cards.render('summary', { ...summaryView(c), sig }, refusal);
    default:
      return assertNever(kind);
  }
}

/**
 * The approval request in one approver's 1:1 chat with the bot: signed for that chat (a click there is checked against
 * the chat the bot sent it to, approver-chats.ts), with the buttons only while that person may still decide.
 * `refusal`: the reason a click on it was refused, in red at its top (the answer to that click only).
 */
export function renderApprovalChatCard(deps: CaseCardDeps, c: RecoveryCase, chat: ThreadRef, viewer: string, refusal?: string): CardAttachment {
  const sig = signatureOf(deps, c, chat);
  const card = deps.cards.render('approval', { ...approvalChatView(c, viewer), sig }, refusal);
  // No automatic refresh in a 1:1 chat: the bot edits this card itself when its person decides or the request ends.
  const content = { ...card.content };
  delete content.refresh;
  return { ...card, content };
}

/** A form message (form-view.ts): posted when its form opens, edited once when it closes. */
export function renderFormCard(deps: CaseCardDeps, c: RecoveryCase, form: FormSlot, refusal?: string): CardAttachment {
  const sig = signatureOf(deps, c, c.thread);
  return deps.cards.render(
    'form',
    { ...formView(c, form, deps.identityVerificationMethods ?? DEFAULT_PROGRESS_OPTIONS.identityVerificationMethods), sig },
    refusal,
  );
}

/** The message with one secret step's Reveal button (see revealView): posted when the step waits, edited once at the end. */
export function renderRevealCard(deps: CaseCardDeps, c: RecoveryCase, step: SecretStep, refusal?: string): CardAttachment {
  const sig = signatureOf(deps, c, c.thread);
  return deps.cards.render(
    'reveal',
    {
      ...revealView(c, step, {
        identityVerificationMethods: deps.identityVerificationMethods ?? [],
        tap: deps.tap ?? { lifetimeInMinutes: 60, isUsableOnce: true },
      }),
      sig,
    },
    refusal,
  );
}

/**
 * The answer to a Reveal click, for the requesting agent only. It replaces the reveal message in the agent's view; the
 * bot does not edit that message while the case runs, so the value stays there until the agent leaves it. The next
 * step's buttons are on the progress card, which the bot keeps up to date. The secret is text, never an input, so no
 * click sends it back to the bot.
 */
export function renderSecretCard(deps: CaseCardDeps, c: RecoveryCase, secret: RevealedSecret): CardAttachment {
  return deps.cards.render(
    'secret',
    secretView(
      c,
      secret.kind === 'tap'
        ? { kind: 'temporaryAccessPass', value: secret.value, expiresAt: secret.expiresAt ?? '', isUsableOnce: secret.isUsableOnce ?? true }
        : { kind: 'password', value: secret.value },
    ),
  );
}

/** The answer to "Verify with Verified ID", for the requesting agent only: the link to hand to the user out of band. */
export function renderVerificationLinkCard(deps: CaseCardDeps, c: RecoveryCase, link: VerificationLink): CardAttachment {
  return deps.cards.render('verification-link', verificationLinkView(c, link));
}
