import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import type { GraphRequest, RecreateProfile } from '../domain/plan';
import { DirectoryError, type IssuedTap, type WriteResult } from '../ports/directory';
import { isNotFound, requestIdOf, toDirectoryError } from './graph-errors';
import { graphRequest } from './graph-path';
import { REQUESTS } from './graph-requests';
import { alreadyDone, done, sendWrite } from './graph-writes';
import { realTiming, retryAfterFrom, type Timing } from '../resilience';

/**
 * The Directory port's writes. Each one is safe to repeat where Graph lets us tell that the work is already done
 * (a restored user is present, a deleted method is gone, the UPN already exists); `alreadyDone` says so. The client
 * repeats what the request's registry entry allows (graph-requests.ts `mayRepeat`): reads, DELETEs, restore, revoke and
 * the password reset (the identical body); never a TAP create (createTap below decides) or a user create.
 * Secrets (passwords, passes) go only into request bodies and the one return value that must carry them.
 */

const TAP_MESSAGES = {
  badRequest:
    'Microsoft Graph refused the Temporary Access Pass: the lifetime or one-time setting is outside the tenant\u2019s TAP policy, or the policy disables TAP.',
  unavailable:
    'Microsoft Graph did not confirm the Temporary Access Pass. A pass may have been created anyway: check the user\u2019s methods before issuing another, because a new pass replaces the old one.',
};

const PASSWORD_UNCONFIRMED =
  'Microsoft Graph did not confirm the new password, also after repeating the same request. It may have been set anyway, but nobody has seen it: Retry sets and shows another one.';

