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
  /** Stores the item only if the key is free; resolves false (and changes nothing) when an item is already there. */
  create(key: string, item: StoreItem): Promise<boolean>;
  /** Every stored key that starts with `prefix`, in no particular order. */
  keys(prefix: string): Promise<readonly string[]>;
}

export { eTagConflict, isETagConflict } from '../ports/storage-conflict';

/**
 * The eTag a change carries, when it asks for a conditional write ('*' and none mean "overwrite"). A conditional write
 * succeeds only on an item that exists with that eTag.
 */
export function conditionalETag(change: StoreItem): string | undefined {
  const eTag = (change as { eTag?: unknown }).eTag;
  return typeof eTag === 'string' && eTag !== '*' && eTag !== '' ? eTag : undefined;
}
