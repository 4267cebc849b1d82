import type { StoreItem } from 'botbuilder';
import type { ApproverContact } from '../domain/approver-contact';
import type { RecoveryCase, ThreadRef } from '../domain/case';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { ChatNotSent } from '../ports/out-of-band';
import { isETagConflict } from '../ports/storage-conflict';
import type { CardRefStorage } from './thread-cards';
import { formatTime } from '../views/format';
import { renderApprovalChatCard, type CaseCardDeps } from './case-cards';
import type { ChatDirectory } from './chat-directory';
import type { ThreadPoster } from './thread-poster';

/** A person the request goes to. */
export interface ChatPerson {
  readonly aadObjectId: string;
  readonly name: string;
}

/** Opens a person's 1:1 chat with the bot when the bot knows none (teams/personal-chat.ts AdapterChatOpener). */
export interface ChatOpener {
  open(via: ThreadRef, person: ChatPerson): Promise<{ chat: ThreadRef; teamsUserId: string }>;
}

export interface ApproverChatsDeps extends CaseCardDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** The case as stored now: the work runs after the click was answered, so it reads the latest. */
  readonly load: (caseId: string) => Promise<RecoveryCase | undefined>;
  /** Who may still decide (approvals.ts pendingApprovers): the requester, the target and who decided are not in it. */
  readonly pendingApprovers: (c: RecoveryCase) => Promise<readonly ChatPerson[]>;
  /** The members of the escalation groups, minus the requester, the target and who decided; none when not configured. */
  readonly escalationMembers: (c: RecoveryCase) => Promise<readonly ChatPerson[]>;
  /** Writes who was reached into the case's journal (no state change, no card edit). */
  readonly recordContact: (caseId: string, contact: ApproverContact) => Promise<void>;
  /** Runs work after the click was answered, chained per key (BackgroundWork). */
  readonly background: (key: string, work: () => Promise<void>) => void;
  readonly opener?: ChatOpener;
  /** HELPDESK_TIME_ZONE: the times in the messages to the chats. */
  readonly timeZone: string;
}

type Round = 'request' | 'reminder' | 'escalation';

/** One person's copy of a case's request: where it was sent and what happened to it. */
interface PersonChat {
  readonly name: string;
  readonly chat?: ThreadRef;
  /** The message with the card (or, for someone who may not decide, the escalation notice). */
  readonly activityId?: string;
  /** True when the message is the request card with buttons; false for a notice to someone who may not decide. */
  readonly card: boolean;
  /** Why the bot could not reach them, when it could not. */
  readonly unreachable?: string;
  /** The rounds done for this person: a round taken over from an instance that died skips them. */
  readonly rounds: readonly Round[];
  /** The card was edited to its final state (their decision, or the request's end): once, by one instance. */
  readonly finished?: boolean;
}

interface RoundClaim {
  readonly claimedAt: string;
  readonly doneAt?: string;
}

interface ChatsItem extends StoreItem {
  people: Record<string, PersonChat>;
  rounds: Partial<Record<Round, RoundClaim>>;
  /** The expiry notice went to the chats. */
  expiryNoticeAt?: string;
}

const itemKey = (caseId: string): string => `threads/${caseId}/chats`;
/** A round claimed this long ago and not done was left by an instance that died; another takes it over. */
const ABANDONED_ROUND_MS = 60_000;
const MAX_WRITE_ATTEMPTS = 20;
const MAX_REMEMBERED_OVER = 10_000;

/**
 * Approval requests in each approver's 1:1 chat with the bot. In Teams approvers are rarely watching the channel when a
 * request comes in; the Approvals app and access-request tools notify the approver directly, and so does this. Each
 * pending approver gets the same request card, signed for their chat, with Approve and Deny: a click there runs the
 * same use case as a click in the thread (handlers/case-actions.ts accepts it only from that person, in that chat).
 * The reminder and the escalation reach the chats too; when the person decides, or the request ends, their card is
 * edited once to say so, without buttons. Cards of people still deciding are never edited, so nothing they are
 * typing is lost.
 *
 * Everything is recorded in one item per case (`threads/{caseId}/chats`) with conditional writes: of several instances
 * seeing the same change, one claims each round and one finishes each card, so every message is sent once. A round
 * whose instance died is taken over after a minute, skipping the people it had reached. The thread says who was
 * reached and who was not (and why), and so does the journal.
 */
