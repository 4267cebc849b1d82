import { GraphHttpError, directoryErrors } from '../errors';
import { rejectUnimplementedOptions } from '../documented-query';
import type { ApiVersion, Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { transitiveRoleAssignments } from '../membership';
import { parseFilter, type FilterExpr } from '../odata-filter';
import { compileFilter, type FilterSchema } from '../odata-filter-eval';
import { readExpand, readFilter, readSelect } from '../odata-query';
import { collectionResponse, entityResponse } from '../paging';
import { param } from '../route-helpers';
import type { RoleAssignmentRecord, RoleDefinitionRecord, TenantState } from '../tenant-state';

const ASSIGNMENT_FILTER: FilterSchema = {
  resource: 'unifiedRoleAssignment',
  properties: {
    id: { type: 'string', ops: ['eq'] },
    principalId: { type: 'string', ops: ['eq'] },
    roleDefinitionId: { type: 'string', ops: ['eq'] },
    directoryScopeId: { type: 'string', ops: ['eq'] },
  },
};

const ASSIGNMENT_PROPERTIES = [
  'id',
  'principalId',
  'roleDefinitionId',
  'directoryScopeId',
  'appScopeId',
  'condition',
  'principalOrganizationId',
  'resourceScope',
];

const DEFINITION_FILTER: FilterSchema = {
  resource: 'unifiedRoleDefinition',
  // rbacapplication-list-roledefinitions: "$filter (eq and in operators) ... on id, displayName, and isBuiltIn".
  properties: { id: { type: 'string', ops: ['eq', 'in'] }, displayName: { type: 'string', ops: ['eq', 'in'] }, isBuiltIn: { type: 'boolean', ops: ['eq'] } },
};

export function roleDefinitionView(d: RoleDefinitionRecord): JsonObject {
  return {
    id: d.id,
    description: d.description,
    displayName: d.displayName,
    isBuiltIn: d.isBuiltIn,
    isEnabled: true,
    resourceScopes: ['/'],
    templateId: d.id,
    version: '1',
    rolePermissions: [{ allowedResourceActions: d.allowedResourceActions, condition: null }],
  };
}

/** A unifiedRoleAssignment: every property of the type, the navigation properties only when expanded. */
function assignmentView(state: TenantState, a: RoleAssignmentRecord, expand: readonly string[], version: ApiVersion): JsonObject {
  const view: JsonObject = {
    id: a.id,
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    directoryScopeId: a.directoryScopeId,
    appScopeId: null,
    condition: null,
    principalOrganizationId: state.tenant.id,
    // beta keeps the older resourceScope, the same value as directoryScopeId (rbacapplication-list-roleassignments examples).
    ...(version === 'beta' ? { resourceScope: a.directoryScopeId } : {}),
  };
  if (expand.includes('roleDefinition')) {
    const def = state.roleDefinitions.find((d) => d.id === a.roleDefinitionId);
    view.roleDefinition = def ? roleDefinitionView(def) : null;
  }
  return view;
}

function listAssignments(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$expand', '$skiptoken']);
  const matches = readFilter(ctx, ASSIGNMENT_FILTER);
  const expand = readExpand(ctx, ['roleDefinition']);
  const views = ctx.tenant.roleAssignments.map((a) => assignmentView(ctx.tenant, a, expand, ctx.version)).filter((v) => !matches || matches(v));
  return collectionResponse(ctx, 'roleManagement/directory/roleAssignments', views);
}

function getAssignment(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$expand']);
  const id = param(ctx, 'id');
  const a = ctx.tenant.roleAssignments.find((x) => x.id === id);
  if (!a) throw directoryErrors.notFound(id);
  return entityResponse(
    ctx,
    'roleManagement/directory/roleAssignments/$entity',
    assignmentView(ctx.tenant, a, readExpand(ctx, ['roleDefinition']), ctx.version),
  );
}

/** Splits a top-level `and` chain into its clauses. */
function conjuncts(expr: FilterExpr): FilterExpr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/**
 * Beta transitiveRoleAssignments: needs `ConsistencyLevel: eventual`, `$count=true` and a `principalId eq` filter
 * (404 without the header, as documented). Other clauses filter the result; the principal clause selects whose
 * roles, because inherited assignments carry the group as principalId.
 */
function listTransitive(ctx: RouteContext): SimResponse {
  // The reference lists `$count`, `$filter` (eq) and `$select` only (microsoft-graph-docs-contrib
  // api-reference/beta/api/rbacapplication-list-transitiveroleassignments.md). How Graph answers `$expand` here is not
  // documented; the simulator answers 400 with Graph's error body (code BadRequest), which is how its gateway refuses a
  // query option a resource does not support, so a client that relies on it fails here as well.
  rejectUnimplementedOptions(ctx, ['$filter', '$select', '$count']);
  if (ctx.request.headers['consistencylevel'] !== 'eventual') {
    throw new GraphHttpError(404, 'Request_ResourceNotFound', 'transitiveRoleAssignments answers 404 without the ConsistencyLevel: eventual header.');
  }
  const raw = ctx.request.query.get('$filter');
  if (raw === null || ctx.request.query.get('$count') !== 'true') {
    throw directoryErrors.unsupportedQuery(
      'transitiveRoleAssignments requires $count=true and a $filter on principalId, with the ConsistencyLevel: eventual header.',
    );
  }
  readFilter(ctx, ASSIGNMENT_FILTER);
  const clauses = conjuncts(parseFilter(raw));
  const principal = clauses.find((c) => c.kind === 'compare' && c.op === 'eq' && c.left.kind === 'property' && c.left.path.join('/') === 'principalId');
  if (!principal || principal.kind !== 'compare' || principal.right.kind !== 'literal' || principal.right.literal.type !== 'string') {
    throw directoryErrors.unsupportedQuery("transitiveRoleAssignments requires a filter clause principalId eq '{id}'.");
  }
  const principalId = principal.right.literal.value.toLowerCase();
  const rest = clauses.filter((c) => c !== principal).map((c) => compileFilter(c, ASSIGNMENT_FILTER));
  const select = readSelect(ctx, ASSIGNMENT_PROPERTIES, 'unifiedRoleAssignment');
  const views = transitiveRoleAssignments(ctx.tenant, principalId)
    .map((a) => assignmentView(ctx.tenant, a, [], ctx.version))
    .filter((v) => rest.every((p) => p(v)))
    .map((v) => (select ? Object.fromEntries(Object.entries(v).filter(([k]) => k === 'id' || select.includes(k))) : v));
  return collectionResponse(ctx, 'roleManagement/directory/transitiveRoleAssignments', views, { count: true });
}

function listDefinitions(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$skiptoken']);
  const matches = readFilter(ctx, DEFINITION_FILTER);
  const views = ctx.tenant.roleDefinitions.map(roleDefinitionView).filter((v) => !matches || matches(v));
  return collectionResponse(ctx, 'roleManagement/directory/roleDefinitions', views);
}

function getDefinition(ctx: RouteContext): SimResponse {
  const id = param(ctx, 'id');
  const def = ctx.tenant.roleDefinitions.find((d) => d.id === id.toLowerCase());
  if (!def) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'roleManagement/directory/roleDefinitions/$entity', roleDefinitionView(def));
}

export const roleRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignments',
    query: { page: 'https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments', options: ['$expand', '$filter', '$select'] },
    handler: listAssignments,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignments/{id}',
    query: { page: 'https://learn.microsoft.com/graph/api/unifiedroleassignment-get', options: ['$expand', '$select'] },
    handler: getAssignment,
  },
  // $filter with eq and in on id, displayName and isBuiltIn (DEFINITION_FILTER), and $expand.
  {
    method: 'GET',
    path: '/roleManagement/directory/roleDefinitions',
    query: { page: 'https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions', options: ['$expand', '$filter'] },
    handler: listDefinitions,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleDefinitions/{id}',
    query: { page: 'https://learn.microsoft.com/graph/api/unifiedroledefinition-get', options: ['$expand', '$select'] },
    handler: getDefinition,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/transitiveRoleAssignments',
    versions: ['beta'],
    // $count, $filter (eq) and $select only: no $expand (issue 14, defect 4).
    query: {
      page: 'https://learn.microsoft.com/graph/api/rbacapplication-list-transitiveroleassignments?view=graph-rest-beta',
      options: ['$count', '$filter', '$select'],
    },
    handler: listTransitive,
  },
];
