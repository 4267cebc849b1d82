import type { RecoveryCase } from '../domain/case';

/** Stored with an eTag: every write after the first is conditional, so concurrent writers cannot lose updates. */
export interface StoredCase {
  readonly value: RecoveryCase;
  readonly eTag: string;
}

export interface CaseStore {
  get(caseId: string): Promise<StoredCase | undefined>;
  /** Creates a case that must not exist yet, and records it as the target's latest case. */
  create(value: RecoveryCase): Promise<StoredCase>;
  /** The target's latest case if it is still open (not closed, denied, expired or cancelled). */
  openCaseFor(targetId: string): Promise<RecoveryCase | undefined>;
  /** Replaces the case if its eTag still matches; otherwise resolves `conflict`. */
  replace(value: RecoveryCase, eTag: string): Promise<StoredCase | 'conflict'>;
  /** Recomputes the case's journal hash chain; undefined for an unknown case. */
  checkJournal(caseId: string): Promise<ChainCheck | undefined>;
  /** Ids of every stored case, for the start-up sweep; empty where the storage cannot list (memory). */
  ids(): Promise<readonly string[]>;
}

/** The result of recomputing a journal's hash chain. */
export type ChainCheck = { readonly intact: true; readonly entries: number } | { readonly intact: false; readonly entries: number; readonly brokenAt: number };
