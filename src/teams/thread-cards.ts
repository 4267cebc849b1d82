import { performance } from 'node:perf_hooks';
import type { Clock } from '../ports/clock';
import type { Activity, Storage, StoreItem } from 'botbuilder';
import type { CaseState, RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { CaseObserver } from '../ports/case-services';
import type { Logger } from '../ports/logger';
import type { ApproverMention } from '../views/approval-view';
import { nextStep } from '../domain/workflow';
import { isSecretStep } from '../views/reveal-view';
import { renderCaseCard, renderRevealCard, type CaseCardDeps, type CaseCardKind } from './case-cards';
import type { ThreadPoster } from './thread-poster';

/**
 * Where the bot keeps which message shows what: one record per card slot (a phase card, or a secret step's reveal
 * message), so that two instances recording different cards never overwrite each other. A slot is claimed with a
 * create-only write before its message is posted, so a card is posted once even when two instances (or two changes in
 * one instance) show the same new phase at the same moment; the loser edits the winner's message instead.
 */
export interface CardRefStorage extends Storage {
  /** Stores the item only if the key is free; false when an item is already there. */
  create(key: string, item: StoreItem): Promise<boolean>;
}

interface SlotItem extends StoreItem {
  /** The posted message; absent while the claimant is posting it. */
  activityId?: string;
  claimedAt: string;
  /** Reveal messages: edited to their final words once the case is over. */
  closed?: boolean;
}

type Slot = CaseCardKind | `reveal:${string}`;
const slotKey = (caseId: string, slot: Slot): string => `threads/${caseId}/${slot}`;
const PHASES: readonly CaseCardKind[] = ['triage', 'plan', 'approval', 'progress', 'summary'];
/** How long a loser waits for the winner of a slot to record its message id before giving up on this change. */
const CLAIM_WAIT_MS = 3_000;
/** A claim without a message after this long was left by an instance that died while posting. */
const ABANDONED_CLAIM_MS = 30_000;

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
    private readonly storage: CardRefStorage,
    private readonly deps: CaseCardDeps & {
      logger: Logger;
      clock: Clock;
      pendingApprovers?: (c: RecoveryCase) => Promise<readonly { aadObjectId: string; name: string }[]>;
    },
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
      const teamsIds = await this.poster.memberIds(
        c.thread,
        approvers.map((a) => a.aadObjectId),
      );
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
    const shown = await this.slots(c.id, PHASES);
    const current = phaseCard(c.state) ?? [...PHASES].reverse().find((k) => shown.has(k));
    if (!current) return;
    const activity = { type: 'message', attachments: [renderCaseCard(this.deps, current, c, current === 'approval' ? await this.approverMentions(c) : [])] };
    const shownId = shown.get(current);
    if (shownId) {
      // The usual case, a change within a phase: the card's message is known, so it is edited with no claim.
      await this.poster.update(c.thread, shownId, activity);
    } else if ((await this.postOnce(c, current, activity)) === 'posted') {
      // A new phase: the previous phase's card is edited once, so its buttons go.
      const previous = PHASES.slice(0, PHASES.indexOf(current))
        .reverse()
        .find((k) => shown.has(k));
      const previousId = previous ? shown.get(previous) : undefined;
      if (previous && previousId) await this.poster.update(c.thread, previousId, { type: 'message', attachments: [renderCaseCard(this.deps, previous, c)] });
    }
    if (c.state === 'cancelled') {
      const last = c.journal[c.journal.length - 1];
      await this.poster.post(c.thread, { type: 'message', text: `Case ${c.id} was cancelled by ${last?.by ?? 'the agent'}: ${last?.detail ?? ''}` });
    }
    await this.showReveal(c);
  }

  /** The message ids recorded for these slots of a case. */
  private async slots(caseId: string, slots: readonly Slot[]): Promise<Map<Slot, string>> {
    const keys = slots.map((slot) => slotKey(caseId, slot));
    const items = await this.storage.read(keys);
    const found = new Map<Slot, string>();
    slots.forEach((slot, i) => {
      const id = (items[keys[i] ?? ''] as SlotItem | undefined)?.activityId;
      if (id) found.set(slot, id);
    });
    return found;
  }

  /**
   * Posts the slot's message if nobody has (claiming the slot first), else edits the one that was posted. Resolves
   * 'posted' when this call posted it.
   */
  private async postOnce(c: RecoveryCase, slot: Slot, activity: Partial<Activity>): Promise<'posted' | 'edited' | 'skipped'> {
    const key = slotKey(c.id, slot);
    if (await this.claimAndPost(c, key, activity)) return 'posted';
    // How long to wait is a duration on this instance (monotonic); how old a claim is compares times that instances
    // wrote, on the bot's clock.
    const deadline = performance.now() + CLAIM_WAIT_MS;
    for (;;) {
      const item = (await this.storage.read([key]))[key] as SlotItem | undefined;
      if (item?.activityId) {
        await this.poster.update(c.thread, item.activityId, activity);
        return 'edited';
      }
      // A claim this old without a message: its instance died between the claim and the post. Take the slot over.
      if (!item || this.deps.clock.now().getTime() - Date.parse(item.claimedAt) > ABANDONED_CLAIM_MS) {
        if (item) await this.storage.delete([key]);
        return (await this.claimAndPost(c, key, activity)) ? 'posted' : 'skipped';
      }
      if (performance.now() >= deadline) {
        this.deps.logger.warn('a card slot is claimed but its message is not recorded yet; the next change shows the card', { caseId: c.id, slot });
        return 'skipped';
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Claims the slot and posts its message; a failed post frees the slot again. False when the slot was taken. */
  private async claimAndPost(c: RecoveryCase, key: string, activity: Partial<Activity>): Promise<boolean> {
    if (!(await this.storage.create(key, { claimedAt: this.deps.clock.now().toISOString() } satisfies SlotItem))) return false;
    let id: string | undefined;
    try {
      id = await this.poster.post(c.thread, activity);
    } finally {
      if (!id) await this.storage.delete([key]);
    }
    if (id) await this.storage.write({ [key]: { activityId: id, claimedAt: this.deps.clock.now().toISOString(), eTag: '*' } satisfies SlotItem });
    return true;
  }

  /**
   * A secret step waiting for the requester gets its own message with the Reveal button. The bot does not edit it
   * while the case runs: the answer to the click (the value) replaces it in the requester's view, and an edit would
   * take the value off the screen. Once the case is closed or cancelled, each is edited once, without a button.
   */
  private async showReveal(c: RecoveryCase): Promise<void> {
    const step = c.state === 'executing' ? nextStep(c) : undefined;
    if (step && isSecretStep(step) && c.steps?.[step.id]?.status === 'waiting') {
      // Posted once; never edited while the case runs (the answer to the click, the value, is on it).
      await this.claimAndPost(c, slotKey(c.id, `reveal:${step.id}`), { type: 'message', attachments: [renderRevealCard(this.deps, c, step)] });
      return;
    }
    if (c.state !== 'documented' && c.state !== 'cancelled') return;
    for (const secret of (c.plan ?? []).filter(isSecretStep)) {
      const key = slotKey(c.id, `reveal:${secret.id}`);
      const item = (await this.storage.read([key]))[key] as SlotItem | undefined;
      if (!item?.activityId || item.closed || !item.eTag) continue;
      try {
        // Conditional: of two instances closing the case's reveal messages, one edits each.
        await this.storage.write({ [key]: { ...item, closed: true } satisfies SlotItem });
      } catch {
        continue;
      }
      await this.poster.update(c.thread, item.activityId, { type: 'message', attachments: [renderRevealCard(this.deps, c, secret)] });
    }
  }
}
