import { randomUUID } from 'node:crypto';
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionalETag, eTagConflict, UNCHANGED, type DurableStorage } from './durable-storage';

/**
 * DurableStorage in this process's memory, for the demo (whose tenant lives in memory too) and tests. Same rules as
 * the file and Blob storages: eTag-checked writes, create-only writes, listing. Items are copied in and out, so a
 * caller can never change a stored item by keeping a reference to it.
 */
export class InMemoryStorage implements DurableStorage {
  private readonly items = new Map<string, string>();

  read(keys: string[]): Promise<StoreItems> {
    const found: StoreItems = {};
    for (const key of keys) {
      const text = this.items.get(key);
      if (text !== undefined) found[key] = JSON.parse(text) as StoreItem;
    }
    return Promise.resolve(found);
  }

  readIfChanged(key: string, eTag: string | undefined): Promise<StoreItem | typeof UNCHANGED | undefined> {
    const text = this.items.get(key);
    if (text === undefined) return Promise.resolve(undefined);
    const item = JSON.parse(text) as StoreItem;
    return Promise.resolve(eTag !== undefined && item.eTag === eTag ? UNCHANGED : item);
  }

  write(changes: StoreItems): Promise<void> {
    // Check every change first: a refused write changes nothing, as on the other storages for a single key.
    for (const [key, change] of Object.entries(changes) as [string, StoreItem][]) {
      const eTag = conditionalETag(change);
      const current = this.items.get(key);
      if (eTag !== undefined && (current === undefined || (JSON.parse(current) as { eTag?: string }).eTag !== eTag)) return Promise.reject(eTagConflict(key));
    }
    for (const [key, change] of Object.entries(changes) as [string, StoreItem][]) this.items.set(key, JSON.stringify({ ...change, eTag: randomUUID() }));
    return Promise.resolve();
  }

  create(key: string, item: StoreItem): Promise<boolean> {
    if (this.items.has(key)) return Promise.resolve(false);
    this.items.set(key, JSON.stringify({ ...item, eTag: randomUUID() }));
    return Promise.resolve(true);
  }

  keys(prefix: string): Promise<readonly string[]> {
    return Promise.resolve([...this.items.keys()].filter((k) => k.startsWith(prefix)));
  }

  delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
    return Promise.resolve();
  }
}
