import type { RecoveryCase } from '../../src/domain/case';
import type { StoredCase } from '../../src/ports/case-store';
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
