import { MAX_HISTORY_ENTRIES, type HistoryEntry } from '../../src/ports/case-store';
import { BlobStorage } from '../../src/store/blob-storage';
import type { DurableStorage } from '../../src/store/durable-storage';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { TEST_NOW } from '../helpers/test-clock';

const JOURNAL_KEY = 'case-history-test-journal-key-0123456789abcdef';
let azurite: RunningAzurite | undefined;
let containers = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  await azurite?.stop();
});

const stores: Array<[string, () => DurableStorage]> = [
  ['memory', () => new InMemoryStorage()],
  [
    'Azure Blob storage (Azurite)',
    () => {
      if (!azurite) throw new Error('Azurite is not running');
      return new BlobStorage({ kind: 'connectionString', connectionString: azurite.connectionString, container: `history${++containers}` });
    },
  ],
];

const entry = (i: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  caseId: `RC-${String(i).padStart(8, '0')}`,
  targetId: 'adele',
  requesterId: 'megan',
  openedAt: new Date(TEST_NOW.getTime() + i * 1000).toISOString(),
  ...over,
});

describe.each(stores)('case history index over %s', (_name, make) => {
  it('records an opening under its target and its requester, newest first, and returns both as they stand after it', async () => {
    const store = new StorageCaseStore(make(), JOURNAL_KEY);
    await store.recordOpening(entry(1));
    const after = await store.recordOpening(entry(2, { targetId: 'lee' }));
    expect(after.target.map((e) => e.caseId)).toEqual(['RC-00000002']);
    expect(after.requester.map((e) => e.caseId)).toEqual(['RC-00000002', 'RC-00000001']);
    expect((await store.history('target', 'adele')).map((e) => e.caseId)).toEqual(['RC-00000001']);
    expect(await store.history('requester', 'nobody')).toEqual([]);
    // Recording the same case again (a retried opening) does not add it twice.
    await store.recordOpening(entry(1));
    expect(await store.history('requester', 'megan')).toHaveLength(2);
    // The index is not a case: the start-up sweep's listing of cases does not see it.
    expect(await store.ids()).toEqual([]);
  });

  it('loses no opening when two instances record at once, and every later write sees the earlier ones', async () => {
    const storage = make();
    const a = new StorageCaseStore(storage, JOURNAL_KEY);
    const b = new StorageCaseStore(storage, JOURNAL_KEY);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).recordOpening(entry(i, { targetId: `t${i % 3}` }))));
    expect((await a.history('requester', 'megan')).map((e) => e.caseId).sort()).toEqual(Array.from({ length: 12 }, (_, i) => entry(i).caseId));
    // Whatever the order the writes landed in, the requester histories returned grow one by one: exactly one saw all 12.
    expect(results.map((r) => r.requester.length).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const t of ['t0', 't1', 't2']) expect(await b.history('target', t)).toHaveLength(4);
  }, 30_000);

  it(`keeps the newest ${MAX_HISTORY_ENTRIES} entries per user`, async () => {
    const store = new StorageCaseStore(make(), JOURNAL_KEY);
    for (let i = 0; i < MAX_HISTORY_ENTRIES + 5; i++) await store.recordOpening(entry(i));
    const kept = await store.history('target', 'adele');
    expect(kept).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(kept[0]!.caseId).toBe(entry(MAX_HISTORY_ENTRIES + 4).caseId);
    expect(kept.at(-1)!.caseId).toBe(entry(5).caseId);
  }, 30_000);
});
