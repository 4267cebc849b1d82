import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreItem } from 'botbuilder';
import { BlobStorage } from '../../src/store/blob-storage';
import { UNCHANGED, type DurableStorage } from '../../src/store/durable-storage';
import { FileStorage } from '../../src/store/file-storage';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';

interface Item extends StoreItem {
  value: string;
  eTag?: string;
}

let azurite: RunningAzurite | undefined;
let containers = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  await azurite?.stop();
});

/** The behaviour every storage the bot runs on must have: in memory, on disk, and Azure Blob storage (Azurite). */
const stores: Array<[string, () => Promise<{ storage: DurableStorage; cleanup: () => Promise<void> }>]> = [
  ['InMemoryStorage', () => Promise.resolve({ storage: new InMemoryStorage(), cleanup: () => Promise.resolve() })],
  [
    'FileStorage',
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'entra-recovery-store-'));
      return { storage: new FileStorage(folder), cleanup: () => rm(folder, { recursive: true, force: true }) };
    },
  ],
  [
    'BlobStorage (Azurite)',
    () => {
      if (!azurite) throw new Error('Azurite is not running');
      const location = { kind: 'connectionString', connectionString: azurite.connectionString, container: `cases${++containers}` } as const;
      return Promise.resolve({ storage: new BlobStorage(location), cleanup: () => Promise.resolve() });
    },
  ],
];

describe.each(stores)('storage contract: %s', (_name, make) => {
  let storage: DurableStorage;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ storage, cleanup } = await make());
  });
  afterEach(async () => {
    await cleanup();
  });

  const read = async (key: string): Promise<Item | undefined> => (await storage.read([key]))[key] as Item | undefined;

  it('reads nothing for a missing key, and what was written with a fresh eTag', async () => {
    expect(await storage.read(['cases/none'])).toEqual({});
    await storage.write({ 'cases/a': { value: 'one' } });
    const item = await read('cases/a');
    expect(item?.value).toBe('one');
    expect(typeof item?.eTag).toBe('string');
  });

  it('readIfChanged: nothing for a missing key, the item for no eTag or another one, "unchanged" only for the current one', async () => {
    expect(await storage.readIfChanged('cases/none', undefined)).toBeUndefined();
    expect(await storage.readIfChanged('cases/none', 'some-etag')).toBeUndefined();
    await storage.write({ 'cases/a': { value: 'one' } });
    const first = await read('cases/a');
    expect(await storage.readIfChanged('cases/a', undefined)).toEqual(first);
    expect(await storage.readIfChanged('cases/a', first?.eTag)).toBe(UNCHANGED);
    expect(await storage.readIfChanged('cases/a', 'another-etag')).toEqual(first);
    // A prefix of the current eTag, or the eTag with more after it, is another eTag.
    expect(await storage.readIfChanged('cases/a', first?.eTag?.slice(0, -1))).toEqual(first);
    expect(await storage.readIfChanged('cases/a', `${first?.eTag}0`)).toEqual(first);
    await storage.write({ 'cases/a': { value: 'two', eTag: first?.eTag } });
    const second = await storage.readIfChanged('cases/a', first?.eTag);
    expect(second).toEqual(await read('cases/a'));
    expect((second as Item).value).toBe('two');
    await storage.delete(['cases/a']);
    expect(await storage.readIfChanged('cases/a', (second as Item).eTag)).toBeUndefined();
  });

  it('readIfChanged sees a write by another instance on the same store at once', async () => {
    await storage.create('cases/b', { value: 'created' });
    const held = (await storage.readIfChanged('cases/b', undefined)) as Item;
    expect(await storage.readIfChanged('cases/b', held.eTag)).toBe(UNCHANGED);
    await storage.write({ 'cases/b': { value: 'by the other instance', eTag: held.eTag } });
    expect(((await storage.readIfChanged('cases/b', held.eTag)) as Item).value).toBe('by the other instance');
  });

  it('accepts a write with the current eTag, refuses a stale one with an eTag conflict, and keeps the first', async () => {
    await storage.write({ 'cases/a': { value: 'one' } });
    const first = await read('cases/a');
    await storage.write({ 'cases/a': { value: 'two', eTag: first?.eTag } });
    await expect(storage.write({ 'cases/a': { value: 'three', eTag: first?.eTag } })).rejects.toThrow(/eTag conflict/);
    expect((await read('cases/a'))?.value).toBe('two');
  });

  it("overwrites with '*' or without an eTag (last writer wins)", async () => {
    await storage.write({ 'cases/a': { value: 'one' } });
    await storage.write({ 'cases/a': { value: 'two', eTag: '*' } });
    expect((await read('cases/a'))?.value).toBe('two');
    await storage.write({ 'cases/a': { value: 'three' } });
    expect((await read('cases/a'))?.value).toBe('three');
  });

  it('lets exactly one of many concurrent conditional writers win', async () => {
    await storage.write({ 'cases/a': { value: 'start' } });
    const eTag = (await read('cases/a'))?.eTag;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => storage.write({ 'cases/a': { value: `writer ${i}`, eTag } })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(19);
  });

  it('keeps keys with thread ids and non-ASCII values intact, and deletes', async () => {
    const key = 'threads/19:abc@thread.tacv2;messageid=1700000000000';
    await storage.write({ [key]: { value: 'Zoë Ørsted — 東京' } });
    expect((await read(key))?.value).toBe('Zoë Ørsted — 東京');
    await storage.delete([key]);
    expect(await read(key)).toBeUndefined();
  });

  it('refuses a conditional write to an item that does not exist (it was deleted since it was read)', async () => {
    await storage.write({ 'cases/a': { value: 'one' } });
    const eTag = (await read('cases/a'))?.eTag;
    await storage.delete(['cases/a']);
    await expect(storage.write({ 'cases/a': { value: 'two', eTag } })).rejects.toThrow(/eTag conflict/);
    expect(await read('cases/a')).toBeUndefined();
  });

  it('creates a free key once: a second create changes nothing and says so', async () => {
    expect(await storage.create('targets/u1', { value: 'first' })).toBe(true);
    expect(await storage.create('targets/u1', { value: 'second' })).toBe(false);
    const item = await read('targets/u1');
    expect(item?.value).toBe('first');
    expect(typeof item?.eTag).toBe('string');
  });

  it('lets exactly one of many concurrent creates of one key win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.create('targets/u1', { value: `creator ${i}` })));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await read('targets/u1'))?.value).toBe(`creator ${winner}`);
  });

  it('lists the keys under a prefix, thread ids and non-ASCII included, and not the others', async () => {
    const keys = ['cases/RC-1', 'cases/RC-2', 'cases/Zoë;messageid=1:2', 'targets/u1', 'threads/19:abc@thread.tacv2'];
    for (const key of keys) await storage.write({ [key]: { value: key } });
    expect([...(await storage.keys('cases/'))].sort()).toEqual(['cases/RC-1', 'cases/RC-2', 'cases/Zoë;messageid=1:2']);
    expect(await storage.keys('nothing/')).toEqual([]);
    await storage.delete(['cases/RC-1']);
    expect([...(await storage.keys('cases/'))].sort()).toEqual(['cases/RC-2', 'cases/Zoë;messageid=1:2']);
  });
});

