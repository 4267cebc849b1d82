import type { StoreItem } from 'botbuilder';
import { TERMINAL_STATES, type RecoveryCase } from '../domain/case';
import { MAX_HISTORY_ENTRIES, type CaseStore, type ChainCheck, type CreateOutcome, type HistoryEntry, type StoredCase } from '../ports/case-store';
import { deepFreeze } from '../deep-freeze';
import { isETagConflict, UNCHANGED, type DurableStorage } from './durable-storage';
import { sealJournal, verifyJournal } from './journal-chain';

interface CaseItem extends StoreItem {
  value: RecoveryCase;
  eTag?: string;
}

/** Which case holds a target: written before the case itself, so that two instances cannot both open one. */
interface TargetClaim extends StoreItem {
  caseId: string;
  claimedAt: string;
  eTag?: string;
}

/** A user's case history in one role: a small list rewritten with conditional writes, never a listing of every case. */
interface HistoryItem extends StoreItem {
  entries: HistoryEntry[];
  eTag?: string;
}

const historyKeyOf = (of: 'target' | 'requester', userId: string): string => `history/${of}/${userId}`;
const HISTORY_ATTEMPTS = 20;

const keyOf = (caseId: string): string => `cases/${caseId}`;
const targetKeyOf = (targetId: string): string => `targets/${targetId}`;

/**
 * A claim whose case never appeared this long after it was made belongs to an instance that died between claiming
 * the target and storing the case (two writes a few milliseconds apart); it may be taken over.
 */
const ABANDONED_CLAIM_MS = 60_000;

/** Cases whose last read this instance keeps, to skip the parse when the stored eTag has not moved: the cases being clicked now (a few KB of JSON each). */
export const CASE_CACHE_ENTRIES = 64;
const CLAIM_ATTEMPTS = 8;

/**
 * A CaseStore over a DurableStorage (memory, files, Azure Blob storage). Every replace is conditional on the eTag
 * read, so two concurrent writers can never both win; creating a case first claims its target with a create-only or
 * eTag-conditional write, so two instances asked to recover the same user at once open one case between them.
 */
export class StorageCaseStore implements CaseStore {
  /**
   * The last case read or written per id, frozen (every caller gets the same object). Never answered from without
   * asking the storage: `get` sends the eTag held and reuses the copy only when the storage says it is still current
   * (readIfChanged), so another instance's write is seen on the very next read, and writes stay conditional on the
   * eTag the storage holds. Least recently used first, at most `cacheEntries`.
   */
  private readonly cached = new Map<string, StoredCase>();

  /** `journalKey` seals the journal's hash chain (see journal-chain.ts); every instance must use the same one. */
  constructor(
    private readonly storage: DurableStorage,
    private readonly journalKey: string,
    private readonly now: () => number = Date.now,
    private readonly cacheEntries: number = CASE_CACHE_ENTRIES,
  ) {}

  async ids(): Promise<readonly string[]> {
    return (await this.storage.keys('cases/')).map((k) => k.slice('cases/'.length));
  }

  /** The case as stored now (frozen: copy it to change it). */
  async get(caseId: string): Promise<StoredCase | undefined> {
    const held = this.cached.get(caseId);
    const read = await this.storage.readIfChanged(keyOf(caseId), held?.eTag);
    if (read === UNCHANGED) {
      if (!held) throw new Error(`The storage answered "unchanged" for case ${caseId} without an eTag held`);
      this.cached.delete(caseId);
      this.cached.set(caseId, held);
      return held;
    }
    const item = read as CaseItem | undefined;
    if (!item?.eTag) {
      this.cached.delete(caseId);
      return undefined;
    }
    const stored: StoredCase = deepFreeze({ value: item.value, eTag: item.eTag });
    this.cached.delete(caseId);
    if (this.cacheEntries > 0) this.cached.set(caseId, stored);
    for (const oldest of this.cached.keys()) {
      if (this.cached.size <= this.cacheEntries) break;
      this.cached.delete(oldest);
    }
    return stored;
  }

