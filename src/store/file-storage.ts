import { createHash, randomUUID } from 'node:crypto';
import { close as closeFd, open as openFd, read as readFd, readFile as readFileFd } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionalETag, eTagConflict, UNCHANGED, type DurableStorage } from './durable-storage';
import { FileLocks } from './file-lock';

/**
 * A botbuilder Storage on JSON files: the durable default for one bot on one machine, whose workers (WEB_CONCURRENCY)
 * share the folder (state survives a restart; nothing to install). Same eTag rules as the in-memory and Blob storages:
 * a write carrying an eTag other than '*' fails with an "eTag conflict" error when the stored item has another one.
 * Each file is written to a temporary name and renamed, so a crash never leaves half a record. A write's read, compare
 * and rename, and a delete, hold the key's lock file (src/store/file-lock.ts), which serialises them across the
 * processes of the machine; `create` is atomic across processes by itself (a hard link fails when the name exists).
 * The lock names a process by its pid: processes on two machines (a network share) must not share a folder; use Azure
 * Blob storage beyond one machine.
 */
export class FileStorage implements DurableStorage {
  private readonly locks = new Map<string, Promise<void>>();
  private readonly fileLocks = new FileLocks();
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

  /**
   * Reads the first bytes of the file only, and all of it when they do not start with `{"eTag":` and the eTag held.
   * Sound without trusting inodes or timestamps: every write puts a fresh random eTag first in a complete new file and
   * renames it over the name (or links it, for `create`), so the file a reader opens is one whole version, and its
   * leading eTag names exactly that version's content. A JSON string ends at its first unescaped quote, so the prefix
   * `{"eTag":"<held eTag>"` cannot match a longer or different eTag. Files written before the eTag came first simply
   * never match, and are read whole.
   */
  async readIfChanged(key: string, eTag: string | undefined): Promise<StoreItem | typeof UNCHANGED | undefined> {
    const read = await readUnlessLeading(this.fileOf(key), eTag === undefined ? undefined : Buffer.from(`{"eTag":${JSON.stringify(eTag)}`, 'utf8'));
    return read === undefined || read === UNCHANGED ? read : (JSON.parse(read.text) as StoreItem);
  }

  async write(changes: StoreItems): Promise<void> {
    await this.ensureFolder();
    for (const [key, change] of Object.entries(changes) as [string, StoreItem][]) {
      const file = this.fileOf(key);
      await this.locked(key, () =>
        this.fileLocks.with(file, async () => {
          const current = await this.load(key);
          const eTag = conditionalETag(change);
          // A conditional write to an item that is gone (deleted meanwhile) loses too.
          if (eTag !== undefined && eTag !== current?.eTag) throw eTagConflict(key);
          const temporary = await this.writeTemporary(file, change);
          await rename(temporary, file);
        }),
      );
    }
  }

  async create(key: string, item: StoreItem): Promise<boolean> {
    await this.ensureFolder();
    let created = false;
    await this.locked(key, async () => {
      const file = this.fileOf(key);
      const temporary = await this.writeTemporary(file, item);
      try {
        await link(temporary, file);
        created = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await rm(temporary, { force: true });
      }
    });
    return created;
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
    for (const key of keys) {
      const file = this.fileOf(key);
      await this.locked(key, () => this.fileLocks.with(file, () => rm(file, { force: true })));
    }
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

  /**
   * The item with a fresh eTag in a temporary file beside its final name, written and flushed to the disk before it
   * is renamed or linked: after a crash or a power cut the name holds the old record or the new one, never part.
   */
  private async writeTemporary(file: string, item: StoreItem): Promise<string> {
    const temporary = `${file}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      // The eTag first, so that readIfChanged can tell an unchanged item from the file's first bytes.
      const eTag = randomUUID();
      await handle.writeFile(JSON.stringify(Object.assign({ eTag }, item, { eTag })), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
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

/**
 * The file's text, or UNCHANGED when it starts with `leading`, or undefined when there is no file. One descriptor for
 * both reads, so both see the same version of the file; the callback API costs about half the CPU of a FileHandle here
 * (this runs on every card click).
 */
function readUnlessLeading(file: string, leading: Buffer | undefined): Promise<{ readonly text: string } | typeof UNCHANGED | undefined> {
  return new Promise((resolve, reject) => {
    openFd(file, 'r', (opened, fd) => {
      if (opened) return opened.code === 'ENOENT' ? resolve(undefined) : reject(opened);
      const done = (error: Error | null, result?: { readonly text: string } | typeof UNCHANGED): void =>
        closeFd(fd, (closed) => {
          const failed = error ?? closed;
          if (failed) reject(failed);
          else resolve(result);
        });
      const whole = (): void => readFileFd(fd, 'utf8', (error, text) => done(error, { text }));
      if (!leading) return whole();
      const head = Buffer.allocUnsafe(leading.length);
      // A read at an explicit position leaves the descriptor's position at 0 for the whole read.
      readFd(fd, head, 0, head.length, 0, (error, bytesRead) => {
        if (error) return done(error);
        if (bytesRead === leading.length && head.equals(leading)) return done(null, UNCHANGED);
        whole();
      });
    });
  });
}
