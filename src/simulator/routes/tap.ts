import { modified, writeAudit } from '../audit-writer';
import { methodErrors } from '../errors';
import { noOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import { methodView } from '../method-views';
import { entityResponse } from '../paging';
import { optionalBody, requireUser } from '../route-helpers';
import { issueTap, TapRequestSchema } from '../tap-model';

/**
 * POST temporaryAccessPassMethods: the TAP model (tap-model.ts) issues the pass; Entra records an admin registration.
 * The pass is returned once.
 */
function createTap(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const parsed = TapRequestSchema.safeParse(optionalBody(ctx));
  if (!parsed.success)
    throw methodErrors.badRequest(`Invalid request body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { method, pass, replaced } = issueTap(ctx.tenant, user, parsed.data, ctx.now);
  writeAudit(ctx, {
    activityDisplayName: 'Admin registered security info',
    loggedByService: 'Authentication Methods',
    operationType: 'Add',
    resultReason: 'Admin registered temporary access pass method for user',
    target: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      modifiedProperties: [modified('MethodType', undefined, 'temporaryAccessPass')],
    },
    additionalDetails: [
      { key: 'MethodType', value: 'temporaryAccessPass' },
      { key: 'MethodId', value: method.id },
      { key: 'LifetimeInMinutes', value: String(method.lifetimeInMinutes) },
      { key: 'IsUsableOnce', value: String(method.isUsableOnce) },
      ...replaced.map((r) => ({ key: 'ReplacedMethodId', value: r.id })),
    ],
  });
  const view = methodView(method, ctx.now, ctx.tenant.authenticationMethodsPolicy, ctx.version);
  return entityResponse(ctx, `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`, { ...view, temporaryAccessPass: pass }, 201);
}

export const tapRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/users/{user}/authentication/temporaryAccessPassMethods',
    query: noOptions('https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods'),
    handler: createTap,
  },
];
