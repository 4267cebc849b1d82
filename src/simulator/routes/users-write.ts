import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { modified, writeAudit } from '../audit-writer';
import { directoryErrors } from '../errors';
import { noOptions } from '../documented-query';
import type { Route, RouteContext, SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import { contextUrl, entityResponse } from '../paging';
import { isComplexEnough } from '../password-policy';
import { requireBody, requireUser } from '../route-helpers';
import { PASSWORD_METHOD_ID } from '../seed-schema';
import { deletedUpn, findUser, methodsOf, type UserRecord } from '../tenant-state';
import { userView } from '../user-views';

const PasswordProfileSchema = z
  .object({ password: z.string(), forceChangePasswordNextSignIn: z.boolean().optional(), forceChangePasswordNextSignInWithMfa: z.boolean().optional() })
  .strict();

const nullableText = z.string().nullable().optional();
const EditableSchema = z
  .object({
    accountEnabled: z.boolean().optional(),
    displayName: z.string().min(1).optional(),
    mailNickname: z.string().min(1).optional(),
    userPrincipalName: z.string().email().optional(),
    passwordProfile: PasswordProfileSchema.optional(),
    givenName: nullableText,
    surname: nullableText,
    jobTitle: nullableText,
    department: nullableText,
    officeLocation: nullableText,
    mobilePhone: nullableText,
    mail: nullableText,
    usageLocation: nullableText,
    preferredLanguage: nullableText,
    businessPhones: z.array(z.string()).optional(),
  })
  .strict();
type Editable = z.infer<typeof EditableSchema>;
const CreateSchema = EditableSchema.required({ accountEnabled: true, displayName: true, mailNickname: true, userPrincipalName: true, passwordProfile: true });

/** Validates a user body and answers like Graph: unknown property, or invalid value of a named property. */
function parseUserBody<T extends z.ZodTypeAny>(schema: T, body: JsonObject): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data as z.infer<T>;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys')
    throw directoryErrors.badRequest(`Property '${issue.keys[0] ?? ''}' does not exist as a declared property or extension property.`);
  const property = issue?.path[0] ?? 'body';
  throw directoryErrors.badRequest(`Invalid value specified for property '${String(property)}' of resource 'User'.`);
}

function checkUpn(ctx: RouteContext, upn: string, self?: string): void {
  const domain = upn.split('@')[1]?.toLowerCase();
  if (domain !== ctx.tenant.tenant.verifiedDomain.toLowerCase()) {
    throw directoryErrors.badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
  const other = findUser(ctx.tenant, upn);
  if (other && other.id !== self) throw directoryErrors.badRequest('Another object with the same value for property userPrincipalName already exists.');
}

function createUser(ctx: RouteContext): SimResponse {
  const body = parseUserBody(CreateSchema, requireBody(ctx));
  checkUpn(ctx, body.userPrincipalName);
  if (!isComplexEnough(body.passwordProfile.password)) throw directoryErrors.weakPassword();
  const now = ctx.now.toISOString();
  const user: UserRecord = {
    id: randomUUID(),
    displayName: body.displayName,
    givenName: body.givenName ?? null,
    surname: body.surname ?? null,
    userPrincipalName: body.userPrincipalName,
    mail: body.mail ?? null,
    otherMails: [],
    mailNickname: body.mailNickname,
    jobTitle: body.jobTitle ?? null,
    department: body.department ?? null,
    officeLocation: body.officeLocation ?? null,
    mobilePhone: body.mobilePhone ?? null,
    businessPhones: body.businessPhones ?? [],
    preferredLanguage: body.preferredLanguage ?? null,
    usageLocation: body.usageLocation ?? null,
    accountEnabled: body.accountEnabled,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    createdDateTime: now,
    lastPasswordChangeDateTime: now,
    userPreferredMethodForSecondaryAuthentication: 'none',
    isSystemPreferredAuthenticationMethodEnabled: false,
    passwordReset: {
      resetDateTime: now,
      forceChangePasswordNextSignIn: body.passwordProfile.forceChangePasswordNextSignIn ?? true,
      forceChangePasswordNextSignInWithMfa: body.passwordProfile.forceChangePasswordNextSignInWithMfa ?? false,
    },
    signInSessionsValidFromDateTime: now,
    registrationUpdatedDateTime: now,
  };
  ctx.tenant.users.set(user.id, user);
  ctx.tenant.methods.set(user.id, [{ type: 'password', id: PASSWORD_METHOD_ID, createdDateTime: now }]);
  // The password itself never reaches the audit log.
  const visible = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'passwordProfile'));
  const changes = Object.entries(visible).map(([k, v]) => modified(k.charAt(0).toUpperCase() + k.slice(1), undefined, [v]));
  writeAudit(ctx, {
    activityDisplayName: 'Add user',
    loggedByService: 'Core Directory',
    operationType: 'Add',
    target: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      modifiedProperties: [...changes, modified('Included Updated Properties', undefined, Object.keys(visible).join(', '))],
    },
  });
  return entityResponse(ctx, 'users/$entity', userView(ctx.tenant, user, undefined), 201);
}

