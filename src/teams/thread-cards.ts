import type { Storage, StoreItem } from 'botbuilder';
import type { CaseState, RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { CaseObserver } from '../ports/case-services';
import type { Logger } from '../ports/logger';
import type { ApproverMention } from '../views/approval-view';
import { nextStep } from '../domain/workflow';
import { isSecretStep } from '../views/reveal-view';
import { renderCaseCard, renderRevealCard, type CaseCardDeps, type CaseCardKind } from './case-cards';
import type { ThreadPoster } from './thread-poster';

type CardRefs = Partial<Record<CaseCardKind | `reveal:${string}`, string>>;
interface RefsItem extends StoreItem {
  refs: CardRefs;
  order: CaseCardKind[];
  /** Reveal messages already edited to their final words (once the case is over). */
  revealsClosed?: string[];
}

/** The card that shows a case in each state; the thread gets one message per phase, edited in place. */
export function phaseCard(state: CaseState): CaseCardKind | undefined {
  switch (state) {
    case 'opened':
      return undefined;
    case 'triaged':
      return 'triage';
    case 'planProposed':
      return 'plan';
    case 'awaitingApproval':
    case 'approved':
    case 'denied':
    case 'expired':
      return 'approval';
    case 'executing':
    case 'failed':
      return 'progress';
    case 'validating':
    case 'documented':
      return 'summary';
    case 'cancelled':
      return undefined;
    default:
      return assertNever(state);
  }
}

/**
 * Keeps the thread in step with the case: posts the card of a new phase, edits the current phase's card on every
 * real change, and edits the previous phase's card once so its buttons disappear. Only real changes reach here,
 * never automatic refreshes.
 */
export class ThreadCards implements CaseObserver {
  constructor(
    private readonly poster: ThreadPoster,
    private readonly storage: Storage,
    private readonly deps: CaseCardDeps & { logger: Logger; pendingApprovers?: (c: RecoveryCase) => Promise<readonly { aadObjectId: string; name: string }[]> },
  ) {}

  async caseChanged(c: RecoveryCase): Promise<void> {
    try {
      await this.show(c);
    } catch (error) {
      // The case is saved; a Teams hiccup must not undo it. The next change or `status` shows the card again.
      this.deps.logger.warn('could not update the thread', { caseId: c.id, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  /** The approvers still to decide, @mentioned by Teams id where the conversation knows them (Entra id otherwise). */
  private async approverMentions(c: RecoveryCase): Promise<ApproverMention[]> {
    if (!this.deps.pendingApprovers || c.state !== 'awaitingApproval') return [];
    try {
      const approvers = await this.deps.pendingApprovers(c);
      const teamsIds = await this.poster.memberIds(c.thread, approvers.map((a) => a.aadObjectId));
      return approvers.map((a) => ({ id: teamsIds.get(a.aadObjectId) ?? a.aadObjectId, name: a.name, aadObjectId: a.aadObjectId }));
    } catch (error) {
      this.deps.logger.warn('could not list the approvers to mention', { caseId: c.id, error: error instanceof Error ? error.message : 'unknown' });
      return [];
    }
  }

  async notify(c: RecoveryCase, text: string): Promise<void> {
    try {
      await this.poster.post(c.thread, { type: 'message', text });
    } catch (error) {
      this.deps.logger.warn('could not post to the thread', { caseId: c.id, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  private async show(c: RecoveryCase): Promise<void> {
    const key = `threads/${c.id}`;
    const item = ((await this.storage.read([key]))[key] as RefsItem | undefined) ?? { refs: {}, order: [] };
    const current = phaseCard(c.state) ?? item.order[item.order.length - 1];
    if (!current) return;
    const activity = { type: 'message', attachments: [renderCaseCard(this.deps, current, c, current === 'approval' ? await this.approverMentions(c) : [])] };
    const existing = item.refs[current];
    if (existing) {
      await this.poster.update(c.thread, existing, activity);
    } else {
      const previous = item.order[item.order.length - 1];
      const previousId = previous ? item.refs[previous] : undefined;
      if (previous && previousId) await this.poster.update(c.thread, previousId, { type: 'message', attachments: [renderCaseCard(this.deps, previous, c)] });
      const id = await this.poster.post(c.thread, activity);
      if (id) await this.storage.write({ [key]: { refs: { ...item.refs, [current]: id }, order: [...item.order, current], eTag: '*' } satisfies RefsItem });
    }
    if (c.state === 'cancelled') {
      const last = c.journal[c.journal.length - 1];
      await this.poster.post(c.thread, { type: 'message', text: `Case ${c.id} was cancelled by ${last?.by ?? 'the agent'}: ${last?.detail ?? ''}` });
    }
    await this.showReveal(c, key);
  }

  /**
   * A secret step waiting for the requester gets its own message with the Reveal button. The bot does not edit it
   * while the case runs: the answer to the click (the value) replaces it in the requester's view, and an edit would
   * take the value off the screen. Once the case is closed or cancelled, each is edited once, without a button.
   */
  private async showReveal(c: RecoveryCase, key: string): Promise<void> {
    const item = ((await this.storage.read([key]))[key] as RefsItem | undefined) ?? { refs: {}, order: [] };
    const step = c.state === 'executing' ? nextStep(c) : undefined;
    if (step && isSecretStep(step) && c.steps?.[step.id]?.status === 'waiting' && !item.refs[`reveal:${step.id}`]) {
      const id = await this.poster.post(c.thread, { type: 'message', attachments: [renderRevealCard(this.deps, c, step)] });
      if (id) await this.storage.write({ [key]: { ...item, refs: { ...item.refs, [`reveal:${step.id}`]: id }, eTag: '*' } satisfies RefsItem });
      return;
    }
    if (c.state !== 'documented' && c.state !== 'cancelled') return;
    const closed = new Set(item.revealsClosed ?? []);
    const open = (c.plan ?? []).filter(isSecretStep).filter((s) => item.refs[`reveal:${s.id}`] && !closed.has(s.id));
    for (const s of open) {
      await this.poster.update(c.thread, item.refs[`reveal:${s.id}`] ?? '', { type: 'message', attachments: [renderRevealCard(this.deps, c, s)] });
      closed.add(s.id);
    }
    if (open.length > 0) await this.storage.write({ [key]: { ...item, revealsClosed: [...closed], eTag: '*' } satisfies RefsItem });
  }
}
