import { z } from 'zod';
import { modified, writeAudit } from '../audit-writer';
import { methodErrors } from '../errors';
import { noOptions, rejectUnimplementedOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import { defaultIsAvailable } from '../method-rules';
import { entityResponse } from '../paging';
import { requireBody, requireUser } from '../route-helpers';
import { DefaultMethodSchema } from '../seed-schema';
import { methodsOf } from '../tenant-state';

const PreferencesPatchSchema = z
  .object({
    userPreferredMethodForSecondaryAuthentication: DefaultMethodSchema.optional(),
    isSystemPreferredAuthenticationMethodEnabled: z.boolean().optional(),
  })
  .strict();

function getPreferences(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const user = requireUser(ctx);
  // signInPreferences has these two properties only (https://learn.microsoft.com/graph/api/resources/signinpreferences?view=graph-rest-beta);
  // which method the system prefers is on userRegistrationDetails (systemPreferredAuthenticationMethods).
  return entityResponse(ctx, `users('${user.id}')/authentication/signInPreferences`, {
    isSystemPreferredAuthenticationMethodEnabled: user.isSystemPreferredAuthenticationMethodEnabled,
    userPreferredMethodForSecondaryAuthentication: user.userPreferredMethodForSecondaryAuthentication,
  });
}

/** Beta PATCH signInPreferences: how a caller moves the default before deleting the method it points at. */
function patchPreferences(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const parsed = PreferencesPatchSchema.safeParse(requireBody(ctx));
  if (!parsed.success)
    throw methodErrors.badRequest(`Invalid signInPreferences: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { userPreferredMethodForSecondaryAuthentication: preferred, isSystemPreferredAuthenticationMethodEnabled: system } = parsed.data;
  if (preferred !== undefined && !defaultIsAvailable(preferred, methodsOf(ctx.tenant, user.id))) {
    throw methodErrors.badRequest(
      `The user has no registered authentication method for the default '${preferred}'. Register the method before making it the default.`,
    );
  }
  const before = user.userPreferredMethodForSecondaryAuthentication;
  if (preferred !== undefined) user.userPreferredMethodForSecondaryAuthentication = preferred;
  if (system !== undefined) user.isSystemPreferredAuthenticationMethodEnabled = system;
  if (preferred !== undefined && preferred !== before) {
    user.registrationUpdatedDateTime = ctx.now.toISOString();
    writeAudit(ctx, {
      activityDisplayName: 'Admin updated security info',
      loggedByService: 'Authentication Methods',
      operationType: 'Update',
      resultReason: 'Admin updated default sign-in method for user',
      target: {
        id: user.id,
        displayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
        modifiedProperties: [modified('userPreferredMethodForSecondaryAuthentication', before, preferred)],
      },
      additionalDetails: [{ key: 'DefaultMethod', value: preferred }],
    });
  }
  return { status: 204 };
}

export const signInPreferenceRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/users/{user}/authentication/signInPreferences',
    versions: ['beta'],
    query: noOptions('https://learn.microsoft.com/graph/api/authentication-get?view=graph-rest-beta'),
    handler: getPreferences,
  },
  {
    method: 'PATCH',
    path: '/users/{user}/authentication/signInPreferences',
    versions: ['beta'],
    query: noOptions('https://learn.microsoft.com/graph/api/authentication-update?view=graph-rest-beta'),
    handler: patchPreferences,
  },
];
