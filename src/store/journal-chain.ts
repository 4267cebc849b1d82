import { createHmac } from 'node:crypto';
import type { JournalEntry, RecoveryCase } from '../domain/case';
import type { ChainCheck } from '../ports/case-store';

const GENESIS = 'journal-v2';

/**
 * Each entry's seal is an HMAC over the previous seal and the entry, with a key only the bot holds. Someone who can
 * edit the storage but does not hold the key cannot recompute the chain after changing an entry, so `verify` finds
 * the change even when the whole chain was rewritten.
 */
function entryHash(key: string, previous: string, entry: JournalEntry): string {
  const canonical = JSON.stringify([previous, entry.at, entry.by, entry.event, entry.detail ?? null]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('base64url');
}

/**
 * Seals the entries that have no hash yet, each chained to the one before. Entries already sealed are left as they
 * are, so sealing is idempotent and a stored chain is never rewritten.
 */
export function sealJournal(c: RecoveryCase, key: string): RecoveryCase {
  if (c.journal.every((e) => e.hash)) return c;
  let previous = GENESIS;
  const journal = c.journal.map((entry) => {
    const hash = entry.hash ?? entryHash(key, previous, entry);
    previous = hash;
    return entry.hash ? entry : { ...entry, hash };
  });
  return { ...c, journal };
}

/** Recomputes the chain: the index of the first entry whose hash does not follow from the ones before, if any. */
export function verifyJournal(journal: readonly JournalEntry[], key: string): ChainCheck {
  let previous = GENESIS;
  for (let i = 0; i < journal.length; i++) {
    const entry = journal[i];
    if (!entry?.hash || entry.hash !== entryHash(key, previous, entry)) return { intact: false, entries: journal.length, brokenAt: i };
    previous = entry.hash;
  }
  return { intact: true, entries: journal.length };
}
