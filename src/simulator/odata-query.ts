import { GraphHttpError, directoryErrors, gatewayErrors } from './errors';
import type { RouteContext } from './http-types';
import { FilterSyntaxError, parseFilter } from './odata-filter';
import { FilterTypeError, FilterUnsupportedError, compileFilter, type FilterSchema, type Predicate } from './odata-filter-eval';

/** `$top`, within Graph's bounds for the resource. */
export function readTop(ctx: RouteContext, max = 999): number | undefined {
  const raw = ctx.request.query.get('$top');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw gatewayErrors.badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  return n;
}

/** `$select`, checked against the properties the type has. */
export function readSelect(ctx: RouteContext, known: readonly string[], typeName: string): string[] | undefined {
  const raw = ctx.request.query.get('$select');
  if (raw === null) return undefined;
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  for (const f of fields) if (!known.includes(f)) throw directoryErrors.unknownProperty(f, typeName);
  return fields;
}

/** `$expand`, limited to the navigation properties listed. */
export function readExpand(ctx: RouteContext, allowed: readonly string[]): string[] {
  const raw = ctx.request.query.get('$expand');
  if (raw === null) return [];
  const names = raw.split(',').map((f) => f.trim());
  for (const n of names) if (!allowed.includes(n)) throw gatewayErrors.badRequest(`Could not find a property named '${n}' to expand on this resource.`);
  return names;
}

/** `$count=true|false`. */
export function wantsCount(ctx: RouteContext): boolean {
  const raw = ctx.request.query.get('$count');
  if (raw === null) return false;
  if (raw !== 'true' && raw !== 'false') throw gatewayErrors.badRequest(`'${raw}' is not a valid count option.`);
  return raw === 'true';
}

/** `$filter`, parsed and checked against what the collection supports. */
export function readFilter(ctx: RouteContext, schema: FilterSchema): Predicate | undefined {
  const raw = ctx.request.query.get('$filter');
  if (raw === null) return undefined;
  try {
    return compileFilter(parseFilter(raw), schema);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw gatewayErrors.badRequest(`Invalid filter clause: ${e.message}`);
    if (e instanceof FilterTypeError) throw gatewayErrors.badRequest(e.message);
    if (e instanceof FilterUnsupportedError) throw directoryErrors.unsupportedQuery(e.message);
    throw e;
  }
}

export interface OrderBy {
  readonly property: string;
  readonly descending: boolean;
}

/** `$orderby` on a single property, from the list the resource allows. */
export function readOrderBy(ctx: RouteContext, allowed: readonly string[], fallback: OrderBy): OrderBy {
  const raw = ctx.request.query.get('$orderby') ?? ctx.request.query.get('$orderBy');
  if (raw === null) return fallback;
  const match = /^\s*([\w/]+)(?:\s+(asc|desc))?\s*$/.exec(raw);
  if (!match?.[1] || !allowed.includes(match[1])) {
    throw gatewayErrors.badRequest(`Unsupported $orderby '${raw}'. Supported: ${allowed.map((a) => `${a} asc|desc`).join(', ')}.`);
  }
  return { property: match[1], descending: match[2] === 'desc' };
}

/** `$skiptoken` as issued by this simulator in an @odata.nextLink: an opaque encoding of the offset. */
export function readSkipToken(ctx: RouteContext): number {
  const raw = ctx.request.query.get('$skiptoken');
  if (raw === null) return 0;
  const decoded = /^skip:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!decoded?.[1])
    throw new GraphHttpError(400, 'Request_BadRequest', 'The specified page token value has expired and can no longer be included in your request.');
  return Number(decoded[1]);
}

export function encodeSkipToken(offset: number): string {
  return Buffer.from(`skip:${offset}`, 'utf8').toString('base64url');
}
