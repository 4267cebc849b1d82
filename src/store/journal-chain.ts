import { createHash } from 'node:crypto';
import type { JournalEntry, RecoveryCase } from '../domain/case';
import type { ChainCheck } from '../ports/case-store';

const GENESIS = 'journal-v1';

function entryHash(previous: string, entry: JournalEntry): string {
  const canonical = JSON.stringify([previous, entry.at, entry.by, entry.event, entry.detail ?? null]);
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

/**
 * Seals the entries that have no hash yet, each chained to the one before. Entries already sealed are left as they
 * are, so sealing is idempotent and a stored chain is never rewritten.
 */
export function sealJournal(c: RecoveryCase): RecoveryCase {
  if (c.journal.every((e) => e.hash)) return c;
  let previous = GENESIS;
  const journal = c.journal.map((entry) => {
    const hash = entry.hash ?? entryHash(previous, entry);
    previous = hash;
    return entry.hash ? entry : { ...entry, hash };
  });
  return { ...c, journal };
}


/** Recomputes the chain: the index of the first entry whose hash does not follow from the ones before, if any. */
export function verifyJournal(journal: readonly JournalEntry[]): ChainCheck {
  let previous = GENESIS;
  for (let i = 0; i < journal.length; i++) {
    const entry = journal[i];
    if (!entry?.hash || entry.hash !== entryHash(previous, entry)) return { intact: false, entries: journal.length, brokenAt: i };
    previous = entry.hash;
  }
  return { intact: true, entries: journal.length };
}