type ProfileKey = Exclude<keyof Editable, 'passwordProfile'>;

function resetPassword(ctx: RouteContext, user: UserRecord, profile: NonNullable<Editable['passwordProfile']>): void {
  if (!isComplexEnough(profile.password)) throw directoryErrors.weakPassword();
  const now = ctx.now.toISOString();
  const force = profile.forceChangePasswordNextSignIn ?? false;
  const forceMfa = profile.forceChangePasswordNextSignInWithMfa ?? false;
  // Only the fact, the time and the flags are kept: the simulator never stores a password.
  user.passwordReset = { resetDateTime: now, forceChangePasswordNextSignIn: force, forceChangePasswordNextSignInWithMfa: forceMfa };
  user.lastPasswordChangeDateTime = now;
  const password = methodsOf(ctx.tenant, user.id).find((m) => m.type === 'password');
  if (password) password.createdDateTime = now;
  const target = { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  writeAudit(ctx, { activityDisplayName: 'Reset password', loggedByService: 'Core Directory', operationType: 'Update', target });
  if (force || forceMfa) {
    writeAudit(ctx, {
      activityDisplayName: 'Set force change user password',
      loggedByService: 'Core Directory',
      operationType: 'Update',
      target: {
        ...target,
        modifiedProperties: [
          modified('ForceChangePasswordNextSignIn', undefined, force),
          modified('ForceChangePasswordNextSignInWithMfa', undefined, forceMfa),
        ],
      },
    });
  }
}

function updateUser(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const body = parseUserBody(EditableSchema, requireBody(ctx));
  if (body.userPrincipalName !== undefined) checkUpn(ctx, body.userPrincipalName, user.id);
  if (body.passwordProfile) resetPassword(ctx, user, body.passwordProfile);
  const changes: { displayName: string; oldValue: string | null; newValue: string | null }[] = [];
  const wasEnabled = user.accountEnabled;
  for (const key of Object.keys(body) as (keyof Editable)[]) {
    if (key === 'passwordProfile') continue;
    const k: ProfileKey = key;
    const before = user[k];
    const after = body[k];
    if (after === undefined || JSON.stringify(before) === JSON.stringify(after)) continue;
    changes.push(modified(k.charAt(0).toUpperCase() + k.slice(1), [before], [after]));
    Object.assign(user, { [k]: after });
  }
  if (changes.length > 0) {
    const target = { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
    writeAudit(ctx, {
      activityDisplayName: 'Update user',
      loggedByService: 'Core Directory',
      operationType: 'Update',
      target: { ...target, modifiedProperties: [...changes, modified('Included Updated Properties', undefined, changes.map((c) => c.displayName).join(', '))] },
    });
    if (wasEnabled !== user.accountEnabled) {
      writeAudit(ctx, {
        activityDisplayName: user.accountEnabled ? 'Enable account' : 'Disable account',
        loggedByService: 'Core Directory',
        operationType: 'Update',
        target,
      });
    }
  }
  return { status: 204 };
}

function deleteUser(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const deletedDateTime = ctx.now.toISOString();
  ctx.tenant.users.delete(user.id);
  const upn = deletedUpn(user.id, user.userPrincipalName);
  ctx.tenant.deletedUsers.set(user.id, { ...user, deletedDateTime, originalUserPrincipalName: user.userPrincipalName, userPrincipalName: upn });
  writeAudit(ctx, {
    activityDisplayName: 'Delete user',
    loggedByService: 'Core Directory',
    operationType: 'Delete',
    target: { id: user.id, displayName: user.displayName, userPrincipalName: upn },
    additionalDetails: [{ key: 'UserType', value: user.userType }],
  });
  return { status: 204 };
}

function revokeSignInSessions(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  const before = user.signInSessionsValidFromDateTime;
  user.signInSessionsValidFromDateTime = ctx.now.toISOString();
  writeAudit(ctx, {
    activityDisplayName: 'Update StsRefreshTokenValidFrom Timestamp',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    target: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      modifiedProperties: [modified('StsRefreshTokensValidFrom', [before], [user.signInSessionsValidFromDateTime])],
    },
  });
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'Edm.Boolean'), value: true } };
}

export const userWriteRoutes: readonly Route[] = [
  { method: 'POST', path: '/users', query: noOptions('https://learn.microsoft.com/graph/api/user-post-users'), handler: createUser },
  { method: 'PATCH', path: '/users/{user}', query: noOptions('https://learn.microsoft.com/graph/api/user-update'), handler: updateUser },
  { method: 'DELETE', path: '/users/{user}', query: noOptions('https://learn.microsoft.com/graph/api/user-delete'), handler: deleteUser },
  {
    method: 'POST',
    path: '/users/{user}/revokeSignInSessions',
    query: noOptions('https://learn.microsoft.com/graph/api/user-revokesigninsessions'),
    handler: revokeSignInSessions,
  },
];
