import type { Client } from '@microsoft/microsoft-graph-client';
import { NextLinkPage } from './middleware-context';

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/** Encodes a value as an OData string literal for `$filter` (quotes doubled), URL-encoded for the query string. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Follows `@odata.nextLink` until the collection ends or `limit` items are read. The next link is absolute; the SDK
 * only parses https links itself, so the origin is stripped here and the remaining version and path are requested
 * through the same client (same auth, retry and telemetry).
 */
export async function readAll<T>(client: Client, first: () => Promise<Page<T>>, baseUrl: string, limit = 5000): Promise<T[]> {
  const items: T[] = [];
  let page = await first();
  for (;;) {
    items.push(...(page.value ?? []));
    const next = page['@odata.nextLink'];
    if (!next || items.length >= limit) return items.slice(0, limit);
    const { version, path } = splitLink(next, baseUrl);
    // Marked as a page: the registry guard then accepts the `$skiptoken` Graph put in it.
    page = (await client.api(path).version(version).middlewareOptions([new NextLinkPage()]).get()) as Page<T>;
  }
}

function splitLink(link: string, baseUrl: string): { version: string; path: string } {
  const url = new URL(link);
  if (url.origin !== new URL(baseUrl).origin) throw new Error(`Refusing to follow a next link to another origin: ${url.origin}`);
  const [, version, ...rest] = url.pathname.split('/');
  if (!version || rest.length === 0) throw new Error(`Unexpected next link: ${url.pathname}`);
  return { version, path: `/${rest.join('/')}${url.search}` };
}
