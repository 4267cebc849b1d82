import type { Json, JsonObject } from './json';
import type { RouteContext, SimResponse } from './http-types';
import { encodeSkipToken, readSkipToken } from './odata-query';

/** `${url}/v1.0/$metadata#fragment`, as Graph writes @odata.context. */
export function contextUrl(ctx: RouteContext, fragment: string): string {
  return `${ctx.baseUrl}/${ctx.version}/$metadata#${fragment}`;
}

/** The request's own URL with a new $skiptoken, as Graph builds @odata.nextLink (absolute, other options kept). */
function nextLink(ctx: RouteContext, offset: number): string {
  const path = ctx.request.segments.map((s) => encodeURIComponent(s)).join('/');
  const options: string[] = [];
  for (const [key, value] of ctx.request.query.entries()) if (key !== '$skiptoken') options.push(`${key}=${encodeURIComponent(value)}`);
  options.push(`$skiptoken=${encodeSkipToken(offset)}`);
  return `${ctx.baseUrl}/${ctx.version}/${path}?${options.join('&')}`;
}

export interface CollectionOptions {
  readonly top?: number;
  readonly count?: boolean;
  /** Extra annotations/properties placed before `value`. */
  readonly extra?: JsonObject;
}

/** One page of a collection: `{@odata.context, @odata.count?, @odata.nextLink?, value}`. */
export function collectionResponse(ctx: RouteContext, fragment: string, items: readonly Json[], options: CollectionOptions = {}): SimResponse {
  const offset = readSkipToken(ctx);
  const size = options.top ?? ctx.pageSize;
  const value = items.slice(offset, offset + size);
  const body: JsonObject = { '@odata.context': contextUrl(ctx, fragment) };
  if (options.count) body['@odata.count'] = items.length;
  Object.assign(body, options.extra ?? {});
  if (offset + size < items.length) body['@odata.nextLink'] = nextLink(ctx, offset + size);
  body.value = value;
  return { status: 200, body };
}

/** One entity with its @odata.context first. */
export function entityResponse(ctx: RouteContext, fragment: string, entity: JsonObject, status = 200): SimResponse {
  return { status, body: { '@odata.context': contextUrl(ctx, fragment), ...entity } };
}

/** Keeps only the selected properties (and annotations), as `$select` does. */
export function project(entity: JsonObject, select: readonly string[] | undefined): JsonObject {
  if (!select) return entity;
  return Object.fromEntries(Object.entries(entity).filter(([k]) => k.startsWith('@') || select.includes(k)));
}