  async create(value: RecoveryCase): Promise<CreateOutcome> {
    const targetKey = targetKeyOf(value.target.id);
    const claim: TargetClaim = { caseId: value.id, claimedAt: new Date(this.now()).toISOString() };
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const current = (await this.storage.read([targetKey]))[targetKey] as TargetClaim | undefined;
      if (!current) {
        if (await this.storage.create(targetKey, claim)) return this.store(value);
        continue; // another instance claimed the target meanwhile: look at its claim
      }
      const holder = (await this.get(current.caseId))?.value;
      if (holder && !TERMINAL_STATES.has(holder.state)) return { kind: 'targetHasOpenCase', caseId: holder.id, value: holder };
      if (!holder && this.now() - Date.parse(current.claimedAt) < ABANDONED_CLAIM_MS) {
        // Claimed an instant ago; its case is being written. Give it a moment, then name it.
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        if (attempt < CLAIM_ATTEMPTS - 1) continue;
        return { kind: 'targetHasOpenCase', caseId: current.caseId, value: undefined };
      }
      // The target's last case is over (or its claimant died before storing it): take the target over, conditionally.
      try {
        await this.storage.write({ [targetKey]: { ...claim, eTag: current.eTag } satisfies TargetClaim });
        return await this.store(value);
      } catch (e) {
        if (!isETagConflict(e)) throw e;
      }
    }
    throw new Error(`Could not claim target ${value.target.id} for case ${value.id}: the claim kept changing`);
  }

  async recordOpening(entry: HistoryEntry): Promise<{ readonly target: readonly HistoryEntry[]; readonly requester: readonly HistoryEntry[] }> {
    const target = await this.append(historyKeyOf('target', entry.targetId), entry);
    const requester = await this.append(historyKeyOf('requester', entry.requesterId), entry);
    return { target, requester };
  }

  async history(of: 'target' | 'requester', userId: string): Promise<readonly HistoryEntry[]> {
    const key = historyKeyOf(of, userId);
    const item = (await this.storage.read([key]))[key] as HistoryItem | undefined;
    return item?.entries ?? [];
  }

  /** Read, add, write back on the eTag read (create-only when there is none yet); on a conflict, again with a fresh read. */
  private async append(key: string, entry: HistoryEntry): Promise<readonly HistoryEntry[]> {
    for (let attempt = 0; attempt < HISTORY_ATTEMPTS; attempt++) {
      const current = (await this.storage.read([key]))[key] as HistoryItem | undefined;
      const others = (current?.entries ?? []).filter((e) => e.caseId !== entry.caseId);
      const entries = [entry, ...others].sort((a, b) => b.openedAt.localeCompare(a.openedAt)).slice(0, MAX_HISTORY_ENTRIES);
      if (!current?.eTag) {
        if (await this.storage.create(key, { entries } satisfies HistoryItem)) return entries;
        continue;
      }
      try {
        await this.storage.write({ [key]: { entries, eTag: current.eTag } satisfies HistoryItem });
        return entries;
      } catch (e) {
        if (!isETagConflict(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 * (attempt + 1)));
      }
    }
    throw new Error(`Could not record ${entry.caseId} in ${key}: the history kept changing`);
  }

  async claimNotice(caseId: string): Promise<boolean> {
    return this.storage.create(`notices/${caseId}`, { claimedAt: new Date(this.now()).toISOString() });
  }

  async checkJournal(caseId: string): Promise<ChainCheck | undefined> {
    const stored = await this.get(caseId);
    return stored ? verifyJournal(stored.value.journal, this.journalKey) : undefined;
  }

  async openCaseFor(targetId: string): Promise<RecoveryCase | undefined> {
    const key = targetKeyOf(targetId);
    const claim = (await this.storage.read([key]))[key] as TargetClaim | undefined;
    if (!claim) return undefined;
    const c = (await this.get(claim.caseId))?.value;
    return c && !TERMINAL_STATES.has(c.state) ? c : undefined;
  }

  async replace(value: RecoveryCase, eTag: string): Promise<StoredCase | 'conflict'> {
    try {
      await this.storage.write({ [keyOf(value.id)]: { value: sealJournal(value, this.journalKey), eTag } satisfies CaseItem });
    } catch (e) {
      if (isETagConflict(e)) return 'conflict';
      throw e;
    }
    const stored = await this.get(value.id);
    if (!stored) throw new Error(`Case ${value.id} vanished after a write`);
    return stored;
  }

  /** Stores the case once its target is claimed; case ids are random, so a taken id is a bug, not a race. */
  private async store(value: RecoveryCase): Promise<CreateOutcome> {
    if (!(await this.storage.create(keyOf(value.id), { value: sealJournal(value, this.journalKey) } satisfies CaseItem)))
      throw new Error(`Case ${value.id} already exists`);
    const stored = await this.get(value.id);
    if (!stored) throw new Error(`Case ${value.id} was not stored`);
    return { kind: 'created', stored };
  }
}
