import { z } from 'zod';
import { writeAudit } from '../audit-writer';
import { directoryErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { FilterSchema } from '../odata-filter-eval';
import { readFilter, readOrderBy, readSelect, readTop, wantsCount } from '../odata-query';
import { collectionResponse, entityResponse } from '../paging';
import { optionalBody, param, requireAdvancedQueryFor } from '../route-helpers';
import { findUser, type DeletedUserRecord, type UserRecord } from '../tenant-state';
import { SELECTABLE_USER_PROPERTIES, deletedUserView, userView } from '../user-views';

const DELETED_FILTER: FilterSchema = {
  resource: 'user',
  properties: {
    id: { type: 'string', ops: ['eq', 'in'] },
    userPrincipalName: { type: 'string', ops: ['eq', 'in', 'startswith', 'endswith'] },
    displayName: { type: 'string', ops: ['eq', 'in', 'startswith', 'endswith'] },
    mail: { type: 'string', ops: ['eq', 'startswith', 'endswith'] },
    deletedDateTime: { type: 'datetime', ops: ['eq', 'ge', 'gt', 'le', 'lt'] },
  },
};

function requireDeleted(ctx: RouteContext): DeletedUserRecord {
  const id = param(ctx, 'id');
  const user = ctx.tenant.deletedUsers.get(id.toLowerCase());
  if (!user) throw directoryErrors.notFound(id);
  return user;
}

function listUncast(): SimResponse {
  throw directoryErrors.badRequest(
    'Unsupported query: deleted items must be listed by type. Use /directory/deletedItems/microsoft.graph.user (or microsoft.graph.group, microsoft.graph.application).',
  );
}

function listDeletedUsers(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$top', '$skiptoken', '$select', '$count', '$orderby']);
  requireAdvancedQueryFor(ctx, 'endsWith');
  const select = readSelect(ctx, SELECTABLE_USER_PROPERTIES, 'user');
  const matches = readFilter(ctx, DELETED_FILTER);
  const order = readOrderBy(ctx, ['deletedDateTime', 'displayName', 'userPrincipalName'], { property: 'deletedDateTime', descending: true });
  const key = order.property as 'deletedDateTime' | 'displayName' | 'userPrincipalName';
  const users = [...ctx.tenant.deletedUsers.values()]
    .filter((u) => !matches || matches(deletedUserView(ctx.tenant, u, SELECTABLE_USER_PROPERTIES)))
    .sort((a, b) => a[key].toLowerCase().localeCompare(b[key].toLowerCase()) * (order.descending ? -1 : 1));
  return collectionResponse(
    ctx,
    'directory/deletedItems/microsoft.graph.user',
    users.map((u) => deletedUserView(ctx.tenant, u, select)),
    { top: readTop(ctx), count: wantsCount(ctx) },
  );
}

function getDeleted(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$select']);
  const user = requireDeleted(ctx);
  return entityResponse(ctx, 'directoryObjects/$entity', deletedUserView(ctx.tenant, user, readSelect(ctx, SELECTABLE_USER_PROPERTIES, 'user')));
}

const RestoreSchema = z.object({ autoReconcileProxyConflict: z.boolean().optional(), newUserPrincipalName: z.string().email().optional() }).strict();

/** The active record of a restored user: the deletion facts dropped, the UPN given back. */
function restoredRecord(deleted: DeletedUserRecord, upn: string): UserRecord {
  const { deletedDateTime, originalUserPrincipalName, ...user } = deleted;
  void deletedDateTime;
  void originalUserPrincipalName;
  return { ...user, userPrincipalName: upn };
}

/** Restore: the user comes back with its original UPN (or the one asked for), its methods and memberships. */
function restore(ctx: RouteContext): SimResponse {
  const deleted = requireDeleted(ctx);
  const parsed = RestoreSchema.safeParse(optionalBody(ctx));
  if (!parsed.success) throw directoryErrors.badRequest(`Invalid restore request: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const upn = parsed.data.newUserPrincipalName ?? deleted.originalUserPrincipalName;
  if (findUser(ctx.tenant, upn)) throw directoryErrors.badRequest('Another object with the same value for property userPrincipalName already exists.');
  const user = restoredRecord(deleted, upn);
  ctx.tenant.deletedUsers.delete(deleted.id);
  ctx.tenant.users.set(user.id, user);
  writeAudit(ctx, {
    activityDisplayName: 'Restore user',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    target: { id: user.id, displayName: user.displayName, userPrincipalName: upn },
  });
  return entityResponse(ctx, 'directoryObjects/$entity', { '@odata.type': '#microsoft.graph.user', ...userView(ctx.tenant, user, undefined) });
}

/** Permanent delete: the user, its methods, memberships and role assignments are gone; only the audit log remembers. */
function hardDelete(ctx: RouteContext): SimResponse {
  const deleted = requireDeleted(ctx);
  const state = ctx.tenant;
  state.deletedUsers.delete(deleted.id);
  state.methods.delete(deleted.id);
  for (const g of state.groups.values()) g.members = g.members.filter((m) => m !== deleted.id);
  state.roleAssignments = state.roleAssignments.filter((a) => a.principalId !== deleted.id);
  writeAudit(ctx, {
    activityDisplayName: 'Hard Delete user',
    loggedByService: 'Core Directory',
    operationType: 'Delete',
    target: { id: deleted.id, displayName: deleted.displayName, userPrincipalName: deleted.userPrincipalName },
    additionalDetails: [{ key: 'UserType', value: deleted.userType }],
  });
  return { status: 204 };
}

export const deletedItemRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/directory/deletedItems',
    query: noOptions('https://learn.microsoft.com/graph/api/directory-deleteditems-list'),
    handler: listUncast,
  },
  {
    method: 'GET',
    path: '/directory/deletedItems/microsoft.graph.user',
    query: {
      page: 'https://learn.microsoft.com/graph/api/directory-deleteditems-list',
      options: ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$top'],
    },
    handler: listDeletedUsers,
  },
  {
    method: 'GET',
    path: '/directory/deletedItems/{id}',
    query: { page: 'https://learn.microsoft.com/graph/api/directory-deleteditems-get', options: ['$select'] },
    handler: getDeleted,
  },
  {
    method: 'DELETE',
    path: '/directory/deletedItems/{id}',
    query: noOptions('https://learn.microsoft.com/graph/api/directory-deleteditems-delete'),
    handler: hardDelete,
  },
  {
    method: 'POST',
    path: '/directory/deletedItems/{id}/restore',
    query: noOptions('https://learn.microsoft.com/graph/api/directory-deleteditems-restore'),
    handler: restore,
  },
];
