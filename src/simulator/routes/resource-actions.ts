import { directoryErrors } from '../errors';
import { rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import type { FilterSchema } from '../odata-filter-eval';
import { readFilter, readSelect, readTop } from '../odata-query';
import { collectionResponse, project } from '../paging';
import { param } from '../route-helpers';
import type { TenantState } from '../tenant-state';

const NAMESPACE = 'microsoft.directory';

/**
 * Directory permissions that can carry an authentication context (protected actions), per Entra's list: Conditional
 * Access policy management, cross-tenant access settings, hard delete, named locations.
 */
const SETTABLE = [
  'microsoft.directory/conditionalAccessPolicies/basic/update',
  'microsoft.directory/conditionalAccessPolicies/create',
  'microsoft.directory/conditionalAccessPolicies/delete',
  'microsoft.directory/crossTenantAccessPolicy/allowedCloudEndpoints/update',
  'microsoft.directory/crossTenantAccessPolicy/basic/update',
  'microsoft.directory/deletedItems/delete',
  'microsoft.directory/namedLocations/basic/update',
  'microsoft.directory/namedLocations/create',
  'microsoft.directory/namedLocations/delete',
];

const ACTION_FILTER: FilterSchema = {
  resource: 'unifiedRbacResourceAction',
  properties: {
    id: { type: 'string', ops: ['eq'] },
    name: { type: 'string', ops: ['eq'] },
    actionVerb: { type: 'string', ops: ['eq'] },
    description: { type: 'string', ops: ['eq'] },
    isPrivileged: { type: 'boolean', ops: ['eq'] },
  },
};
const FIELDS = ['id', 'name', 'actionVerb', 'description', 'isPrivileged', 'isAuthenticationContextSettable', 'authenticationContextId', 'resourceScopeId'];

/** The catalog: every permission the seed's roles grant, plus the settable ones; names as Graph spells them. */
function catalog(state: TenantState): JsonObject[] {
  const names = new Set<string>([...state.roleDefinitions.flatMap((d) => d.allowedResourceActions), ...SETTABLE]);
  return [...names]
    .filter((n) => n.startsWith(`${NAMESPACE}/`))
    .sort()
    .map((name) => {
      const settable = SETTABLE.includes(name);
      return {
        id: name.replace(/\//g, '-'),
        name,
        actionVerb: null,
        description: name,
        isPrivileged: settable || name.includes('/authenticationMethods/') || name.endsWith('/password/update'),
        isAuthenticationContextSettable: settable,
        authenticationContextId: settable ? (state.protectedActions[name] ?? null) : null,
        resourceScopeId: null,
      };
    });
}

/** Beta: GET /roleManagement/directory/resourceNamespaces/microsoft.directory/resourceActions. */
function listActions(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$select', '$top', '$skiptoken']);
  const namespace = param(ctx, 'namespace');
  if (namespace.toLowerCase() !== NAMESPACE) throw directoryErrors.notFound(namespace);
  const matches = readFilter(ctx, ACTION_FILTER);
  const select = readSelect(ctx, FIELDS, 'microsoft.graph.unifiedRbacResourceAction');
  const views = catalog(ctx.tenant)
    .filter((v) => !matches || matches(v))
    .map((v) => project(v, select));
  return collectionResponse(ctx, `roleManagement/directory/resourceNamespaces('${NAMESPACE}')/resourceActions`, views, { top: readTop(ctx) });
}

export const resourceActionRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/roleManagement/directory/resourceNamespaces/{namespace}/resourceActions',
    versions: ['beta'],
    // $filter (eq) on actionVerb, description, id, isPrivileged and name (ACTION_FILTER).
    query: {
      page: 'https://learn.microsoft.com/graph/api/unifiedrbacresourcenamespace-list-resourceactions?view=graph-rest-beta',
      options: ['$filter', '$select', '$top'],
    },
    handler: listActions,
  },
];
