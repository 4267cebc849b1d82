import { performance } from 'node:perf_hooks';
import type { Clock } from '../ports/clock';
import type { Activity, Storage, StoreItem } from 'botbuilder';
import type { CaseState, RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { CaseObserver } from '../ports/case-services';
import type { Logger } from '../ports/logger';
import type { ApproverMention } from '../views/approval-view';
import { nextStep } from '../domain/workflow';
import { isNotNeeded, isSecretStep } from '../views/reveal-view';
import { renderCaseCard, renderFormCard, renderRevealCard, type CaseCardDeps, type CaseCardKind } from './case-cards';
import { formSlotName, openForms, possibleForms, type FormSlot } from '../views/form-view';
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
  /**
   * The message was edited to its final, button-free words (a phase card the case has moved past, a reveal message
   * whose step is over). Set with a conditional write before that edit, so of two instances one edits it, once.
   */
  closed?: boolean;
}

type Slot = CaseCardKind | `reveal:${string}` | `form:${string}`;
const slotKey = (caseId: string, slot: Slot): string => `threads/${caseId}/${slot}`;
const PHASES: readonly CaseCardKind[] = ['triage', 'plan', 'approval', 'progress', 'summary'];
/** How long a loser waits for the winner of a slot to record its message id before giving up on this change. */
const CLAIM_WAIT_MS = 3_000;
/** A claim without a message after this long was left by an instance that died while posting. */
const ABANDONED_CLAIM_MS = 30_000;

/**
 * The states in which a phase card has buttons (its view offers them only then; test/teams/thread-cards.test.ts renders
 * every card in every state against this table). Outside them the card is final: it is edited once more, to say what
 * happened, and then left alone.
 */
const LIVE: Readonly<Record<CaseCardKind, readonly CaseState[]>> = {
  triage: ['triaged', 'planProposed'],
  plan: ['planProposed'],
  approval: ['awaitingApproval'],
  progress: ['approved', 'executing', 'failed'],
  summary: ['validating'],
};

