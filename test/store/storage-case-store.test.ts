import { MemoryStorage } from 'botbuilder';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { sampleCase } from '../helpers/sample-cases';

describe('StorageCaseStore', () => {
  it('creates, reads and replaces a case conditionally on its eTag', async () => {
    const store = new StorageCaseStore(new MemoryStorage());
    const created = await store.create(sampleCase());
    const { journal, ...rest } = (await store.get('RC-7K2M9QXA'))!.value;
    const { journal: sampleJournal, ...sampleRest } = sampleCase();
    expect(rest).toEqual(sampleRest);
    expect(journal).toEqual(sampleJournal.map((e) => ({ ...e, hash: expect.any(String) })));

    const first = await store.replace({ ...created.value, version: 2 }, created.eTag);
    expect(first).not.toBe('conflict');
    // A second writer still holding the old eTag loses, and the first write stays.
    expect(await store.replace({ ...created.value, version: 3 }, created.eTag)).toBe('conflict');
    expect((await store.get('RC-7K2M9QXA'))?.value.version).toBe(2);
  });

  it('refuses to create a case that already exists', async () => {
    const store = new StorageCaseStore(new MemoryStorage());
    await store.create(sampleCase());
    await expect(store.create(sampleCase())).rejects.toThrow(/already exists/);
  });

  it('returns undefined for an unknown case', async () => {
    expect(await new StorageCaseStore(new MemoryStorage()).get('RC-00000000')).toBeUndefined();
  });
});

describe('StorageCaseStore: the open case of a target', () => {
  it('names the target’s latest case while it is open, and nothing once it is closed, denied, expired or cancelled', async () => {
    const store = new StorageCaseStore(new MemoryStorage());
    const created = await store.create(sampleCase());
    expect((await store.openCaseFor(sampleCase().target.id))?.id).toBe('RC-7K2M9QXA');
    expect(await store.openCaseFor('someone-else')).toBeUndefined();
    for (const state of ['cancelled', 'denied', 'expired', 'documented'] as const) {
      const current = (await store.get('RC-7K2M9QXA'))!;
      const saved = await store.replace({ ...current.value, state }, current.eTag);
      expect(saved).not.toBe('conflict');
      expect(await store.openCaseFor(sampleCase().target.id)).toBeUndefined();
    }
    expect(created.value.state).toBe('opened');
  });
});
