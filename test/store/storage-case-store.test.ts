import { MemoryStorage } from 'botbuilder';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { sampleCase } from '../helpers/sample-cases';

describe('StorageCaseStore', () => {
  it('creates, reads and replaces a case conditionally on its eTag', async () => {
    const store = new StorageCaseStore(new MemoryStorage());
    const created = await store.create(sampleCase());
    expect((await store.get('RC-7K2M9QXA'))?.value).toEqual(sampleCase());

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
