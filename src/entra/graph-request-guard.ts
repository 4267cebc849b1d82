import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { GraphVersion } from './graph-request-types';
import { noteFailedAnswer } from './failed-request';
import { matchRequest, splitGraphUrl, UnregisteredGraphRequestError } from './graph-request-match';
import { methodOf, NextLinkPage, urlOf } from './middleware-context';

interface InnerRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, unknown>;
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return typeof value === 'string' ? value : null;
}

/** Every request inside a `$batch` body must be a registry entry of the batch's version. */
function checkBatch(version: GraphVersion, body: unknown): void {
  let requests: unknown;
  try {
    requests = (JSON.parse(typeof body === 'string' ? body : '') as { requests?: unknown }).requests;
  } catch {
    throw new UnregisteredGraphRequestError(`POST ${version}/$batch`, 'the batch body is not JSON');
  }
  if (!Array.isArray(requests)) throw new UnregisteredGraphRequestError(`POST ${version}/$batch`, 'the batch body has no requests');
  for (const inner of requests as InnerRequest[]) {
    const method = typeof inner.method === 'string' ? inner.method : '';
    const url = typeof inner.url === 'string' ? inner.url : '';
    const found = matchRequest({ method, version, pathAndQuery: url, consistencyLevel: headerOf(inner.headers, 'ConsistencyLevel') });
    if (!found.ok) throw new UnregisteredGraphRequestError(`${method} ${version}${url} (in a $batch)`, found.reason);
    if (found.spec.path === '/$batch') throw new UnregisteredGraphRequestError(`${method} ${version}${url} (in a $batch)`, 'a batch cannot hold a batch');
  }
}

/**
 * The first middleware of the Graph client: every request (and every request inside a `$batch` body, and every
 * `@odata.nextLink` page) must match an entry of the registry (graph-requests.ts) by method, version, path, query
 * options and ConsistencyLevel, or UnregisteredGraphRequestError is thrown before a token is asked for or anything is
 * sent. A new Graph call therefore starts with its registry entry: its permission, its reference page, its docs row.
 * A failed answer is noted with its entry (failed-request.ts), for the advice.
 */
export class GraphRequestGuard implements Middleware {
  private next?: Middleware;

  async execute(context: Context): Promise<void> {
    const method = methodOf(context);
    const url = urlOf(context);
    const split = splitGraphUrl(url);
    if (!split) throw new UnregisteredGraphRequestError(`${method} ${url}`, 'the URL names no Graph version');
    const nextLink = context.middlewareControl?.getMiddlewareOptions(NextLinkPage) !== undefined;
    const consistencyLevel = new Headers(context.options?.headers).get('ConsistencyLevel');
    const found = matchRequest({ method, ...split, consistencyLevel, nextLink });
    if (!found.ok) throw new UnregisteredGraphRequestError(`${method} ${url}`, found.reason);
    if (found.spec.path === '/$batch') checkBatch(found.spec.version, context.options?.body);
    if (!this.next) throw new Error('GraphRequestGuard must not be the last middleware.');
    await this.next.execute(context);
    // Set by the fetch handler during next.execute: a failure's advice names this request's permissions.
    const answer = context.response;
    if (answer && !answer.ok) noteFailedAnswer(answer.headers, found.spec);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
