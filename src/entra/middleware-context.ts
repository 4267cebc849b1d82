import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

/** The HTTP method of the request a Graph client middleware is handling. */
export function methodOf(context: Context): string {
  return (context.options?.method ?? (context.request instanceof Request ? context.request.method : 'GET')).toUpperCase();
}

/** The absolute URL of the request a Graph client middleware is handling. */
export function urlOf(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

/** Marks a request as a page read through `@odata.nextLink` (paging.ts): Graph wrote its query, with a `$skiptoken`. */
export class NextLinkPage implements MiddlewareOptions {}
