import { GraphHttpError } from '../errors';
import { rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { FilterSchema } from '../odata-filter-eval';
import { readFilter, readOrderBy, readSelect, readTop, wantsCount } from '../odata-query';
import { collectionResponse, entityResponse } from '../paging';
import { param, requireAdvancedQueryFor, requireUser } from '../route-helpers';
import { SELECTABLE_USER_PROPERTIES, userView } from '../user-views';

const text = (...ops: ('eq' | 'ne' | 'in' | 'startswith' | 'endswith')[]): { type: 'string'; ops: typeof ops } => ({ type: 'string', ops });

/** The user properties Graph lets `$filter` use (a subset of what the reference lists). */
export const USER_FILTER: FilterSchema = {
  resource: 'user',
  properties: {
    id: text('eq', 'ne', 'in'),
    userPrincipalName: text('eq', 'ne', 'in', 'startswith', 'endswith'),
    displayName: text('eq', 'ne', 'in', 'startswith', 'endswith'),
    mail: text('eq', 'ne', 'in', 'startswith', 'endswith'),
    mailNickname: text('eq', 'in', 'startswith'),
    givenName: text('eq', 'in', 'startswith'),
    surname: text('eq', 'in', 'startswith'),
    jobTitle: text('eq', 'in', 'startswith'),
    department: text('eq', 'in', 'startswith'),
    userType: text('eq', 'ne', 'in'),
    accountEnabled: { type: 'boolean', ops: ['eq', 'ne'] },
    onPremisesSyncEnabled: { type: 'boolean', ops: ['eq', 'ne'] },
    createdDateTime: { type: 'datetime', ops: ['eq', 'ge', 'gt', 'le', 'lt'] },
  },
};

function listUsers(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$top', '$skiptoken', '$select', '$count', '$orderby']);
  requireAdvancedQueryFor(ctx, 'endsWith');
  const select = readSelect(ctx, SELECTABLE_USER_PROPERTIES, 'user');
  const matches = readFilter(ctx, USER_FILTER);
  const order = readOrderBy(ctx, ['displayName', 'userPrincipalName'], { property: '', descending: false });
  let users = [...ctx.tenant.users.values()];
  if (order.property === 'displayName' || order.property === 'userPrincipalName') {
    const key = order.property;
    users = users.sort((a, b) => a[key].toLowerCase().localeCompare(b[key].toLowerCase()) * (order.descending ? -1 : 1));
  }
  const views = users.filter((u) => !matches || matches(userView(ctx.tenant, u, SELECTABLE_USER_PROPERTIES))).map((u) => userView(ctx.tenant, u, select));
  return collectionResponse(ctx, select ? `users(${select.join(',')})` : 'users', views, { top: readTop(ctx), count: wantsCount(ctx) });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Graph serves `signInActivity` from the sign-in reporting store, which it reads by object id only: selecting it on a
 * user addressed by UPN answers 400 "Get By Key only supports UserId and the key has to be a valid Guid", before the
 * user is looked up (an unknown UPN gets the same 400). Listing users with it selected works. Sources: learn.microsoft.com
 * Q&A 1311910 ("Selecting the 'signInActivity' resource using UPN is not supported. You need to use the GUID of the
 * user"); the body's code has been recorded as "400" (a Graph Explorer transcript, 2026), "UnknownError" with the
 * reporting service's JSON as message (2021) and "BadRequest"; the message is the same in all, so clients must branch
 * on the status, never the code.
 */
function refuseSignInActivityByUpn(ctx: RouteContext, select: readonly string[] | undefined): void {
  if (select?.includes('signInActivity') && !GUID.test(param(ctx, 'user'))) {
    throw new GraphHttpError(400, '400', 'Get By Key only supports UserId and the key has to be a valid Guid');
  }
}

function getUser(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$select']);
  const select = readSelect(ctx, SELECTABLE_USER_PROPERTIES, 'user');
  refuseSignInActivityByUpn(ctx, select);
  const user = requireUser(ctx);
  return entityResponse(ctx, select ? `users(${select.join(',')})/$entity` : 'users/$entity', userView(ctx.tenant, user, select));
}

export const userReadRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/users',
    // ConsistencyLevel: eventual and $count=true for $search, endswith and other advanced queries (requireAdvancedQuery).
    query: { page: 'https://learn.microsoft.com/graph/api/user-list', options: ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$top'] },
    handler: listUsers,
  },
  {
    method: 'GET',
    path: '/users/{user}',
    query: { page: 'https://learn.microsoft.com/graph/api/user-get', options: ['$expand', '$select'] },
    handler: getUser,
  },
];
