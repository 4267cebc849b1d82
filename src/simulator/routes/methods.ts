import { modified, writeAudit } from '../audit-writer';
import { GraphHttpError, methodErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions, type DocumentedQuery } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import { METHOD_KINDS, methodLabel } from '../method-catalog';
import { assertDeletable, defaultMethodOf } from '../method-rules';
import { methodView } from '../method-views';
import { collectionResponse, entityResponse } from '../paging';
import { param, requireUser } from '../route-helpers';
import type { MethodType } from '../seed-schema';
import { methodsOf, type StoredMethod, type UserRecord } from '../tenant-state';

const AUTH = '/users/{user}/authentication';

/**
 * The methods `/authentication/methods` shows in this version: v1.0 returns only types its metadata has, so a hardware
 * OATH token (beta only) is invisible there and must be read through beta `hardwareOathMethods`.
 */
function visibleIn(ctx: RouteContext, m: StoredMethod): boolean {
  return ctx.version === 'beta' || METHOD_KINDS[m.type].inV1;
}

function listOf(ctx: RouteContext, type: MethodType | undefined): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const user = requireUser(ctx);
  const nav = type ? METHOD_KINDS[type].navigation : 'methods';
  const items = methodsOf(ctx.tenant, user.id)
    .filter((m) => (type === undefined ? visibleIn(ctx, m) : m.type === type))
    .map((m) => methodView(m, ctx.now, ctx.tenant.authenticationMethodsPolicy, ctx.version));
  return collectionResponse(ctx, `users('${user.id}')/authentication/${nav}`, items);
}

function find(ctx: RouteContext, user: UserRecord, type: MethodType | undefined): StoredMethod {
  const id = param(ctx, 'id');
  const method = methodsOf(ctx.tenant, user.id).find((m) => m.id === id && (type === undefined ? visibleIn(ctx, m) : m.type === type));
  if (!method) throw methodErrors.notFound();
  return method;
}

function getOne(ctx: RouteContext, type: MethodType | undefined): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const user = requireUser(ctx);
  const method = find(ctx, user, type);
  const nav = type ? METHOD_KINDS[type].navigation : 'methods';
  return entityResponse(
    ctx,
    `users('${user.id}')/authentication/${nav}/$entity`,
    methodView(method, ctx.now, ctx.tenant.authenticationMethodsPolicy, ctx.version),
  );
}

/** Removes a method after Graph's ordering checks, and writes "Admin deleted security info". */
export function deleteMethod(ctx: RouteContext, user: UserRecord, method: StoredMethod): SimResponse {
  const list = methodsOf(ctx.tenant, user.id);
  assertDeletable(user, list, method);
  const wasDefault = defaultMethodOf(user, list) === method;
  list.splice(list.indexOf(method), 1);
  if (wasDefault) user.userPreferredMethodForSecondaryAuthentication = 'none';
  user.registrationUpdatedDateTime = ctx.now.toISOString();
  const label = methodLabel(method);
  const phone = method.type === 'phone' ? [modified('PhoneType', method.phoneType, undefined), modified('PhoneNumber', method.phoneNumber, undefined)] : [];
  writeAudit(ctx, {
    activityDisplayName: 'Admin deleted security info',
    loggedByService: 'Authentication Methods',
    operationType: 'Delete',
    resultReason: `Admin deleted ${label} method for user`,
    target: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      modifiedProperties: [modified('MethodType', method.type, undefined), ...phone],
    },
    additionalDetails: [
      { key: 'MethodType', value: method.type },
      { key: 'MethodId', value: method.id },
      { key: 'Method', value: label },
    ],
  });
  return { status: 204 };
}

function deleteOne(ctx: RouteContext, type: MethodType): SimResponse {
  const user = requireUser(ctx);
  return deleteMethod(ctx, user, find(ctx, user, type));
}

/**
 * DELETE on the abstract `methods/{id}` is routed by Graph to the MFA service, which has no such controller; users
 * see this body (msgraph-sdk-powershell#937, docs-contrib#1267). Clients must use the per-type URL.
 */
function deleteGeneric(ctx: RouteContext): SimResponse {
  requireUser(ctx);
  const id = param(ctx, 'id');
  const inner = {
    Message: `No HTTP resource was found that matches the request URI 'https://mface.windowsazure.com/odata/users('${param(ctx, 'user')}')/authentication/methods('${id}')'.`,
    MessageDetail: "No type was found that matches the controller named 'users'.",
  };
  throw new GraphHttpError(404, 'UnknownError', JSON.stringify(inner));
}