export class ApproverChats {
  constructor(
    private readonly poster: ThreadPoster,
    private readonly storage: CardRefStorage,
    private readonly chats: ChatDirectory,
    private readonly deps: ApproverChatsDeps,
  ) {}

  /**
   * Cases whose request is over and whose chat cards this process has finished: a request never waits again, so their
   * later changes (every step of the run) need no read here. Forgotten wholesale past a bound; forgetting costs a read.
   */
  private readonly over = new Set<string>();

  /** A change of the case: the chats catch up after the click has been answered. */
  caseChanged(c: RecoveryCase): void {
    if (!c.approval || this.over.has(c.id)) return;
    this.deps.background(`chats:${c.id}`, () => this.sync(c.id));
  }

  /** Brings the chats in line with the stored case: requests, reminder, escalation, finished cards. Idempotent. */
  async sync(caseId: string): Promise<void> {
    try {
      const c = await this.deps.load(caseId);
      if (!c?.approval) return;
      if (c.state === 'awaitingApproval') {
        await this.requestRound(c);
        await this.finishDecided(c);
        if (c.approval.remindedAt) await this.reminderRound(c);
        if (c.approval.escalatedAt) await this.escalationRound(c);
      } else {
        await this.finishAll(c);
        if (this.over.size >= MAX_REMEMBERED_OVER) this.over.clear();
        this.over.add(c.id);
      }
    } catch (error) {
      // The case is saved; the thread's card still has the buttons. The next change or sweep tries again.
      this.deps.logger.warn('could not bring the approvers\u2019 chats up to date', { caseId, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  /** The chat a click came from, when it is the one the bot sent this person's request card to. */
  async requestChat(caseId: string, aadObjectId: string): Promise<ThreadRef | undefined> {
    const person = (await this.read(caseId))?.people[aadObjectId];
    return person?.card && person.activityId && person.chat ? person.chat : undefined;
  }

  private async requestRound(c: RecoveryCase): Promise<void> {
    if (!(await this.claim(c.id, 'request'))) {
      await this.retryUnreached(c);
      return;
    }
    const pending = await this.deps.pendingApprovers(c);
    const contact = await this.sendCards(c, pending, 'request');
    await this.finishRound(c.id, 'request');
    if (pending.length === 0) return;
    await this.tellThread(c, requestText(c, contact));
    await this.deps.recordContact(c.id, contact);
  }

  /**
   * Approvers the request could not reach, whose chat the bot has learned since (they installed the app, or wrote to
   * the bot): they get the card now, each claimed by one instance. Run by every sweep while the request waits.
   */
  private async retryUnreached(c: RecoveryCase): Promise<void> {
    const item = await this.read(c.id);
    const decided = decidedBy(c);
    const waiting = Object.entries(item?.people ?? {}).filter(
      ([aad, p]) => p.unreachable && !p.activityId && p.rounds.includes('request') && !decided.has(aad),
    );
    // Only those whose chat is known now (a storage read each), and only then the directory (who may still decide).
    const reachable: typeof waiting = [];
    for (const entry of waiting) if (await this.chats.find(entry[0], c.thread.tenantId)) reachable.push(entry);
    if (reachable.length === 0) return;
    const eligible = new Set((await this.deps.pendingApprovers(c)).map((p) => p.aadObjectId));
    const now: ChatPerson[] = [];
    for (const [aad, p] of reachable) {
      if (!eligible.has(aad)) continue;
      // One instance takes each person: the unreachable mark is cleared by a conditional write before the card goes.
      const taken = await this.update(c.id, (fresh) => {
        const person = fresh.people[aad];
        if (!person?.unreachable || person.activityId) return undefined;
        const retried: PersonChat = { name: person.name, card: false, rounds: [] };
        return { ...fresh, people: { ...fresh.people, [aad]: retried } };
      });
      if (taken) now.push({ aadObjectId: aad, name: p.name });
    }
    if (now.length === 0) return;
    const contact = await this.sendCards(c, now, 'request');
    if (contact.reached.length > 0)
      await this.tellThread(c, `The approval request for case ${c.id} now also reached ${contact.reached.join(', ')} in their 1:1 chats with the bot.`);
    await this.deps.recordContact(c.id, contact);
  }

  private async reminderRound(c: RecoveryCase): Promise<void> {
    if (!(await this.claim(c.id, 'reminder'))) return;
    const item = await this.read(c.id);
    const decided = decidedBy(c);
    const needed = stillNeeded(c);
    for (const [aad, person] of Object.entries(item?.people ?? {})) {
      if (!person.card || !person.activityId || !person.chat || person.finished || decided.has(aad) || person.rounds.includes('reminder')) continue;
      await this.trySend(c, aad, person.chat, 'reminder', {
        type: 'message',
        text: `Reminder: case ${c.id} (${c.target.userPrincipalName}) still needs ${needed} approval(s). The request above expires at ${formatTime(c.approval?.expiresAt, this.deps.timeZone)}.`,
      });
    }
    await this.finishRound(c.id, 'reminder');
  }

  private async escalationRound(c: RecoveryCase): Promise<void> {
    if (!(await this.claim(c.id, 'escalation'))) return;
    const members = await this.deps.escalationMembers(c);
    const mayDecide = new Set((await this.deps.pendingApprovers(c)).map((p) => p.aadObjectId));
    const item = await this.read(c.id);
    const needed = stillNeeded(c);
    const reached: string[] = [];
    const unreached: { name: string; reason: string }[] = [];
    const fresh: ChatPerson[] = [];
    for (const m of members) {
      const person = item?.people[m.aadObjectId];
      if (person?.rounds.includes('escalation')) {
        reached.push(m.name);
      } else if (person?.card && person.activityId && person.chat && !person.finished) {
        // Asked already: the escalation is a new message under their request card.
        const sent = await this.trySend(c, m.aadObjectId, person.chat, 'escalation', {
          type: 'message',
          text: `Escalated: case ${c.id} (${c.target.userPrincipalName}) still needs ${needed} approval(s), requested by ${c.requester.name}. The request is above.`,
        });
        if (sent === true) reached.push(m.name);
        else unreached.push({ name: m.name, reason: sent });
      } else if (mayDecide.has(m.aadObjectId)) {
        fresh.push(m);
      } else {
        const sent = await this.notice(c, m, needed);
        if (sent === true) reached.push(m.name);
        else unreached.push({ name: m.name, reason: sent });
      }
    }
    const cards = await this.sendCards(c, fresh, 'escalation');
    await this.finishRound(c.id, 'escalation');
    const contact: ApproverContact = { escalation: true, reached: [...reached, ...cards.reached], unreached: [...unreached, ...cards.unreached] };
    const minutes = Math.round((Date.parse(c.approval?.escalatedAt ?? '') - Date.parse(c.approval?.requestedAt ?? '')) / 60_000);
    await this.tellThread(c, escalationText(c, contact, needed, minutes));
    if (contact.reached.length + contact.unreached.length > 0) await this.deps.recordContact(c.id, contact);
  }

  /** Someone in an escalation group who may not decide this case: told that it waits, and why they cannot decide it. */
  private async notice(c: RecoveryCase, m: ChatPerson, needed: number): Promise<true | string> {
    const chat = await this.chatFor(c, m);
    if (typeof chat === 'string') {
      await this.setPerson(c.id, m.aadObjectId, () => ({ name: m.name, card: false, unreachable: chat, rounds: ['escalation'] }));
      return chat;
    }
    await this.setPerson(c.id, m.aadObjectId, () => ({ name: m.name, chat, card: false, rounds: [] }));
    return this.trySend(c, m.aadObjectId, chat, 'escalation', {
      type: 'message',
      text:
        `Escalated to you: case ${c.id} (${c.target.userPrincipalName}), requested by ${c.requester.name}, still needs ${needed} approval(s) and expires at ` +
        `${formatTime(c.approval?.expiresAt, this.deps.timeZone)}. You are not one of the approvers who may decide it; please find one.`,
    });
  }

  /** Sends the request card to each person not sent one yet; who was reached and who not, with the reason. */
  private async sendCards(c: RecoveryCase, people: readonly ChatPerson[], round: Round): Promise<ApproverContact> {
    const reached: string[] = [];
    const unreached: { name: string; reason: string }[] = [];
    const item = await this.read(c.id);
    for (const p of people) {
      const known = item?.people[p.aadObjectId];
      if (known?.activityId && known.card) {
        reached.push(p.name);
        continue;
      }
      const chat = await this.chatFor(c, p);
      if (typeof chat === 'string') {
        await this.setPerson(c.id, p.aadObjectId, () => ({ name: p.name, card: false, unreachable: chat, rounds: [round] }));
        unreached.push({ name: p.name, reason: chat });
        continue;
      }
      try {
        const activityId = await this.poster.post(chat, { type: 'message', attachments: [renderApprovalChatCard(this.deps, c, chat, p.aadObjectId)] });
        if (!activityId) throw new Error('Teams returned no message id');
        await this.setPerson(c.id, p.aadObjectId, () => ({ name: p.name, chat, activityId, card: true, rounds: [round] }));
        reached.push(p.name);
      } catch (error) {
        const reason = `Teams did not take the message (${error instanceof Error ? error.message.slice(0, 120) : 'error'})`;
        this.deps.logger.warn('could not send an approval request to a 1:1 chat', { caseId: c.id, aadObjectId: p.aadObjectId, reason });
        await this.setPerson(c.id, p.aadObjectId, () => ({ name: p.name, card: false, unreachable: reason, rounds: [round] }));
        unreached.push({ name: p.name, reason });
      }
    }
    return { escalation: round === 'escalation', reached, unreached };
  }

  /** A text into a person's chat for a round, recorded so a takeover does not send it twice. */
  private async trySend(c: RecoveryCase, aad: string, chat: ThreadRef, round: Round, activity: { type: 'message'; text: string }): Promise<true | string> {
    try {
      await this.poster.post(chat, activity);
      await this.setPerson(c.id, aad, (p) => (p ? { ...p, rounds: [...p.rounds, round] } : undefined));
      return true;
    } catch (error) {
      const reason = `Teams did not take the message (${error instanceof Error ? error.message.slice(0, 120) : 'error'})`;
      this.deps.logger.warn('could not send to a 1:1 chat', { caseId: c.id, aadObjectId: aad, round, reason });
      return reason;
    }
  }

  /** The person's chat: the one they have with the bot, else one opened from the team's roster; else why not. */
  private async chatFor(c: RecoveryCase, p: ChatPerson): Promise<ThreadRef | string> {
    const known = await this.chats.find(p.aadObjectId, c.thread.tenantId);
    if (known) return known;
    if (!this.deps.opener) return 'no 1:1 chat with the bot yet (the app is not installed for them)';
    try {
      const opened = await this.deps.opener.open(c.thread, p);
      await this.chats.save(p.aadObjectId, opened.chat, opened.teamsUserId);
      return opened.chat;
    } catch (error) {
      return error instanceof ChatNotSent ? error.reason : `the 1:1 chat could not be opened (${error instanceof Error ? error.name : 'error'})`;
    }
  }

  /** Each person who decided gets their card edited once to their decision, without buttons. */
  private async finishDecided(c: RecoveryCase): Promise<void> {
    const decided = decidedBy(c);
    await this.finish(c, (aad) => decided.has(aad));
  }

  /** The request is over (approved, denied, expired, cancelled): every open card shows how it ended. */
  private async finishAll(c: RecoveryCase): Promise<void> {
    const finished = await this.finish(c, () => true);
    if (c.state !== 'expired' || finished.length === 0) return;
    for (const { chat } of finished)
      await this.poster
        .post(chat, { type: 'message', text: `Case ${c.id} (${c.target.userPrincipalName}) expired without the required approvals; nothing was changed.` })
        .catch((error: unknown) =>
          this.deps.logger.warn('could not send the expiry notice to a 1:1 chat', { caseId: c.id, error: error instanceof Error ? error.message : 'unknown' }),
        );
  }

  /** Marks the matching open cards finished (one conditional write: one instance wins) and edits each. */
  private async finish(c: RecoveryCase, which: (aad: string) => boolean): Promise<{ aad: string; chat: ThreadRef }[]> {
    let mine: { aad: string; chat: ThreadRef; activityId: string }[] = [];
    await this.update(c.id, (item) => {
      mine = Object.entries(item.people)
        .filter(([aad, p]) => p.card && p.activityId && p.chat && !p.finished && which(aad))
        .map(([aad, p]) => ({ aad, chat: p.chat as ThreadRef, activityId: p.activityId as string }));
      if (mine.length === 0) return undefined;
      const people = { ...item.people };
      for (const m of mine) people[m.aad] = { ...(people[m.aad] as PersonChat), finished: true };
      return { ...item, people };
    });
    for (const m of mine) {
      try {
        await this.poster.update(m.chat, m.activityId, { type: 'message', attachments: [renderApprovalChatCard(this.deps, c, m.chat, m.aad)] });
      } catch (error) {
        this.deps.logger.warn('could not edit an approval request in a 1:1 chat', { caseId: c.id, error: error instanceof Error ? error.message : 'unknown' });
      }
    }
    return mine;
  }

  private async tellThread(c: RecoveryCase, text: string): Promise<void> {
    try {
      await this.poster.post(c.thread, { type: 'message', text });
    } catch (error) {
      this.deps.logger.warn('could not post to the thread', { caseId: c.id, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  // --- the per-case item --------------------------------------------------------------------------------------------

  private async read(caseId: string): Promise<ChatsItem | undefined> {
    const key = itemKey(caseId);
    return (await this.storage.read([key]))[key] as ChatsItem | undefined;
  }

  /** True when this instance is to run the round: it claimed it, or took over one left by an instance that died. */
  private async claim(caseId: string, round: Round): Promise<boolean> {
    const now = this.deps.clock.now();
    const key = itemKey(caseId);
    if (!(await this.read(caseId))) {
      const created: ChatsItem = { people: {}, rounds: { [round]: { claimedAt: now.toISOString() } } };
      if (await this.storage.create(key, created)) return true;
    }
    return this.update(caseId, (item) => {
      const held = item.rounds[round];
      if (held && (held.doneAt || now.getTime() - Date.parse(held.claimedAt) < ABANDONED_ROUND_MS)) return undefined;
      return { ...item, rounds: { ...item.rounds, [round]: { claimedAt: now.toISOString() } } };
    });
  }

  private async finishRound(caseId: string, round: Round): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    await this.update(caseId, (item) => ({ ...item, rounds: { ...item.rounds, [round]: { claimedAt: item.rounds[round]?.claimedAt ?? at, doneAt: at } } }));
  }

  private async setPerson(caseId: string, aad: string, change: (p: PersonChat | undefined) => PersonChat | undefined): Promise<void> {
    await this.update(caseId, (item) => {
      const next = change(item.people[aad]);
      return next ? { ...item, people: { ...item.people, [aad]: next } } : undefined;
    });
  }

  /**
   * Read, change, conditional write; again on a conflict. `change` returning undefined writes nothing. True when this
   * call's change was written (the change saw the item as stored: it is the claim).
   */
  private async update(caseId: string, change: (item: ChatsItem) => ChatsItem | undefined): Promise<boolean> {
    const key = itemKey(caseId);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const item = (await this.storage.read([key]))[key] as ChatsItem | undefined;
      if (!item) {
        const created = change({ people: {}, rounds: {} });
        if (!created) return false;
        if (await this.storage.create(key, created)) return true;
        continue;
      }
      const next = change(item);
      if (!next) return false;
      try {
        await this.storage.write({ [key]: { ...next, eTag: item.eTag } });
        return true;
      } catch (error) {
        if (!isETagConflict(error)) throw error;
      }
    }
    throw new Error(`the approvers' chats of case ${caseId} are being changed by too many instances at once`);
  }
}

function decidedBy(c: RecoveryCase): Set<string> {
  return new Set((c.approval?.decisions ?? []).map((d) => d.by.aadObjectId));
}

function stillNeeded(c: RecoveryCase): number {
  const got = (c.approval?.decisions ?? []).filter((d) => d.decision === 'approve').length;
  return Math.max(0, (c.approval?.required ?? 0) - got);
}

function namesAndWhy(unreached: ApproverContact['unreached']): string {
  return unreached.map((u) => `${u.name} (${u.reason})`).join('; ');
}

/** What the thread is told after the request went to the approvers' chats. */
export function requestText(c: RecoveryCase, contact: ApproverContact): string {
  const sent = contact.reached.length > 0 ? `The approval request for case ${c.id} went to ${contact.reached.join(', ')} in their 1:1 chats with the bot.` : '';
  const missed =
    contact.unreached.length > 0
      ? `Could not reach ${namesAndWhy(contact.unreached)} in a 1:1 chat; ${contact.unreached.length === 1 ? 'they' : 'each'} can decide on the approval card in this thread.`
      : '';
  return [sent, missed].filter(Boolean).join(' ');
}

/** What the thread is told when the request is escalated. */
export function escalationText(c: RecoveryCase, contact: ApproverContact, needed: number, minutes: number): string {
  const head = `Case ${c.id} still needs ${needed} approval(s) after ${minutes} minute(s): escalated to the escalation group(s).`;
  if (contact.reached.length + contact.unreached.length === 0)
    return `${head} Nobody else in them can be asked (the requester, the target and who decided are left out).`;
  return [
    head,
    contact.reached.length > 0 ? `Reached: ${contact.reached.join(', ')}.` : '',
    contact.unreached.length > 0 ? `Not reached: ${namesAndWhy(contact.unreached)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