describe('FileStorage on disk', () => {
  it('survives a restart: a new instance on the same folder reads what was written, eTag included', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'entra-recovery-store-'));
    try {
      await new FileStorage(folder).write({ 'cases/a': { value: 'durable' } });
      const again = new FileStorage(folder);
      const item = (await again.read(['cases/a']))['cases/a'] as Item | undefined;
      expect(item?.value).toBe('durable');
      await expect(again.write({ 'cases/a': { value: 'stale', eTag: 'not-the-current-etag' } })).rejects.toThrow(/eTag conflict/);
      await again.write({ 'cases/a': { value: 'next', eTag: item?.eTag } });
      expect(((await new FileStorage(folder).read(['cases/a']))['cases/a'] as Item | undefined)?.value).toBe('next');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  /** Runs `work` on a fresh folder, removed afterwards. */
  const inFolder = async (work: (folder: string) => Promise<void>): Promise<void> => {
    const folder = await mkdtemp(join(tmpdir(), 'entra-recovery-store-'));
    try {
      await work(folder);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  it('readIfChanged reads a file written before the eTag came first whole, and never calls it unchanged', () =>
    inFolder(async (folder) => {
      const name = `${Buffer.from('cases/old', 'utf8').toString('base64url')}.json`;
      await writeFile(join(folder, name), JSON.stringify({ value: 'old format', eTag: 'etag-at-the-end' }), 'utf8');
      const storage = new FileStorage(folder);
      expect(await storage.readIfChanged('cases/old', 'etag-at-the-end')).toEqual({ value: 'old format', eTag: 'etag-at-the-end' });
      // Rewritten by the bot, it starts with its new eTag.
      await storage.write({ 'cases/old': { value: 'new format', eTag: 'etag-at-the-end' } });
      const text = await readFile(join(folder, name), 'utf8');
      const eTag = (JSON.parse(text) as Item).eTag;
      expect(text.startsWith(`{"eTag":"${eTag}","value":`)).toBe(true);
      expect(await storage.readIfChanged('cases/old', eTag)).toBe(UNCHANGED);
    }));

  it('readIfChanged on one instance sees at once what another instance on the same folder wrote', () =>
    inFolder(async (folder) => {
      const one = new FileStorage(folder);
      const other = new FileStorage(folder);
      await one.write({ 'cases/a': { value: 'first' } });
      let held = (await one.readIfChanged('cases/a', undefined)) as Item;
      for (let i = 0; i < 5; i++) {
        expect(await one.readIfChanged('cases/a', held.eTag)).toBe(UNCHANGED);
        // Same size each time: nothing but the eTag tells these versions apart.
        await other.write({ 'cases/a': { value: `other${i}`, eTag: held.eTag } });
        held = (await one.readIfChanged('cases/a', held.eTag)) as Item;
        expect(held.value).toBe(`other${i}`);
      }
    }));

  it('leaves no temporary files behind and uses one file per key', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'entra-recovery-store-'));
    try {
      const storage = new FileStorage(folder);
      await Promise.all(Array.from({ length: 10 }, (_, i) => storage.write({ [`cases/${i}`]: { value: String(i) } })));
      await storage.write({ [`cases/${'x'.repeat(300)}`]: { value: 'long key' } });
      const files = await readdir(folder);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(files).toHaveLength(11);
      expect(((await storage.read([`cases/${'x'.repeat(300)}`]))[`cases/${'x'.repeat(300)}`] as Item | undefined)?.value).toBe('long key');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
