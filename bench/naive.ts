/**
 * The baselines: what an admin's Graph PowerShell loop does, one request at a time, over plain HTTP (no batching, no
 * concurrency). They are honest implementations, not strawmen: each request is needed, and each waits out a 429's
 * Retry-After as Invoke-MgGraphRequest's retry handler would.
 */

export interface Counted {
  readonly roundTrips: number;
}

const METHOD_COLLECTIONS = [
  'phoneMethods',
  'emailMethods',
  'fido2Methods',
  'microsoftAuthenticatorMethods',
  'softwareOathMethods',
  'windowsHelloForBusinessMethods',
  'temporaryAccessPassMethods',
  'platformCredentialMethods',
  'externalAuthenticationMethods',
] as const;
const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
const ALTERNATE_MOBILE = 'b6332ec1-7057-4abe-9331-3d72feddfe41';

/** Where the loop sends its requests, and the app token it got once up front (as Connect-MgGraph does; not counted). */
export interface NaiveGraph {
  readonly url: string;
  readonly token: string;
}

async function call(graph: NaiveGraph, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; tries: number }> {
  for (let tries = 1; ; tries++) {
    const res = await fetch(`${graph.url}/v1.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${graph.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status === 429 && tries < 10) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
      continue;
    }
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, tries };
  }
}

/**
 * Removes every method the naive way: one GET per method type (Get-MgUserAuthenticationPhoneMethod, ...Fido2Method,
 * ...), then one DELETE per method, alternateMobile before mobile and the default (Authenticator, here) last.
 */
export async function naiveRemoveAllMethods(graph: NaiveGraph, userId: string): Promise<Counted & { deleted: number }> {
  let roundTrips = 0;
  const found: { collection: string; id: string }[] = [];
  for (const collection of METHOD_COLLECTIONS) {
    const r = await call(graph, 'GET', `/users/${userId}/authentication/${collection}`);
    roundTrips += r.tries;
    for (const m of (r.json as { value?: { id: string }[] } | undefined)?.value ?? []) found.push({ collection, id: m.id });
  }
  const rank = (m: { collection: string; id: string }): number =>
    m.collection === 'microsoftAuthenticatorMethods' ? 3 : m.id === MOBILE ? 2 : m.id === ALTERNATE_MOBILE ? 0 : 1;
  let deleted = 0;
  const refused: typeof found = [];
  for (const m of [...found].sort((a, b) => rank(a) - rank(b))) {
    const r = await call(graph, 'DELETE', `/users/${userId}/authentication/${m.collection}/${m.id}`);
    roundTrips += r.tries;
    if (r.status === 204) deleted++;
    else refused.push(m);
  }
  // The script does not know which Authenticator is the default: the one refused while others remained goes again.
  for (const m of refused) {
    const r = await call(graph, 'DELETE', `/users/${userId}/authentication/${m.collection}/${m.id}`);
    roundTrips += r.tries;
    if (r.status === 204) deleted++;
  }
  return { roundTrips, deleted };
}

/** Restores users one `POST /directory/deletedItems/{id}/restore` at a time (Restore-MgDirectoryDeletedItem in a loop). */
export async function naiveRestoreUsers(graph: NaiveGraph, userIds: readonly string[]): Promise<Counted & { restored: number }> {
  let roundTrips = 0;
  let restored = 0;
  for (const id of userIds) {
    const r = await call(graph, 'POST', `/directory/deletedItems/${id}/restore`, {});
    roundTrips += r.tries;
    if (r.status === 200) restored++;
  }
  return { roundTrips, restored };
}

/** Revokes every sign-in session and refresh token: `POST /users/{id}/revokeSignInSessions` (Revoke-MgUserSignInSession). */
export async function naiveRevokeSessions(graph: NaiveGraph, userId: string): Promise<Counted & { revoked: boolean }> {
  const r = await call(graph, 'POST', `/users/${userId}/revokeSignInSessions`);
  return { roundTrips: r.tries, revoked: r.status === 200 };
}
