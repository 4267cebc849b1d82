import { directoryErrors, gatewayErrors } from './errors';
import type { RouteContext } from './http-types';
import { isJsonObject, type JsonObject } from './json';
import { findUser, type UserRecord } from './tenant-state';

/** A path parameter the route pattern guarantees. */
export function param(ctx: RouteContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no {${name}} parameter`);
  return value;
}

/** The active user named by `{user}` (object id or UPN), or Graph's 404. */
export function requireUser(ctx: RouteContext): UserRecord {
  const key = param(ctx, 'user');
  const user = findUser(ctx.tenant, key);
  if (!user) throw directoryErrors.notFound(key);
  return user;
}

/** The JSON object body a write needs. */
export function requireBody(ctx: RouteContext): JsonObject {
  if (!isJsonObject(ctx.request.body))
    throw gatewayErrors.badRequest('Write requests (excluding DELETE) must contain the Content-Type header declaration and a JSON object body.');
  return ctx.request.body;
}

/** The body if there is one (optional bodies, e.g. TAP create, restore). */
export function optionalBody(ctx: RouteContext): JsonObject {
  if (ctx.request.body === undefined) return {};
  return requireBody(ctx);
}

/**
 * Enforces Graph's advanced-query rules on directory objects: `$count` needs ConsistencyLevel: eventual, and endswith
 * needs that header and $count=true (https://learn.microsoft.com/graph/aad-advanced-queries).
 */
export function requireAdvancedQueryFor(ctx: RouteContext, operator: 'endsWith'): void {
  const filter = ctx.request.query.get('$filter') ?? '';
  if (!/\bendswith\s*\(/i.test(filter)) {
    // $count on directory objects is an advanced query too; without the header Graph answers this (reported in
    // microsoft-graph-docs-contrib#4335 and #2716).
    if (ctx.request.query.has('$count') && ctx.request.headers['consistencylevel'] !== 'eventual')
      throw directoryErrors.badRequest('$count is not currently supported.');
    return;
  }
  if (ctx.request.headers['consistencylevel'] !== 'eventual') {
    throw directoryErrors.unsupportedQuery(
      `Operator '${operator}' is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );
  }
  if (ctx.request.query.get('$count') !== 'true') {
    throw directoryErrors.unsupportedQuery(
      `Operator '${operator}' requires $count=true. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );
  }
}
