import { directoryErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import type { FilterProperty, FilterSchema } from '../odata-filter-eval';
import { readFilter, readOrderBy, readTop } from '../odata-query';
import { collectionResponse, entityResponse } from '../paging';
import { param } from '../route-helpers';
import type { SignInRecord } from '../sign-in-record';
import type { AuditRecord } from '../tenant-state';

const eq: FilterProperty = { type: 'string', ops: ['eq'] };
const eqStarts: FilterProperty = { type: 'string', ops: ['eq', 'startswith'] };
/** directoryaudit-list documents eq, ge, le and startswith: no gt or lt. */
const when: FilterProperty = { type: 'datetime', ops: ['eq', 'ge', 'le'] };

/** What Graph documents as filterable on directoryAudit (spec §5). */
const AUDIT_FILTER: FilterSchema = {
  resource: 'directoryAudit',
  properties: {
    id: eq,
    activityDateTime: when,
    activityDisplayName: eqStarts,
    category: eq,
    correlationId: eq,
    loggedByService: eq,
    result: eq,
    'initiatedBy/user/id': eq,
    'initiatedBy/user/displayName': eq,
    'initiatedBy/user/userPrincipalName': eqStarts,
    'initiatedBy/app/appId': eq,
    'initiatedBy/app/displayName': eq,
  },
  collections: { targetResources: { id: eq, displayName: eqStarts, userPrincipalName: eqStarts, type: eq } },
};

const SIGN_IN_FILTER: FilterSchema = {
  resource: 'signIn',
  properties: {
    id: eq,
    createdDateTime: when,
    userId: eq,
    userPrincipalName: eqStarts,
    userDisplayName: eqStarts,
    appId: eq,
    appDisplayName: eqStarts,
    ipAddress: eqStarts,
    correlationId: eq,
    conditionalAccessStatus: eq,
    riskLevelDuringSignIn: eq,
    riskState: eq,
    clientAppUsed: eq,
    isInteractive: { type: 'boolean', ops: ['eq'] },
    'status/errorCode': { type: 'number', ops: ['eq', 'ne'] },
    'location/city': eqStarts,
    'location/countryOrRegion': eq,
  },
};

/** A directoryAudit as Graph returns it: both initiatedBy branches present, one of them null. */
export function auditView(a: AuditRecord): JsonObject {
  const initiatedBy: JsonObject = 'user' in a.initiatedBy ? { app: null, user: { ...a.initiatedBy.user } } : { app: { ...a.initiatedBy.app }, user: null };
  return {
    id: a.id,
    category: a.category,
    correlationId: a.correlationId,
    result: a.result,
    resultReason: a.resultReason,
    activityDisplayName: a.activityDisplayName,
    activityDateTime: a.activityDateTime,
    loggedByService: a.loggedByService,
    operationType: a.operationType,
    initiatedBy,
    targetResources: a.targetResources.map((t) => ({ ...t, modifiedProperties: t.modifiedProperties.map((m) => ({ ...m })) })),
    additionalDetails: a.additionalDetails.map((d) => ({ ...d })),
  };
}

/**
 * A sign-in in the requested version: the authentication details are beta-only (spec §6). Graph sends every property
 * of signIn (msgraph-metadata schemas/v1.0-Prod.csdl), null when unset; the simulated sign-ins are interactive user
 * sign-ins in the home tenant, so the service-principal fields, the user agent and the Authenticator device details are
 * null.
 */
export function signInView(s: SignInRecord, version: RouteContext['version'], tenantId: string): JsonObject {
  const { beta, ...v1 } = s;
  const base: JsonObject = {
    ...(JSON.parse(JSON.stringify(v1)) as JsonObject),
    homeTenantId: tenantId,
    resourceTenantId: tenantId,
    // Not nullable in the metadata: a user sign-in has an empty service principal id.
    servicePrincipalId: '',
    servicePrincipalName: null,
    userAgent: null,
    authenticationAppDeviceDetails: null,
  };
  // v1.0 keeps the legacy enum form of riskEventTypes_v2 (the same names for the classic detections); beta has no
  // riskEventTypes (msgraph-metadata type mappings).
  if (version === 'v1.0') return { ...base, riskEventTypes: [...s.riskEventTypes_v2] };
  return { ...base, ...(JSON.parse(JSON.stringify(beta)) as JsonObject) };
}

/** Newest first by default; ties keep the order written (later writes first when descending). */
function sorted<T>(items: readonly T[], time: (t: T) => string, descending: boolean): T[] {
  const indexed = items.map((item, index) => ({ item, index, at: Date.parse(time(item)) }));
  indexed.sort((a, b) => (a.at - b.at || a.index - b.index) * (descending ? -1 : 1));
  return indexed.map((x) => x.item);
}

function listAudits(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$top', '$skiptoken', '$orderby']);
  const matches = readFilter(ctx, AUDIT_FILTER);
  const order = readOrderBy(ctx, ['activityDateTime'], { property: 'activityDateTime', descending: true });
  const views = sorted(ctx.tenant.audits, (a) => a.activityDateTime, order.descending)
    .map(auditView)
    .filter((v) => !matches || matches(v));
  return collectionResponse(ctx, 'auditLogs/directoryAudits', views, { top: readTop(ctx, 999) });
}

function getAudit(ctx: RouteContext): SimResponse {
  const id = param(ctx, 'id');
  const audit = ctx.tenant.audits.find((a) => a.id === id);
  if (!audit) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'auditLogs/directoryAudits/$entity', auditView(audit));
}

/** Newest first, as signin-list documents ("listed in descending order based on createdDateTime"). */
function listSignIns(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$filter', '$top', '$skiptoken']);
  const matches = readFilter(ctx, SIGN_IN_FILTER);
  const views = sorted(ctx.tenant.signIns, (s) => s.createdDateTime, true)
    .map((s) => signInView(s, ctx.version, ctx.tenant.tenant.id))
    .filter((v) => !matches || matches(v));
  return collectionResponse(ctx, 'auditLogs/signIns', views, { top: readTop(ctx, 1000) });
}

function getSignIn(ctx: RouteContext): SimResponse {
  const id = param(ctx, 'id');
  const signIn = ctx.tenant.signIns.find((s) => s.id === id);
  if (!signIn) throw directoryErrors.notFound(id);
  return entityResponse(ctx, 'auditLogs/signIns/$entity', signInView(signIn, ctx.version, ctx.tenant.tenant.id));
}

export const auditLogRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/auditLogs/directoryAudits',
    query: { page: 'https://learn.microsoft.com/graph/api/directoryaudit-list', options: ['$filter', '$orderby', '$top'] },
    handler: listAudits,
  },
  { method: 'GET', path: '/auditLogs/directoryAudits/{id}', query: noOptions('https://learn.microsoft.com/graph/api/directoryaudit-get'), handler: getAudit },
  // $orderby is not among the options the page lists ($top, $skiptoken, $filter): the log comes newest first.
  {
    method: 'GET',
    path: '/auditLogs/signIns',
    query: { page: 'https://learn.microsoft.com/graph/api/signin-list', options: ['$filter', '$top'] },
    handler: listSignIns,
  },
  { method: 'GET', path: '/auditLogs/signIns/{id}', query: noOptions('https://learn.microsoft.com/graph/api/signin-get'), handler: getSignIn },
];
