import type { Storage, StoreItem } from 'botbuilder';

/**
 * The botbuilder Storage contract (read, write with eTag checks, delete) plus the two operations a case store needs
 * and botbuilder's Storage lacks:
 * - `create`, a write that succeeds only when no item has the key. A plain write without an eTag overwrites, so two
 *   instances that both find a key missing would both "create" it (on Blob storage there is no conflict at all);
 *   `create` makes exactly one of them win.
 * - `keys`, the keys under a prefix, so that a restarted instance can find the cases it must resume.
 */
export interface DurableStorage extends Storage {
  /**
   * The item under `key` as stored now, or {@link UNCHANGED} when its eTag is still `eTag` (the caller's copy is the
   * stored one), or undefined when there is none. It always asks the storage, so it is as fresh as `read`; it only
   * saves moving and parsing an item the caller already holds.
   */
  readIfChanged(key: string, eTag: string | undefined): Promise<StoreItem | typeof UNCHANGED | undefined>;
  /** Stores the item only if the key is free; resolves false (and changes nothing) when an item is already there. */
  create(key: string, item: StoreItem): Promise<boolean>;
  /** Every stored key that starts with `prefix`, in no particular order. */
  keys(prefix: string): Promise<readonly string[]>;
}

/** What `readIfChanged` answers when the stored item still has the eTag the caller holds. */
export const UNCHANGED = 'unchanged' as const;

export { eTagConflict, isETagConflict } from '../ports/storage-conflict';

/**
 * The eTag a change carries, when it asks for a conditional write ('*' and none mean "overwrite"). A conditional write
 * succeeds only on an item that exists with that eTag.
 */
export function conditionalETag(change: StoreItem): string | undefined {
  const eTag = (change as { eTag?: unknown }).eTag;
  return typeof eTag === 'string' && eTag !== '*' && eTag !== '' ? eTag : undefined;
}
