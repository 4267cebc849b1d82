import { directoryErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { directGroupsOf, transitiveGroupIds } from '../membership';
import { readSelect, readTop } from '../odata-query';
import { collectionResponse, contextUrl, entityResponse } from '../paging';
import { param, requireBody, requireUser } from '../route-helpers';
import type { GroupRecord, TenantState } from '../tenant-state';
import { userView } from '../user-views';

/**
 * What the membership lists document: the OData options of directory-object collections, several of them only with
 * ConsistencyLevel: eventual and $count (the simulator implements $top and $select; the rest answer 501).
 */
const DIRECTORY_LIST = ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$top'] as const;

/** checkMemberGroups accepts at most 20 group ids per call. */
const MAX_GROUP_IDS = 20;

export function groupView(g: GroupRecord): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.group',
    id: g.id,
    createdDateTime: g.createdDateTime,
    description: g.description,
    displayName: g.displayName,
    groupTypes: [],
    isAssignableToRole: g.isAssignableToRole,
    mail: null,
    mailEnabled: g.mailEnabled,
    mailNickname: g.mailNickname,
    securityEnabled: g.securityEnabled,
  };
}

function requireGroup(ctx: RouteContext): GroupRecord {
  const id = param(ctx, 'id');
  const group = ctx.tenant.groups.get(id.toLowerCase());
  if (!group) throw directoryErrors.notFound(id);
  return group;
}

/** A member as a directoryObject: an active user or a group (soft-deleted users are not members while deleted). */
function memberView(state: TenantState, id: string): JsonObject | undefined {
  const user = state.users.get(id);
  if (user) return { '@odata.type': '#microsoft.graph.user', ...userView(state, user, undefined) };
  const group = state.groups.get(id);
  return group ? groupView(group) : undefined;
}

function checkMemberGroups(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const body = requireBody(ctx);
  const ids = body.groupIds;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) {
    throw directoryErrors.badRequest("Invalid value specified for property 'groupIds' of resource 'checkMemberGroups'.");
  }
  if (ids.length > MAX_GROUP_IDS)
    throw directoryErrors.badRequest(`The request contains ${ids.length} groupIds; at most ${MAX_GROUP_IDS} are allowed per checkMemberGroups call.`);
  const member = transitiveGroupIds(ctx.tenant, user.id);
  const value = ids.filter((id) => member.has(id.toLowerCase()));
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'Collection(Edm.String)'), value } };
}

function memberOf(ctx: RouteContext, transitive: boolean): SimResponse {
  rejectUnimplementedOptions(ctx, ['$top', '$skiptoken']);
  const user = requireUser(ctx);
  const groups = transitive ? [...transitiveGroupIds(ctx.tenant, user.id)].map((id) => ctx.tenant.groups.get(id)) : directGroupsOf(ctx.tenant, user.id);
  const views = groups.filter((g): g is GroupRecord => g !== undefined).map(groupView);
  return collectionResponse(ctx, 'directoryObjects', views, { top: readTop(ctx) });
}

/** Properties a directoryObject member list can $select (a user's or a group's). */
const MEMBER_SELECTABLE = ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle', 'description', 'mailNickname', 'securityEnabled'];

function members(ctx: RouteContext, transitive: boolean): SimResponse {
  rejectUnimplementedOptions(ctx, ['$top', '$skiptoken', '$select']);
  const select = readSelect(ctx, MEMBER_SELECTABLE, 'microsoft.graph.directoryObject');
  const group = requireGroup(ctx);
  const ids = new Set<string>();
  const queue = [...group.members];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (ids.has(id)) continue;
    ids.add(id);
    const nested = ctx.tenant.groups.get(id);
    if (transitive && nested) queue.push(...nested.members);
  }
  const views = [...ids]
    .map((id) => memberView(ctx.tenant, id))
    .filter((v): v is JsonObject => v !== undefined)
    // Like Graph, @odata.type and id stay on every member whatever is selected.
    .map((v) => (select ? Object.fromEntries(Object.entries(v).filter(([k]) => k === '@odata.type' || k === 'id' || select.includes(k))) : v));
  return collectionResponse(ctx, 'directoryObjects', views, { top: readTop(ctx) });
}

function getGroup(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  return entityResponse(ctx, 'groups/$entity', groupView(requireGroup(ctx)));
}

export const groupRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/users/{user}/checkMemberGroups',
    query: noOptions('https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups'),
    handler: checkMemberGroups,
  },
  {
    method: 'GET',
    path: '/users/{user}/memberOf',
    query: { page: 'https://learn.microsoft.com/graph/api/user-list-memberof', options: DIRECTORY_LIST },
    handler: (ctx) => memberOf(ctx, false),
  },
  {
    method: 'GET',
    path: '/users/{user}/transitiveMemberOf',
    query: { page: 'https://learn.microsoft.com/graph/api/user-list-transitivememberof', options: DIRECTORY_LIST },
    handler: (ctx) => memberOf(ctx, true),
  },
  {
    method: 'GET',
    path: '/groups/{id}',
    query: { page: 'https://learn.microsoft.com/graph/api/group-get', options: ['$expand', '$select'] },
    handler: getGroup,
  },
  {
    method: 'GET',
    path: '/groups/{id}/members',
    query: { page: 'https://learn.microsoft.com/graph/api/group-list-members', options: DIRECTORY_LIST },
    handler: (ctx) => members(ctx, false),
  },
  {
    method: 'GET',
    path: '/groups/{id}/transitiveMembers',
    query: { page: 'https://learn.microsoft.com/graph/api/group-list-transitivemembers', options: DIRECTORY_LIST },
    handler: (ctx) => members(ctx, true),
  },
];
