import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import type { GraphRequest, RecreateProfile } from '../domain/plan';
import { DirectoryError, type WriteResult } from '../ports/directory';
import { isNotFound, requestIdOf, toDirectoryError } from './graph-errors';
import { alreadyDone, done, sendWrite } from './graph-writes';

/**
 * The Directory port's writes. Each one is safe to repeat where Graph lets us tell that the work is already done
 * (a restored user is present, a deleted method is gone, the UPN already exists); `alreadyDone` says so. None is
 * retried by the client (graph-client.ts retries only reads): a repeat is always the caller's explicit decision.
 * Secrets (passwords, passes) go only into request bodies and the one return value that must carry them.
 */

const TAP_MESSAGES = {
  badRequest: 'Microsoft Graph refused the Temporary Access Pass: the lifetime or one-time setting is outside the tenant\u2019s TAP policy, or the policy disables TAP.',
  unavailable:
    'Microsoft Graph did not confirm the Temporary Access Pass. A pass may have been created anyway: check the user\u2019s methods before issuing another, because a new pass replaces the old one.',
};

const PASSWORD_UNCONFIRMED =
  'Microsoft Graph did not confirm the new password. It may have been set anyway, but nobody has seen it: Retry sets and shows another one.';

const user = (id: string): string => `/users/${encodeURIComponent(id)}`;