/** The active user named by id or UPN, or undefined when `/users/{key}` does not find one. */
async function activeUser(client: Client, key: string): Promise<Graph.User | undefined> {
  try {
    return (await graphRequest(client, REQUESTS.usersGet, { userKey: key }, { $select: ['id', 'displayName', 'mailNickname'] }).get()) as Graph.User;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** `POST /directory/deletedItems/{id}/restore`. A 404 with the user already active means an earlier restore took effect. */
export async function restoreUser(client: Client, userId: string): Promise<WriteResult> {
  const operation = 'restore user';
  try {
    return done(await sendWrite(graphRequest(client, REQUESTS.deletedItemRestore, { objectId: userId }), 'POST'));
  } catch (e) {
    if (!isNotFound(e)) throw toDirectoryError(e, operation);
    const present = await activeUser(client, userId).catch((readError: unknown) => {
      throw toDirectoryError(readError, operation);
    });
    if (present?.id) return alreadyDone(e);
    throw new DirectoryError(
      'notFound',
      'The user is neither in deleted users nor active: it may have been permanently deleted. Recreate it instead.',
      requestIdOf(e),
    );
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
    const answer = await sendWrite(graphRequest(client, REQUESTS.usersCreate), 'POST', body);
    const id = (answer.body as Graph.User | undefined)?.id;
    if (!id) throw new DirectoryError('unavailable', 'Microsoft Graph created the user but did not return its id.', answer.requestId);
    return { ...done(answer), userId: id };
  } catch (e) {
    if (!isUpnConflict(e)) throw toDirectoryError(e, operation);
    const existing = await activeUser(client, profile.userPrincipalName).catch((readError: unknown) => {
      throw toDirectoryError(readError, operation);
    });
    if (!existing?.id || existing.displayName !== profile.displayName || existing.mailNickname !== profile.mailNickname) {
      throw new DirectoryError(
        'badRequest',
        'Another account already uses this user principal name; it was not created by this recovery. Choose another UPN or recover that account instead.',
        requestIdOf(e),
      );
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
  if (
    request.method !== 'DELETE' ||
    !request.path.startsWith('/users/') ||
    !request.path.includes('/authentication/') ||
    /\/authentication\/methods\//i.test(request.path)
  ) {
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
    return done(await sendWrite(graphRequest(client, REQUESTS.usersRevokeSignInSessions, { userId }), 'POST'));
  } catch (e) {
    throw toDirectoryError(e, 'revoke sessions');
  }
}

/**
 * `PATCH /users/{id}` passwordProfile (an admin reset; changePassword is self-service only). After a transient failure
 * the client sends the identical body again: whichever copy lands last sets the same password, the one the agent will
 * see, so a lost answer costs no second value and leaves nothing unseen.
 */
export async function setPassword(client: Client, userId: string, password: string, forceChangeAtNextSignIn: boolean): Promise<WriteResult> {
  const body = { passwordProfile: { password, forceChangePasswordNextSignIn: forceChangeAtNextSignIn, forceChangePasswordNextSignInWithMfa: false } };
  const request = graphRequest(client, REQUESTS.usersUpdatePassword, { userId });
  try {
    return done(await sendWrite(request, 'PATCH', body));
  } catch (e) {
    throw toDirectoryError(e, 'set password', { unavailable: PASSWORD_UNCONFIRMED });
  }
}

/** How the TAP create waits for an attempt whose answer was lost; tests pass a fake clock. */
export interface TapIssueTiming extends Pick<Timing, 'now' | 'sleep'> {
  /**
   * How long a create that timed out (or answered 504, or lost its connection) may still land after the client gave
   * up: as long again as the client waited for it (the retry policy's attempt limit).
   */
  readonly landingWindowMs: number;
  /** Between two reads of the user's passes while waiting for a late landing. */
  readonly pollMs: number;
}

/** Real time; the window is the Graph client's attempt limit. */
export function defaultTapTiming(landingWindowMs: number): TapIssueTiming {
  return { landingWindowMs, pollMs: Math.max(10, Math.min(250, landingWindowMs / 8)), sleep: realTiming.sleep, now: realTiming.now };
}

/** At most this many creates for one reveal. */
const TAP_CREATES = 3;

/** Graph refused before running it (429), or may have run it; and if so, whether it may still be running. */
function lostCreate(error: unknown): 'notRun' | 'ran?' | 'running?' | undefined {
  const status = error instanceof GraphError ? error.statusCode : -1;
  if (status === 429) return 'notRun';
  if (status === 502 || status === 503) return 'ran?';
  if (status === 504 || status <= 0) return 'running?';
  return undefined;
}

async function tapsOf(client: Client, userId: string): Promise<Graph.TemporaryAccessPassAuthenticationMethod[]> {
  const page = (await graphRequest(client, REQUESTS.tapMethodsList, { userId }).get()) as { value?: Graph.TemporaryAccessPassAuthenticationMethod[] };
  return page.value ?? [];
}

async function deleteTaps(client: Client, userId: string, taps: readonly Graph.TemporaryAccessPassAuthenticationMethod[]): Promise<string[]> {
  const requestIds: string[] = [];
  for (const tap of taps) {
    if (!tap.id) continue;
    try {
      requestIds.push(...done(await sendWrite(graphRequest(client, REQUESTS.tapMethodsDelete, { userId, methodId: tap.id }), 'DELETE')).requestIds);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return requestIds;
}

/**
 * `POST /users/{id}/authentication/temporaryAccessPassMethods`: issues the one pass the agent will see. Graph keeps one
 * pass per user and a create replaces the pass there (authentication-post-temporaryaccesspassmethods), so a create is
 * never simply sent again: after one whose answer was lost, any pass it made (nobody saw it) is waited for when it may
 * still be running, deleted, and only then is a new one created, then read back: the user must hold exactly the pass
 * returned, else a late copy replaced it and the round starts again. At most three creates; then the failure says to
 * check the methods. A late copy landing after the read-back is not excluded; the next reveal deletes it.
 */
export async function createTap(
  client: Client,
  userId: string,
  options: { lifetimeInMinutes: number; isUsableOnce: boolean },
  timing: TapIssueTiming,
): Promise<IssuedTap> {
  const operation = 'create Temporary Access Pass';
  const requestIds: string[] = [];
  let unseenDeleted = 0;
  let lost: ReturnType<typeof lostCreate>;
  for (let attempt = 1; ; attempt++) {
    try {
      if (lost === 'running?') await waitForLanding(client, userId, timing);
      if (lost) {
        const stray = await tapsOf(client, userId);
        requestIds.push(...(await deleteTaps(client, userId, stray)));
        unseenDeleted += stray.length;
      }
    } catch (e) {
      throw toDirectoryError(e, operation, TAP_MESSAGES);
    }
    let answer;
    try {
      answer = await sendWrite(graphRequest(client, REQUESTS.tapCreate, { userId }), 'POST', {
        lifetimeInMinutes: options.lifetimeInMinutes,
        isUsableOnce: options.isUsableOnce,
      });
    } catch (e) {
      lost = lostCreate(e);
      if (!lost || attempt >= TAP_CREATES) throw toDirectoryError(e, operation, TAP_MESSAGES);
      const asked = lost === 'notRun' && e instanceof GraphError ? retryAfterFrom(e.headers, timing.now()) : undefined;
      if (asked !== undefined && asked > timing.landingWindowMs) throw toDirectoryError(e, operation, TAP_MESSAGES);
      if (asked) await timing.sleep(asked);
      continue;
    }
    const tap = (answer.body ?? {}) as Graph.TemporaryAccessPassAuthenticationMethod;
    if (!tap.temporaryAccessPass || !tap.id)
      throw new DirectoryError('unavailable', `${TAP_MESSAGES.unavailable} (${operation}: no pass in the answer)`, answer.requestId);
    requestIds.push(...done(answer).requestIds);
    if (attempt > 1 && lost !== 'notRun') {
      const held = await tapsOf(client, userId).catch((e: unknown) => {
        throw toDirectoryError(e, operation, TAP_MESSAGES);
      });
      if (held.length !== 1 || held[0]?.id !== tap.id) {
        lost = 'running?';
        if (attempt < TAP_CREATES) continue;
        throw new DirectoryError('unavailable', `${TAP_MESSAGES.unavailable} (${operation}: a late copy replaced the pass)`, answer.requestId);
      }
    }
    const lifetimeInMinutes = tap.lifetimeInMinutes ?? options.lifetimeInMinutes;
    const start = Date.parse(tap.startDateTime ?? tap.createdDateTime ?? '');
    const expiresAt = new Date((Number.isFinite(start) ? start : timing.now()) + lifetimeInMinutes * 60_000).toISOString();
    return { requestIds, alreadyDone: false, pass: tap.temporaryAccessPass, expiresAt, lifetimeInMinutes, methodId: tap.id, unseenDeleted };
  }
}

/** Reads the user's passes until one appears (the lost create landed) or the landing window is over. */
async function waitForLanding(client: Client, userId: string, timing: TapIssueTiming): Promise<void> {
  const until = timing.now() + timing.landingWindowMs;
  while ((await tapsOf(client, userId)).length === 0 && timing.now() + timing.pollMs <= until) await timing.sleep(timing.pollMs);
}
