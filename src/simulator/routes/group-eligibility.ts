import { gatewayErrors } from '../errors';
import { rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { parseFilter, type FilterExpr } from '../odata-filter';
import type { FilterSchema } from '../odata-filter-eval';
import { readFilter } from '../odata-query';
import { collectionResponse } from '../paging';
import type { GroupEligibilityRecord } from '../tenant-state';

/**
 * PIM for Groups: eligible memberships and ownerships of groups, as their schedule instances (what is in force now).
 * https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityscheduleinstances: `$select`, `$filter`
 * and `$expand`; the `$filter` is required and must scope the request to a principalId or a groupId (eq). The page
 * publishes no error body for a missing scope; users report the list "does not work without a filter for principal or
 * group" (microsoft-graph-docs#21801): the simulator answers 400 BadRequest, like other refused queries.
 */
const PAGE = 'https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityscheduleinstances';
const COLLECTION = 'identityGovernance/privilegedAccess/group/eligibilityScheduleInstances';

/** The properties the resource page marks as supporting $filter, with its operators. */
const INSTANCE_FILTER: FilterSchema = {
  resource: 'privilegedAccessGroupEligibilityScheduleInstance',
  properties: {
    accessId: { type: 'string', ops: ['eq'] },
    eligibilityScheduleId: { type: 'string', ops: ['eq', 'ne'] },
    groupId: { type: 'string', ops: ['eq'] },
    memberType: { type: 'string', ops: ['eq'] },
    principalId: { type: 'string', ops: ['eq'] },
  },
};

/** A privilegedAccessGroupEligibilityScheduleInstance as Graph v1.0 returns it (the reference's example response). */
function instanceView(e: GroupEligibilityRecord): JsonObject {
  return {
    id: `${e.groupId}_${e.accessId}_${e.id}`,
    startDateTime: e.createdDateTime,
    endDateTime: e.endDateTime,
    accessId: e.accessId,
    principalId: e.principalId,
    groupId: e.groupId,
    memberType: 'direct',
    eligibilityScheduleId: `${e.groupId}_${e.accessId}_${e.id}`,
  };
}

/** True when `expr`, or one side of a top-level `and`, is `principalId eq '…'` or `groupId eq '…'`. */
function scoped(expr: FilterExpr): boolean {
  if (expr.kind === 'and') return scoped(expr.left) || scoped(expr.right);
  if (expr.kind !== 'compare' || expr.op !== 'eq') return false;
  const property = [expr.left, expr.right].find((o) => o.kind === 'property');
  const name = property?.kind === 'property' ? property.path.join('/') : '';
  return name === 'principalId' || name === 'groupId';
}

function listInstances(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$skiptoken']);
  const matches = readFilter(ctx, INSTANCE_FILTER);
  const raw = ctx.request.query.get('$filter');
  if (!matches || raw === null || !scoped(parseFilter(raw))) {
    throw gatewayErrors.badRequest("This request requires a $filter on principalId or groupId (eq), e.g. $filter=principalId eq '{id}'.");
  }
  const now = ctx.now.toISOString();
  const current = ctx.tenant.groupEligibilitySchedules.filter((e) => e.createdDateTime <= now && (e.endDateTime === null || e.endDateTime > now));
  return collectionResponse(ctx, COLLECTION, current.map(instanceView).filter(matches));
}

export const groupEligibilityRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances',
    query: { page: PAGE, options: ['$expand', '$filter', '$select'] },
    handler: listInstances,
  },
];