/** Whether the case's card of this kind still offers buttons in the case's state. */
export const isLive = (kind: CaseCardKind, state: CaseState): boolean => LIVE[kind].includes(state);

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
    const shown = await this.slotItems(c.id, PHASES);
    const current = phaseCard(c.state) ?? [...PHASES].reverse().find((k) => shown.get(k)?.activityId);
    if (!current) return;
    const shownId = shown.get(current)?.activityId;
    // The approval card's form is open while the request waits: an edit would wipe what an approver is typing into its
    // comment or reason, and so would a new message in the Agents Playground (it redraws every card when one is added;
    // an edit of another message it leaves alone: test/e2e/form-keeps-text.test.ts). So a decision that does not decide
    // the request changes nothing in the thread: each approver still to decide sees the decisions so far in their own
    // view (the card's refresh), `status` and the journal have them, and the card is edited once the request is decided.
    const formOpen = current === 'approval' && isLive('approval', c.state);
    if (!shownId) {
      await this.postOnce(c, current, await this.phaseActivity(c, current));
    } else if (!formOpen) {
      // The usual case, a change within a phase: the card's message is known, so it is edited with no claim.
      await this.poster.update(c.thread, shownId, await this.phaseActivity(c, current));
    }
    // Every earlier card: edited along while it still offers something (the triage card's "Change scenario" while the
    // plan is proposed), then once more, to its final words without buttons, when the case has moved past it.
    for (const kind of PHASES) {
      const item = shown.get(kind);
      if (kind === current || !item?.activityId || item.closed) continue;
      if (isLive(kind, c.state)) await this.poster.update(c.thread, item.activityId, await this.phaseActivity(c, kind));
      else await this.closeOnce(c, slotKey(c.id, kind), item, await this.phaseActivity(c, kind));
    }
    if (c.state === 'cancelled') {
      const last = c.journal[c.journal.length - 1];
      await this.poster.post(c.thread, { type: 'message', text: `Case ${c.id} was cancelled by ${last?.by ?? 'the agent'}: ${last?.detail ?? ''}` });
    }
    await this.showReveal(c);
    await this.showForms(c);
  }

  /**
   * The forms people type into live on messages of their own (form-view.ts), never on a card the bot edits as the case
   * runs: posted once when the form opens, not edited while it is open (the claim makes a second post or an edit
   * impossible), and edited once, to its final words, when it closes.
   */
  private async showForms(c: RecoveryCase): Promise<void> {
    const open = openForms(c);
    for (const form of open) await this.claimAndPost(c, slotKey(c.id, formSlotName(form)), this.formActivity(c, form));
    const openNames = new Set(open.map(formSlotName));
    const closing = possibleForms(c).filter((f) => !openNames.has(formSlotName(f)));
    const keys = closing.map((f) => slotKey(c.id, formSlotName(f)));
    const items = keys.length > 0 ? await this.storage.read(keys) : {};
    for (const [i, form] of closing.entries()) {
      const key = keys[i] ?? '';
      const item = items[key] as SlotItem | undefined;
      if (item) await this.closeOnce(c, key, item, this.formActivity(c, form));
    }
  }

  private formActivity(c: RecoveryCase, form: FormSlot): Partial<Activity> {
    return { type: 'message', attachments: [renderFormCard(this.deps, c, form)] };
  }

  private async phaseActivity(c: RecoveryCase, kind: CaseCardKind): Promise<Partial<Activity>> {
    const mentions = kind === 'approval' ? await this.approverMentions(c) : [];
    return { type: 'message', attachments: [renderCaseCard(this.deps, kind, c, mentions)] };
  }

  /**
   * Edits a message to its final words once: the slot is marked closed with a conditional write first, so of two
   * instances closing it at the same moment exactly one edits it.
   */
  private async closeOnce(c: RecoveryCase, key: string, item: SlotItem, activity: Partial<Activity>): Promise<void> {
    if (!item.activityId || item.closed || !item.eTag) return;
    try {
      await this.storage.write({ [key]: { ...item, closed: true } satisfies SlotItem });
    } catch {
      return;
    }
    await this.poster.update(c.thread, item.activityId, activity);
  }

  /** The slot items recorded for these slots of a case (with their eTags, for conditional writes). */
  private async slotItems(caseId: string, slots: readonly Slot[]): Promise<Map<Slot, SlotItem>> {
    const keys = slots.map((slot) => slotKey(caseId, slot));
    const items = await this.storage.read(keys);
    const found = new Map<Slot, SlotItem>();
    slots.forEach((slot, i) => {
      const item = items[keys[i] ?? ''] as SlotItem | undefined;
      if (item) found.set(slot, item);
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
   * while a value may be on it: the answer to the click (the value) replaces it in the requester's view, and an edit
   * would take the value off the screen. It is edited once, without a button: as soon as its step ended without a
   * value (marked not needed), else when the case is closed or cancelled.
   */
  private async showReveal(c: RecoveryCase): Promise<void> {
    const step = c.state === 'executing' ? nextStep(c) : undefined;
    if (step && isSecretStep(step) && c.steps?.[step.id]?.status === 'waiting') {
      // Posted once; never edited while the case runs (the answer to the click, the value, is on it).
      await this.claimAndPost(c, slotKey(c.id, `reveal:${step.id}`), { type: 'message', attachments: [renderRevealCard(this.deps, c, step)] });
    }
    const over = c.state === 'documented' || c.state === 'cancelled';
    for (const secret of (c.plan ?? []).filter(isSecretStep)) {
      if (secret.id === step?.id || (!over && !isNotNeeded(c.steps?.[secret.id]))) continue;
      const key = slotKey(c.id, `reveal:${secret.id}`);
      const item = (await this.storage.read([key]))[key] as SlotItem | undefined;
      if (item) await this.closeOnce(c, key, item, { type: 'message', attachments: [renderRevealCard(this.deps, c, secret)] });
    }
  }
}