function singleton(ctx: RouteContext): { user: UserRecord; method: StoredMethod } {
  const user = requireUser(ctx);
  const method = methodsOf(ctx.tenant, user.id).find((m) => m.type === 'qrCodePin');
  if (!method) throw methodErrors.notFound();
  return { user, method };
}

const REFERENCE = 'https://learn.microsoft.com/graph/api/';

/**
 * The reference pages of one method type: list `authentication-list-{navigation}`, get `{type}-get`, delete
 * `{type}-delete`. They document no optional query parameters ("This method does not support optional query
 * parameters", authentication-list-phonemethods), except beta hardwareOathMethods: `$select`, `$filter` and `$top`
 * (authentication-list-hardwareoathmethods; the simulator does not implement them).
 */
function methodPages(type: MethodType): { list: DocumentedQuery; get: DocumentedQuery; remove: DocumentedQuery } {
  const kind = METHOD_KINDS[type];
  const view = kind.betaOnly ? '?view=graph-rest-beta' : '';
  const entity = kind.odataType.slice('#microsoft.graph.'.length).toLowerCase();
  const list = `${REFERENCE}authentication-list-${kind.navigation.toLowerCase()}${view}`;
  return {
    list: type === 'hardwareOath' ? { page: list, options: ['$filter', '$select', '$top'] } : noOptions(list),
    get: noOptions(`${REFERENCE}${entity}-get${view}`),
    remove: noOptions(`${REFERENCE}${entity}-delete${view}`),
  };
}

function typedRoutes(type: MethodType): Route[] {
  const kind = METHOD_KINDS[type];
  const versions = kind.betaOnly ? (['beta'] as const) : undefined;
  const base = `${AUTH}/${kind.navigation}`;
  const pages = methodPages(type);
  const routes: Route[] = [
    { method: 'GET', path: base, versions, query: pages.list, handler: (ctx) => listOf(ctx, type) },
    { method: 'GET', path: `${base}/{id}`, versions, query: pages.get, handler: (ctx) => getOne(ctx, type) },
  ];
  if (type === 'password') return routes;
  // External methods are removed as a reference (documented DELETE .../externalAuthenticationMethods/{id}/$ref).
  const deletePath = type === 'externalAuthentication' ? `${base}/{id}/$ref` : `${base}/{id}`;
  routes.push({ method: 'DELETE', path: deletePath, versions, query: pages.remove, handler: (ctx) => deleteOne(ctx, type) });
  return routes;
}

const COLLECTION_TYPES: readonly MethodType[] = (Object.keys(METHOD_KINDS) as MethodType[]).filter((t) => !METHOD_KINDS[t].singleton);

export const methodRoutes: readonly Route[] = [
  { method: 'GET', path: `${AUTH}/methods`, query: noOptions(`${REFERENCE}authentication-list-methods`), handler: (ctx) => listOf(ctx, undefined) },
  { method: 'GET', path: `${AUTH}/methods/{id}`, query: noOptions(`${REFERENCE}authenticationmethod-get`), handler: (ctx) => getOne(ctx, undefined) },
  { method: 'DELETE', path: `${AUTH}/methods/{id}`, query: noOptions(`${REFERENCE}resources/authenticationmethod`), handler: deleteGeneric },
  ...COLLECTION_TYPES.flatMap(typedRoutes),
  {
    method: 'GET',
    path: `${AUTH}/qrCodePinMethod`,
    versions: ['beta'],
    query: noOptions(`${REFERENCE}qrcodepinauthenticationmethod-get?view=graph-rest-beta`),
    handler: (ctx) => {
      const { user, method } = singleton(ctx);
      return entityResponse(
        ctx,
        `users('${user.id}')/authentication/qrCodePinMethod/$entity`,
        methodView(method, ctx.now, ctx.tenant.authenticationMethodsPolicy, ctx.version),
      );
    },
  },
  {
    method: 'DELETE',
    path: `${AUTH}/qrCodePinMethod`,
    versions: ['beta'],
    query: noOptions(`${REFERENCE}authentication-delete-qrcodepinmethod?view=graph-rest-beta`),
    handler: (ctx) => {
      const { user, method } = singleton(ctx);
      return deleteMethod(ctx, user, method);
    },
  },
];
