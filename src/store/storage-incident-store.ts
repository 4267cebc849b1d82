import type { StoreItem } from 'botbuilder';
import type { IncidentCase } from '../domain/incident';
import type { IncidentStore, StoredIncident } from '../ports/incident-services';
import { isETagConflict, type DurableStorage } from './durable-storage';

interface IncidentItem extends StoreItem {
  value: IncidentCase;
  eTag?: string;
}

const keyOf = (id: string): string => `incidents/${id}`;

/** Bulk incidents on the cases' DurableStorage (memory, files, Azure Blob), under `incidents/`, with eTag-conditional replaces. */
export class StorageIncidentStore implements IncidentStore {
  constructor(private readonly storage: DurableStorage) {}

  async get(id: string): Promise<StoredIncident | undefined> {
    const item = (await this.storage.read([keyOf(id)]))[keyOf(id)] as IncidentItem | undefined;
    return item?.eTag ? { value: item.value, eTag: item.eTag } : undefined;
  }

  async create(value: IncidentCase): Promise<boolean> {
    return this.storage.create(keyOf(value.id), { value });
  }

  async replace(value: IncidentCase, eTag: string): Promise<StoredIncident | 'conflict'> {
    try {
      await this.storage.write({ [keyOf(value.id)]: { value, eTag } });
    } catch (e) {
      if (isETagConflict(e)) return 'conflict';
      throw e;
    }
    const stored = await this.get(value.id);
    return stored ?? 'conflict';
  }

  async ids(): Promise<readonly string[]> {
    return (await this.storage.keys('incidents/')).map((k) => k.slice('incidents/'.length));
  }
}
