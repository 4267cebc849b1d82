import type { RecoveryCase } from '../../src/domain/case';
import type { StoredCase } from '../../src/ports/case-store';
import { UNCHANGED } from '../../src/store/durable-storage';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { sampleCase } from '../helpers/sample-cases';

const JOURNAL_KEY = 'storage-case-store-test-journal-key-0123456789';

async function created(store: StorageCaseStore, value: RecoveryCase): Promise<StoredCase> {
  const outcome = await store.create(value);
  if (outcome.kind !== 'created') throw new Error(`case ${value.id} was not created: the target has ${outcome.caseId}`);
  return outcome.stored;
}

const withId = (id: string): RecoveryCase => ({ ...sampleCase(), id });

describe('StorageCaseStore', () => {
  it('creates, reads and replaces a case conditionally on its eTag', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    const first = await created(store, sampleCase());
    const { journal, ...rest } = (await store.get('RC-7K2M9QXA'))!.value;
    const { journal: sampleJournal, ...sampleRest } = sampleCase();
    expect(rest).toEqual(sampleRest);
    expect(journal).toEqual(sampleJournal.map((e) => ({ ...e, hash: expect.any(String) })));

    const second = await store.replace({ ...first.value, version: 2 }, first.eTag);
    expect(second).not.toBe('conflict');
    // A second writer still holding the old eTag loses, and the first write stays.
    expect(await store.replace({ ...first.value, version: 3 }, first.eTag)).toBe('conflict');
    expect((await store.get('RC-7K2M9QXA'))?.value.version).toBe(2);
  });

  it('returns undefined for an unknown case, and lists the ids of stored cases', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    expect(await store.get('RC-00000000')).toBeUndefined();
    expect(await store.ids()).toEqual([]);
    await created(store, sampleCase());
    expect(await store.ids()).toEqual(['RC-7K2M9QXA']);
  });
});

/** An InMemoryStorage that counts how each case read was answered: whole, or "unchanged". */
class CountingStorage extends InMemoryStorage {
  whole = 0;
  unchanged = 0;
  override async readIfChanged(key: string, eTag: string | undefined): ReturnType<InMemoryStorage['readIfChanged']> {
    const read = await super.readIfChanged(key, eTag);
    if (read === UNCHANGED) this.unchanged++;
    else this.whole++;
    return read;
  }
}

describe('StorageCaseStore: reads of an unchanged case', () => {
  it('answers an unchanged case with the copy it holds, frozen, after asking the storage', async () => {
    const storage = new CountingStorage();
    const store = new StorageCaseStore(storage, JOURNAL_KEY);
    await created(store, sampleCase());
    const one = await store.get('RC-7K2M9QXA');
    const before = { whole: storage.whole, unchanged: storage.unchanged };
    const two = await store.get('RC-7K2M9QXA');
    expect(two).toBe(one);
    expect(storage.unchanged).toBe(before.unchanged + 1);
    expect(storage.whole).toBe(before.whole);
    expect(Object.isFrozen(two?.value.journal[0])).toBe(true);
    expect(() => {
      (two?.value as { state: string }).state = 'approved';
    }).toThrow(TypeError);
  });

  it('sees another instance’s write on the next read, and a write on a held eTag still loses to it', async () => {
    const storage = new InMemoryStorage();
    const mine = new StorageCaseStore(storage, JOURNAL_KEY);
    const theirs = new StorageCaseStore(storage, JOURNAL_KEY);
    await created(mine, sampleCase());
    const held = (await mine.get('RC-7K2M9QXA'))!;
    const current = (await theirs.get('RC-7K2M9QXA'))!;
    const written = await theirs.replace({ ...current.value, version: current.value.version + 1 }, current.eTag);
    expect(written).not.toBe('conflict');
    expect((await mine.get('RC-7K2M9QXA'))?.value.version).toBe(held.value.version + 1);
    expect(await mine.replace({ ...held.value, state: 'cancelled' }, held.eTag)).toBe('conflict');
    // And a deleted case is gone at once, whatever was held.
    await storage.delete(['cases/RC-7K2M9QXA']);
    expect(await mine.get('RC-7K2M9QXA')).toBeUndefined();
  });

  it('holds at most its bound of cases, least recently used out first', async () => {
    const storage = new CountingStorage();
    const store = new StorageCaseStore(storage, JOURNAL_KEY, Date.now, 2);
    for (const id of ['RC-AAAAAAA1', 'RC-AAAAAAA2', 'RC-AAAAAAA3']) await created(store, { ...withId(id), target: { ...sampleCase().target, id: `t-${id}` } });
    // Created in that order: 1 fell out when 3 came in.
    storage.whole = 0;
    storage.unchanged = 0;
    await store.get('RC-AAAAAAA3');
    await store.get('RC-AAAAAAA2');
    expect(storage).toMatchObject({ whole: 0, unchanged: 2 });
    await store.get('RC-AAAAAAA1');
    expect(storage).toMatchObject({ whole: 1, unchanged: 2 });
    // 1 is in again and 3 (now the least recently used) is out.
    await store.get('RC-AAAAAAA3');
    expect(storage).toMatchObject({ whole: 2, unchanged: 2 });
  });
});

