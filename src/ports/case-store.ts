import type { RecoveryCase } from '../domain/case';

/** Stored with an eTag: every write after the first is conditional, so concurrent writers cannot lose updates. */
export interface StoredCase {
  readonly value: RecoveryCase;
  readonly eTag: string;
}

export interface CaseStore {
  get(caseId: string): Promise<StoredCase | undefined>;
  /**
   * Creates the case and makes it the target's open case, atomically across instances: when the target already has
   * an open case (or another instance is storing one this very moment), nothing is created and that case is named.
   */
  create(value: RecoveryCase): Promise<CreateOutcome>;
  /** The target's latest case if it is still open (not closed, denied, expired or cancelled). */
  openCaseFor(targetId: string): Promise<RecoveryCase | undefined>;
  /** Replaces the case if its eTag still matches; otherwise resolves `conflict`. */
  replace(value: RecoveryCase, eTag: string): Promise<StoredCase | 'conflict'>;
  /** Recomputes the case's journal hash chain; undefined for an unknown case. */
  checkJournal(caseId: string): Promise<ChainCheck | undefined>;
  /**
   * Adds the opening of a case to its target's and its requester's history, with conditional writes (two instances
   * recording at once both land), and returns both histories as they stand after it: of two openings racing, the later
   * write sees the earlier one. Each history keeps the newest {@link MAX_HISTORY_ENTRIES} entries.
   */
  recordOpening(entry: HistoryEntry): Promise<{ readonly target: readonly HistoryEntry[]; readonly requester: readonly HistoryEntry[] }>;
  /** The cases in which this user was the target (`target`) or which this user opened (`requester`), newest first. */
  history(of: 'target' | 'requester', userId: string): Promise<readonly HistoryEntry[]>;
  /**
   * Claims the out-of-band notice of a case for this caller, once across instances and restarts (a create-only write):
   * true for the one caller that may send it, false for everyone after.
   */
  claimNotice(caseId: string): Promise<boolean>;
  /** Ids of every stored case, for the start-up sweep; empty where the storage cannot list (memory). */
  ids(): Promise<readonly string[]>;
}

export type CreateOutcome =
  | { readonly kind: 'created'; readonly stored: StoredCase }
  /** The target's open case; `value` is undefined while another instance is still storing it. */
  | { readonly kind: 'targetHasOpenCase'; readonly caseId: string; readonly value: RecoveryCase | undefined };

/** The result of recomputing a journal's hash chain. */
export type ChainCheck = { readonly intact: true; readonly entries: number } | { readonly intact: false; readonly entries: number; readonly brokenAt: number };

/** One case opening in a user's history: enough to find the case; its outcome is read from the case itself. */
export interface HistoryEntry {
  readonly caseId: string;
  readonly targetId: string;
  readonly requesterId: string;
  readonly openedAt: string;
}

/**
 * Openings kept per user and role: more than any rule's window needs (the burst limit is at most 100, and that many
 * recoveries of one user within the cooldown would be an incident of its own), and small enough to read on every `recover`.
 */
export const MAX_HISTORY_ENTRIES = 120;
