import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { modified, writeAudit } from '../audit-writer';
import { methodErrors } from '../errors';
import { noOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import { methodView } from '../method-views';
import { entityResponse } from '../paging';
import { digest } from '../password-policy';
import { optionalBody, requireUser } from '../route-helpers';
import { methodsOf, type TapMethod } from '../tenant-state';

const TapRequestSchema = z
  .object({
    startDateTime: z.string().datetime({ offset: true }).optional(),
    lifetimeInMinutes: z.number().int().optional(),
    isUsableOnce: z.boolean().optional(),
  })
  .strict();

/** Characters of a generated pass: no look-alikes (0/O, 1/l/I), a few symbols, like Entra's passes. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*+=?';

function generatePass(length: number): string {
  let pass = '';
  for (let i = 0; i < length; i++) pass += ALPHABET.charAt(randomInt(ALPHABET.length));
  return pass;
}

/**
 * POST temporaryAccessPassMethods: validated against the tenant's TAP policy; replaces the user's existing pass (one
 * per user); returns the pass once. Only a SHA-256 of it is kept, so GET can never show it.
 */
function createTap(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const parsed = TapRequestSchema.safeParse(optionalBody(ctx));
  if (!parsed.success)
    throw methodErrors.badRequest(`Invalid request body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const body = parsed.data;
  const policy = ctx.tenant.authenticationMethodsPolicy;
  const tap = policy.temporaryAccessPass;
  if (tap.state !== 'enabled' || policy.methodStates.TemporaryAccessPass === 'disabled') {
    throw methodErrors.badRequest('Temporary Access Pass is disabled by the authentication methods policy.');
  }
  const lifetime = body.lifetimeInMinutes ?? tap.defaultLifetimeInMinutes;
  if (lifetime < tap.minimumLifetimeInMinutes || lifetime > tap.maximumLifetimeInMinutes) {
    throw methodErrors.badRequest(
      `Invalid LifetimeInMinutes specified. The valid range between ${tap.minimumLifetimeInMinutes} and ${tap.maximumLifetimeInMinutes}.`,
    );
  }
  if (tap.isUsableOnce && body.isUsableOnce === false) {
    throw methodErrors.badRequest('The Temporary Access Pass policy only allows one-time passes: isUsableOnce must be true.');
  }
  const now = ctx.now.toISOString();
  const pass = generatePass(tap.defaultLength);
  const method: TapMethod = {
    type: 'temporaryAccessPass',
    id: randomUUID(),
    createdDateTime: now,
    startDateTime: body.startDateTime ? new Date(body.startDateTime).toISOString() : now,
    lifetimeInMinutes: lifetime,
    isUsableOnce: body.isUsableOnce ?? tap.isUsableOnce,
    passHash: digest(pass),
    usedDateTime: null,
  };
  const list = methodsOf(ctx.tenant, user.id);
  const replaced = list.filter((m) => m.type === 'temporaryAccessPass');
  for (const old of replaced) list.splice(list.indexOf(old), 1);
  list.push(method);
  user.registrationUpdatedDateTime = now;
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
      { key: 'LifetimeInMinutes', value: String(lifetime) },
      { key: 'IsUsableOnce', value: String(method.isUsableOnce) },
      ...replaced.map((r) => ({ key: 'ReplacedMethodId', value: r.id })),
    ],
  });
  const view = methodView(method, ctx.now, policy, ctx.version);
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
