import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';

/**
 * A botbuilder Storage on JSON files: the durable default for one bot process on one machine (state survives a
 * restart; nothing to install). Same eTag rules as botbuilder's MemoryStorage and BlobsStorage: a write carrying an
 * eTag other than '*' fails with an "eTag conflict" error when the stored item has another one. Each file is written
 * to a temporary name and renamed, so a crash never leaves half a record. Writes to one key are serialised within the
 * process; two processes must not share a folder (use Azure Blob storage beyond one process).
 */
export class FileStorage implements Storage {
  private readonly locks = new Map<string, Promise<void>>();
  private ready?: Promise<void>;

  constructor(private readonly folder: string) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const item = await this.load(key);
      if (item !== undefined) items[key] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await this.ensureFolder();
    for (const [key, change] of Object.entries(changes)) {
      await this.locked(key, async () => {
        const current = await this.load(key);
        const eTag = (change as { eTag?: unknown }).eTag;
        if (current && typeof eTag === 'string' && eTag !== '*' && eTag !== (current as { eTag?: unknown }).eTag) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
        const stored = { ...(change as object), eTag: randomUUID() };
        const file = this.fileOf(key);
        const temporary = `${file}.${randomUUID()}.tmp`;
        await writeFile(temporary, JSON.stringify(stored), { encoding: 'utf8', mode: 0o600 });
        await rename(temporary, file);
      });
    }
  }

  /** The keys that start with `prefix` (hashed long keys are not listed; the bot's case keys are short). */
  async keys(prefix: string): Promise<readonly string[]> {
    let files: string[];
    try {
      files = await readdir(this.folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return files
      .filter((f) => f.endsWith('.json') && !f.startsWith('h-'))
      .map((f) => Buffer.from(f.slice(0, -'.json'.length), 'base64url').toString('utf8'))
      .filter((k) => k.startsWith(prefix));
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.locked(key, () => rm(this.fileOf(key), { force: true }));
  }

  private async load(key: string): Promise<Record<string, unknown> | undefined> {
    try {
      return JSON.parse(await readFile(this.fileOf(key), 'utf8')) as Record<string, unknown>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Keys hold '/', ';' and ':'; base64url makes them one safe file name each (a hash when that would be too long). */
  private fileOf(key: string): string {
    const encoded = Buffer.from(key, 'utf8').toString('base64url');
    const name = encoded.length <= 200 ? encoded : `h-${createHash('sha256').update(key, 'utf8').digest('base64url')}`;
    return join(this.folder, `${name}.json`);
  }

  private ensureFolder(): Promise<void> {
    this.ready ??= mkdir(this.folder, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }

  private async locked(key: string, work: () => Promise<unknown>): Promise<void> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      await work();
    });
    const settled = next.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      await next;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}
