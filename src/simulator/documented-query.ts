import { GraphHttpError, gatewayErrors } from './errors';
import type { DocumentedQuery, QueryOption, RouteContext } from './http-types';

export type { DocumentedQuery, QueryOption };

/** An endpoint whose page says it takes no optional query parameters (or a write, which takes none). */
export const noOptions = (page: string): DocumentedQuery => ({ page, options: [] });

/** `$orderBy` and `$orderby` are the same option to Graph; the simulator reads the lower-case spelling. */
const NAMES: Readonly<Record<QueryOption, string>> = {
  $filter: 'Filter',
  $top: 'Top',
  $skiptoken: 'SkipToken',
  $select: 'Select',
  $orderby: 'OrderBy',
  $count: 'Count',
  $expand: 'Expand',
  $search: 'Search',
  $skip: 'Skip',
};

const isQueryOption = (key: string): key is QueryOption => key in NAMES;

/**
 * Graph's answer to a query option the endpoint does not take: 400, code BadRequest, and the OData library's message
 * (as users report it: microsoft-graph-docs-contrib#2556 "Query option 'Select' is not allowed", onedrive-api-docs#334
 * "Query option 'Top' is not allowed").
 */
export function optionNotAllowed(option: QueryOption): GraphHttpError {
  return gatewayErrors.badRequest(
    `The query specified in the URI is not valid. Query option '${NAMES[option]}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
  );
}

/**
 * Refuses what Graph refuses before any handler runs: a repeated option, an unknown `$` option, and an option the
 * endpoint's reference page does not document.
 */
export function rejectUndocumentedOptions(ctx: RouteContext, documented: DocumentedQuery): void {
  const seen = new Set<string>();
  for (const raw of ctx.request.query.keys()) {
    const key = raw.toLowerCase();
    if (seen.has(key)) throw gatewayErrors.badRequest(`Query option '${raw}' was specified more than once, but it must be specified at most once.`);
    seen.add(key);
    if (!key.startsWith('$')) continue;
    if (!isQueryOption(key)) throw gatewayErrors.badRequest(`The query parameter '${raw}' is not supported.`);
    if (key !== '$skiptoken' && !documented.options.includes(key)) throw optionNotAllowed(key);
  }
}

/**
 * A documented option this simulator does not implement on the endpoint: not Graph's behaviour, so it says so plainly
 * (501) instead of pretending. A bot request that hits this needs the simulator extended, not the bot changed.
 */
export function rejectUnimplementedOptions(ctx: RouteContext, implemented: readonly QueryOption[]): void {
  for (const raw of ctx.request.query.keys()) {
    const key = raw.toLowerCase();
    if (isQueryOption(key) && key !== '$skiptoken' && !implemented.includes(key)) {
      throw new GraphHttpError(501, 'NotImplemented', `The simulated tenant does not implement ${raw} on this resource (Microsoft Graph documents it).`);
    }
  }
}
