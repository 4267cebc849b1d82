import type { Storage, StoreItem } from 'botbuilder';
import { TERMINAL_STATES, type RecoveryCase } from '../domain/case';
import type { CaseStore, ChainCheck, StoredCase } from '../ports/case-store';
import { sealJournal, verifyJournal } from './journal-chain';

interface CaseItem extends StoreItem {
  value: RecoveryCase;
  eTag?: string;
}

const keyOf = (caseId: string): string => `cases/${caseId}`;
const targetKeyOf = (targetId: string): string => `targets/${targetId}`;

/**
 * A CaseStore over any botbuilder Storage that honours eTags (MemoryStorage, BlobsStorage, Cosmos).
 * Every replace is conditional on the eTag read, so two concurrent writers can never both win.
 */
/** A Storage that can also list its keys (FileStorage); others (MemoryStorage) cannot. */
export interface ListableStorage extends Storage {
  keys(prefix: string): Promise<readonly string[]>;
}

function canList(storage: Storage): storage is ListableStorage {
  return typeof (storage as Partial<ListableStorage>).keys === 'function';
}

export class StorageCaseStore implements CaseStore {
  constructor(private readonly storage: Storage) {}

  async ids(): Promise<readonly string[]> {
    if (!canList(this.storage)) return [];
    return (await this.storage.keys('cases/')).map((k) => k.slice('cases/'.length));
  }

  async get(caseId: string): Promise<StoredCase | undefined> {
    const items = await this.storage.read([keyOf(caseId)]);
    const item = items[keyOf(caseId)] as CaseItem | undefined;
    if (!item?.eTag) return undefined;
    return { value: item.value, eTag: item.eTag };
  }

  async create(value: RecoveryCase): Promise<StoredCase> {
    if (await this.get(value.id)) throw new Error(`Case ${value.id} already exists`);
    await this.storage.write({ [keyOf(value.id)]: { value: sealJournal(value) } satisfies CaseItem });
    await this.storage.write({ [targetKeyOf(value.target.id)]: { caseId: value.id } });
    const stored = await this.get(value.id);
    if (!stored) throw new Error(`Case ${value.id} was not stored`);
    return stored;
  }

  async checkJournal(caseId: string): Promise<ChainCheck | undefined> {
    const stored = await this.get(caseId);
    return stored ? verifyJournal(stored.value.journal) : undefined;
  }

  async openCaseFor(targetId: string): Promise<RecoveryCase | undefined> {
    const key = targetKeyOf(targetId);
    const latest = (await this.storage.read([key]))[key] as { caseId?: unknown } | undefined;
    if (typeof latest?.caseId !== 'string') return undefined;
    const c = (await this.get(latest.caseId))?.value;
    return c && !TERMINAL_STATES.has(c.state) ? c : undefined;
  }

  async replace(value: RecoveryCase, eTag: string): Promise<StoredCase | 'conflict'> {
    try {
      await this.storage.write({ [keyOf(value.id)]: { value: sealJournal(value), eTag } satisfies CaseItem });
    } catch (e) {
      if (e instanceof Error && /eTag conflict|precondition/i.test(e.message)) return 'conflict';
      throw e;
    }
    const stored = await this.get(value.id);
    if (!stored) throw new Error(`Case ${value.id} vanished after a write`);
    return stored;
  }
}