/** The active user named by id or UPN, or undefined when `/users/{key}` does not find one. */
async function activeUser(client: Client, key: string): Promise<Graph.User | undefined> {
  try {
    return (await client.api(user(key)).select(['id', 'displayName', 'mailNickname']).get()) as Graph.User;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** `POST /directory/deletedItems/{id}/restore`. A 404 with the user already active means an earlier restore took effect. */
export async function restoreUser(client: Client, userId: string): Promise<WriteResult> {
  const operation = 'restore user';
  try {
    return done(await sendWrite(client.api(`/directory/deletedItems/${encodeURIComponent(userId)}/restore`), 'POST'));
  } catch (e) {
    if (!isNotFound(e)) throw toDirectoryError(e, operation);
    const present = await activeUser(client, userId).catch((readError: unknown) => {
      throw toDirectoryError(readError, operation);
    });
    if (present?.id) return alreadyDone(e);
    throw new DirectoryError('notFound', 'The user is neither in deleted users nor active: it may have been permanently deleted. Recreate it instead.', requestIdOf(e));
  }
}

function isUpnConflict(error: unknown): boolean {
  return error instanceof GraphError && error.statusCode === 400 && /userPrincipalName/i.test(error.message) && /already exists/i.test(error.message);
}

/**
 * `POST /users` with the last known profile and a password nobody sees. When the UPN already exists with the same
 * display name and mail nickname (an earlier attempt whose answer was lost), that user is returned as already done.
 * A different account holding the UPN is refused: the next steps would reset its password and issue it a pass.
 */
export async function createUser(client: Client, profile: RecreateProfile, initialPassword: string): Promise<WriteResult & { readonly userId: string }> {
  const operation = 'create user';
  const body = {
    accountEnabled: true,
    displayName: profile.displayName,
    mailNickname: profile.mailNickname,
    userPrincipalName: profile.userPrincipalName,
    ...(profile.jobTitle ? { jobTitle: profile.jobTitle } : {}),
    ...(profile.department ? { department: profile.department } : {}),
    passwordProfile: { password: initialPassword, forceChangePasswordNextSignIn: true },
  };
  try {
    const answer = await sendWrite(client.api('/users'), 'POST', body);
    const id = (answer.body as Graph.User | undefined)?.id;
    if (!id) throw new DirectoryError('unavailable', 'Microsoft Graph created the user but did not return its id.', answer.requestId);
    return { ...done(answer), userId: id };
  } catch (e) {
    if (!isUpnConflict(e)) throw toDirectoryError(e, operation);
    const existing = await activeUser(client, profile.userPrincipalName).catch((readError: unknown) => {
      throw toDirectoryError(readError, operation);
    });
    if (!existing?.id || existing.displayName !== profile.displayName || existing.mailNickname !== profile.mailNickname) {
      throw new DirectoryError('badRequest', 'Another account already uses this user principal name; it was not created by this recovery. Choose another UPN or recover that account instead.', requestIdOf(e));
    }
    return { ...alreadyDone(e), userId: existing.id };
  }
}

/**
 * DELETE on a method's per-type URL (plan.deleteRequest). A 404 for an active user means the method is already gone;
 * a 404 because the user is deleted or unknown is notFound, not success: a soft-deleted user's methods come back
 * with a restore. The generic `methods/{id}` URL is refused before sending: Graph answers it with a 404 too.
 */
export async function deleteMethod(client: Client, request: GraphRequest): Promise<WriteResult> {
  if (request.method !== 'DELETE' || !request.path.startsWith('/users/') || !request.path.includes('/authentication/') || /\/authentication\/methods\//i.test(request.path)) {
    throw new Error(`deleteMethod needs a per-type DELETE request from plan.deleteRequest, not ${request.method} ${request.path}`);
  }
  const operation = 'delete authentication method';
  try {
    return done(await sendWrite(client.api(request.path).version(request.version), 'DELETE'));
  } catch (e) {
    if (!isNotFound(e)) throw toDirectoryError(e, operation);
    const owner = await activeUser(client, decodeURIComponent(request.path.split('/')[2] ?? '')).catch((readError: unknown) => {
      throw toDirectoryError(readError, operation);
    });
    if (owner?.id) return alreadyDone(e);
    throw new DirectoryError('notFound', 'The user is not an active account, so its methods cannot be deleted. Restore the user first.', requestIdOf(e));
  }
}

/** `POST /users/{id}/revokeSignInSessions`. Repeating it revokes again, which is harmless. */
export async function revokeSessions(client: Client, userId: string): Promise<WriteResult> {
  try {
    return done(await sendWrite(client.api(`${user(userId)}/revokeSignInSessions`), 'POST'));
  } catch (e) {
    throw toDirectoryError(e, 'revoke sessions');
  }
}

/** `PATCH /users/{id}` passwordProfile (an admin reset; changePassword is self-service only). */
export async function setPassword(client: Client, userId: string, password: string, forceChangeAtNextSignIn: boolean): Promise<WriteResult> {
  const body = { passwordProfile: { password, forceChangePasswordNextSignIn: forceChangeAtNextSignIn, forceChangePasswordNextSignInWithMfa: false } };
  try {
    return done(await sendWrite(client.api(user(userId)), 'PATCH', body));
  } catch (e) {
    throw toDirectoryError(e, 'set password', { unavailable: PASSWORD_UNCONFIRMED });
  }
}

/**
 * `POST /users/{id}/authentication/temporaryAccessPassMethods`. Sent once: a repeat would replace the pass already
 * handed out, so a failure says to check the methods instead of trying again.
 */
export async function createTap(
  client: Client,
  userId: string,
  options: { lifetimeInMinutes: number; isUsableOnce: boolean },
): Promise<WriteResult & { readonly pass: string; readonly expiresAt: string; readonly lifetimeInMinutes: number }> {
  const operation = 'create Temporary Access Pass';
  const request = client.api(`${user(userId)}/authentication/temporaryAccessPassMethods`);
  const answer = await sendWrite(request, 'POST', { lifetimeInMinutes: options.lifetimeInMinutes, isUsableOnce: options.isUsableOnce }).catch((e: unknown) => {
    throw toDirectoryError(e, operation, TAP_MESSAGES);
  });
  const tap = (answer.body ?? {}) as Graph.TemporaryAccessPassAuthenticationMethod;
  if (!tap.temporaryAccessPass) throw new DirectoryError('unavailable', `${TAP_MESSAGES.unavailable} (${operation}: no pass in the answer)`, answer.requestId);
  const lifetimeInMinutes = tap.lifetimeInMinutes ?? options.lifetimeInMinutes;
  const start = Date.parse(tap.startDateTime ?? tap.createdDateTime ?? '');
  const expiresAt = new Date((Number.isFinite(start) ? start : Date.now()) + lifetimeInMinutes * 60_000).toISOString();
  return { ...done(answer), pass: tap.temporaryAccessPass, expiresAt, lifetimeInMinutes };
}
