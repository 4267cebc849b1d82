import { text } from 'node:stream/consumers';
import type { TokenCredential } from '@azure/identity';
import { ContainerClient, RestError } from '@azure/storage-blob';
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionalETag, eTagConflict, UNCHANGED, type DurableStorage } from './durable-storage';

/** Where the container is and how to reach it: a connection string (Azurite, a key), or an account URL and an Entra credential. */
export type BlobLocation =
  | { readonly kind: 'connectionString'; readonly connectionString: string; readonly container: string }
  | { readonly kind: 'accountUrl'; readonly accountUrl: string; readonly container: string; readonly credential: TokenCredential };

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** One blob per key. Keys hold '/', ':' and ';' (thread ids); percent-encoding keeps each one a single, flat blob name. */
const blobName = (key: string): string => encodeURIComponent(key);
const keyOf = (name: string): string => decodeURIComponent(name);

/**
 * DurableStorage on Azure Blob storage, shared by every instance of the bot. Replaces are conditional on the blob's
 * ETag (If-Match) and creates on its absence (If-None-Match: *), so of two instances writing the same case exactly one
 * wins and the other re-reads; a plain upload would let both "create" one key without any conflict.
 */
export class BlobStorage implements DurableStorage {
  private ready?: Promise<unknown>;
  private readonly container: ContainerClient;

  constructor(location: BlobLocation) {
    this.container =
      location.kind === 'connectionString'
        ? new ContainerClient(location.connectionString, location.container)
        : new ContainerClient(`${location.accountUrl.replace(/\/+$/, '')}/${location.container}`, location.credential);
  }

  async read(keys: string[]): Promise<StoreItems> {
    await this.ensureContainer();
    const found: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        try {
          // One download gives the body and the ETag of that very body.
          const blob = await this.container.getBlobClient(blobName(key)).download();
          if (!blob.readableStreamBody) throw new Error(`Blob storage returned no body for "${key}"`);
          found[key] = { ...(JSON.parse(await text(blob.readableStreamBody)) as StoreItem), eTag: blob.etag };
        } catch (e) {
          if (statusOf(e) !== 404) throw e;
        }
      }),
    );
    return found;
  }

  /**
   * A conditional download (If-None-Match: the eTag held): the service answers 304 Not Modified without a body when the
   * blob still has that ETag, so an unchanged case costs one short round trip and no parse.
   * https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations
   */
  async readIfChanged(key: string, eTag: string | undefined): Promise<StoreItem | typeof UNCHANGED | undefined> {
    await this.ensureContainer();
    try {
      const blob = await this.container.getBlobClient(blobName(key)).download(0, undefined, eTag === undefined ? {} : { conditions: { ifNoneMatch: eTag } });
      if (!blob.readableStreamBody) throw new Error(`Blob storage returned no body for "${key}"`);
      return { ...(JSON.parse(await text(blob.readableStreamBody)) as StoreItem), eTag: blob.etag };
    } catch (e) {
      if (eTag !== undefined && statusOf(e) === 304) return UNCHANGED;
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async write(changes: StoreItems): Promise<void> {
    await this.ensureContainer();
    await Promise.all(
      (Object.entries(changes) as [string, StoreItem][]).map(async ([key, change]) => {
        const eTag = conditionalETag(change);
        try {
          await this.upload(key, change, eTag === undefined ? {} : { ifMatch: eTag });
        } catch (e) {
          // 412: the blob changed since it was read; 404: it was deleted meanwhile. Either way the writer lost.
          if (eTag !== undefined && (statusOf(e) === 412 || statusOf(e) === 404)) throw eTagConflict(key);
          throw e;
        }
      }),
    );
  }

  async create(key: string, item: StoreItem): Promise<boolean> {
    await this.ensureContainer();
    try {
      await this.upload(key, item, { ifNoneMatch: '*' });
      return true;
    } catch (e) {
      // 409 BlobAlreadyExists (or 412 on some versions): another writer got there first.
      if (statusOf(e) === 409 || statusOf(e) === 412) return false;
      throw e;
    }
  }

  async keys(prefix: string): Promise<readonly string[]> {
    await this.ensureContainer();
    const found: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: blobName(prefix) })) found.push(keyOf(blob.name));
    return found;
  }

  async delete(keys: string[]): Promise<void> {
    await this.ensureContainer();
    await Promise.all(keys.map((key) => this.container.getBlobClient(blobName(key)).deleteIfExists()));
  }

  private async upload(key: string, item: StoreItem, conditions: { ifMatch?: string; ifNoneMatch?: string }): Promise<void> {
    const body: Record<string, unknown> = { ...item };
    delete body.eTag; // the blob's own ETag is the eTag
    const json = JSON.stringify(body);
    await this.container.getBlockBlobClient(blobName(key)).upload(json, Buffer.byteLength(json), {
      conditions,
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  private ensureContainer(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }
}
