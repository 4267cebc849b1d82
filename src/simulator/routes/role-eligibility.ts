import { directoryErrors } from '../errors';
import { rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import type { FilterSchema } from '../odata-filter-eval';
import { readFilter } from '../odata-query';
import { collectionResponse, entityResponse } from '../paging';
import { param } from '../route-helpers';
import type { RoleEligibilityRecord } from '../tenant-state';

const ELIGIBILITY_FILTER: FilterSchema = {
  resource: 'unifiedRoleEligibilitySchedule',
  properties: {
    id: { type: 'string', ops: ['eq'] },
    principalId: { type: 'string', ops: ['eq'] },
    roleDefinitionId: { type: 'string', ops: ['eq'] },
    directoryScopeId: { type: 'string', ops: ['eq'] },
    memberType: { type: 'string', ops: ['eq', 'ne'] },
    status: { type: 'string', ops: ['eq'] },
  },
};

/** A unifiedRoleEligibilitySchedule as Graph v1.0 returns it (PIM for Microsoft Entra roles). */
function eligibilityView(e: RoleEligibilityRecord): JsonObject {
  return {
    id: e.id,
    principalId: e.principalId,
    roleDefinitionId: e.roleDefinitionId,
    directoryScopeId: e.directoryScopeId,
    appScopeId: null,
    createdUsing: e.id,
    createdDateTime: e.createdDateTime,
    modifiedDateTime: null,
    status: 'Provisioned',
    memberType: 'Direct',
    scheduleInfo: {
      startDateTime: e.createdDateTime,
      recurrence: null,
      expiration:
        e.endDateTime === null
          ? { type: 'noExpiration', endDateTime: null, duration: null }
          : { type: 'afterDateTime', endDateTime: e.endDateTime, duration: null },
    },
  };
}

/** Eligibilities still in force: an ended one is gone from the schedules, as in PIM. */
function current(ctx: RouteContext): RoleEligibilityRecord[] {
  const now = ctx.now.toISOString();
  return ctx.tenant.roleEligibilitySchedules.filter((e) => e.endDateTime === null || e.endDateTime > now);
}

function listEligibilities(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$skiptoken']);
  const matches = readFilter(ctx, ELIGIBILITY_FILTER);
  const views = current(ctx)
    .map(eligibilityView)
    .filter((v) => !matches || matches(v));
  return collectionResponse(ctx, 'roleManagement/directory/roleEligibilitySchedules', views);
}

function getEligibility(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const id = param(ctx, 'id');
  const e = current(ctx).find((x) => x.id === id);
  if (!e) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'roleManagement/directory/roleEligibilitySchedules/$entity', eligibilityView(e));
}

export const roleEligibilityRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/roleManagement/directory/roleEligibilitySchedules',
    query: { page: 'https://learn.microsoft.com/graph/api/rbacapplication-list-roleeligibilityschedules', options: ['$expand', '$filter', '$select'] },
    handler: listEligibilities,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleEligibilitySchedules/{id}',
    query: { page: 'https://learn.microsoft.com/graph/api/unifiedroleeligibilityschedule-get', options: ['$expand', '$select'] },
    handler: getEligibility,
  },
];
