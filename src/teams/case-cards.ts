import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { RevealedSecret } from '../app/agent-actions';
import { approvalView, type ApproverMention } from '../views/approval-view';
import type { CardAttachment, CardRenderer } from '../views/card-renderer';
import { planView } from '../views/plan-view';
import { progressView } from '../views/progress-view';
import { secretView } from '../views/secret-view';
import { summaryView } from '../views/summary-view';
import { triageView } from '../views/triage-view';
import type { CardSigner } from './card-signature';

export type CaseCardKind = 'triage' | 'plan' | 'approval' | 'progress' | 'summary';

export interface CaseCardDeps {
  readonly cards: CardRenderer;
  readonly signer: CardSigner;
  readonly identityVerificationMethods?: readonly string[];
  readonly tap?: { readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean };
}

/** Renders one of a case's phase cards from the stored case, its buttons signed for this case, version and thread. */
export function renderCaseCard(deps: CaseCardDeps, kind: CaseCardKind, c: RecoveryCase, approvers: readonly ApproverMention[] = []): CardAttachment {
  const sig = deps.signer.sign({ tenantId: c.thread.tenantId, conversationId: c.thread.conversationId, caseId: c.id, version: c.version });
  switch (kind) {
    case 'triage':
      return deps.cards.render('triage', { ...triageView(c), sig });
    case 'plan':
      return deps.cards.render('plan', { ...planView(c), sig });
    case 'approval':
      return deps.cards.render('approval', { ...approvalView(c, approvers), sig });
    case 'progress':
      return deps.cards.render('progress', {
        sig,
        ...progressView(c, {
          identityVerificationMethods: deps.identityVerificationMethods ?? ['Verified ID', 'Video call with manager', 'In person with photo ID'],
          tap: deps.tap ?? { lifetimeInMinutes: 60, isUsableOnce: true },
        }),
      });
    case 'summary':
      return deps.cards.render('summary', { ...summaryView(c), sig });
    default:
      return assertNever(kind);
  }
}

/**
 * The answer to a Reveal click, for the requesting agent only: the secret on top, then the progress card as it stands
 * with the next step's buttons. The answer replaces the clicked card in the agent's view, and the bot edits the shared
 * progress card in the same moments (the step is recorded, the next one starts); whichever the client shows last, the
 * agent keeps the buttons to go on. Without them, an answer that arrived after the edit left the agent on a card with
 * nothing to click (seen in test/e2e/browser-recovery.test.ts). The secret is text, never an input, so no click sends
 * it back to the bot.
 */
export function renderSecretCard(deps: CaseCardDeps, c: RecoveryCase, secret: RevealedSecret): CardAttachment {
  const card = deps.cards.render(
    'secret',
    secretView(
      c,
      secret.kind === 'tap'
        ? { kind: 'temporaryAccessPass', value: secret.value, expiresAt: secret.expiresAt ?? '', isUsableOnce: secret.isUsableOnce ?? true }
        : { kind: 'password', value: secret.value },
    ),
  );
  const progress = renderCaseCard(deps, 'progress', c);
  const secretBody = bodyOf(card.content);
  const progressBody = bodyOf(progress.content);
  // Both cards start with the same SIMULATED TENANT banner in demo mode; show it once.
  const sharedBanner = secretBody.length > 0 && progressBody.length > 0 && JSON.stringify(secretBody[0]) === JSON.stringify(progressBody[0]);
  return {
    ...progress,
    content: {
      ...progress.content,
      body: [...secretBody, { type: 'Container', separator: true, spacing: 'Large', items: sharedBanner ? progressBody.slice(1) : progressBody }],
    },
  };
}

function bodyOf(content: Record<string, unknown>): unknown[] {
  return Array.isArray(content.body) ? (content.body as unknown[]) : [];
}