describe('StorageCaseStore: one open case per target', () => {
  it('names the target’s latest case while it is open, and nothing once it is closed, denied, expired or cancelled', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    const first = await created(store, sampleCase());
    expect((await store.openCaseFor(sampleCase().target.id))?.id).toBe('RC-7K2M9QXA');
    expect(await store.openCaseFor('someone-else')).toBeUndefined();
    for (const state of ['cancelled', 'denied', 'expired', 'documented'] as const) {
      const current = (await store.get('RC-7K2M9QXA'))!;
      const saved = await store.replace({ ...current.value, state }, current.eTag);
      expect(saved).not.toBe('conflict');
      expect(await store.openCaseFor(sampleCase().target.id)).toBeUndefined();
    }
    expect(first.value.state).toBe('opened');
  });

  it('creates nothing while the target has an open case, and names it', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    await created(store, sampleCase());
    const second = await store.create(withId('RC-22222222'));
    expect(second).toMatchObject({ kind: 'targetHasOpenCase', caseId: 'RC-7K2M9QXA', value: { id: 'RC-7K2M9QXA' } });
    expect(await store.get('RC-22222222')).toBeUndefined();
  });

  it('opens a new case for the target once its last case is over', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    const first = await created(store, sampleCase());
    expect(await store.replace({ ...first.value, state: 'documented' }, first.eTag)).not.toBe('conflict');
    await created(store, withId('RC-33333333'));
    expect((await store.openCaseFor(sampleCase().target.id))?.id).toBe('RC-33333333');
  });

  it('of 20 concurrent creates for one target, exactly one stores a case and the others name it', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(withId(`RC-${String(i).padStart(8, '0')}`))));
    const winners = outcomes.filter((o) => o.kind === 'created');
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]?.kind === 'created' ? winners[0].stored.value.id : '';
    expect(outcomes.filter((o) => o.kind === 'targetHasOpenCase' && o.caseId === winnerId)).toHaveLength(19);
    expect(await store.ids()).toEqual([winnerId]);
  });

  it('of 20 concurrent creates after the last case closed, exactly one takes the target over', async () => {
    const store = new StorageCaseStore(new InMemoryStorage(), JOURNAL_KEY);
    const first = await created(store, sampleCase());
    expect(await store.replace({ ...first.value, state: 'cancelled' }, first.eTag)).not.toBe('conflict');
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(withId(`RC-${String(i).padStart(8, '0')}`))));
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
    expect(await store.ids()).toHaveLength(2);
  });

  it('takes over a claim whose case never appeared (its instance died between the two writes), but not a fresh one', async () => {
    const storage = new InMemoryStorage();
    let now = Date.parse('2026-11-25T10:00:00Z');
    const store = new StorageCaseStore(storage, JOURNAL_KEY, () => now);
    const target = sampleCase().target.id;
    await storage.create(`targets/${target}`, { caseId: 'RC-DEADDEAD', claimedAt: new Date(now).toISOString() });
    // Fresh: another instance is writing that case right now. Nothing is created, and the claimed case is named.
    expect(await store.create(sampleCase())).toEqual({ kind: 'targetHasOpenCase', caseId: 'RC-DEADDEAD', value: undefined });
    expect(await store.get('RC-7K2M9QXA')).toBeUndefined();
    now += 61_000;
    await created(store, sampleCase());
    expect((await store.openCaseFor(target))?.id).toBe('RC-7K2M9QXA');
  });
});
