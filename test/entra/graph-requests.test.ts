import type { AccessToken, TokenCredential } from '@azure/identity';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { deleteRequest } from '../../src/domain/plan';
import type { MethodType } from '../../src/domain/target';
import { createGraphClient } from '../../src/entra/graph-client';
import { graphPath } from '../../src/entra/graph-path';
import { GraphRequestGuard } from '../../src/entra/graph-request-guard';
import { matchRequest, UnregisteredGraphRequestError, type RequestToMatch } from '../../src/entra/graph-request-match';
import { ALL_REQUESTS, PERMISSIONS_TO_GRANT, REQUESTS } from '../../src/entra/graph-requests';
import { NextLinkPage } from '../../src/entra/middleware-context';
import { TEST_NOW } from '../helpers/test-clock';

const GUID = '9a1b7c20-0001-4e8a-9c11-000000000001';

/** The registry id a request matches, or the reason it matches none. */
function idOf(request: Partial<RequestToMatch> & { pathAndQuery: string }): string {
  const found = matchRequest({ method: 'GET', version: 'v1.0', ...request });
  return found.ok ? found.spec.id : `refused: ${found.reason}`;
}

describe('the registry: one entry per Graph request, each complete', () => {
  it('has unique ids and unique method/version/path triples', () => {
    expect(new Set(ALL_REQUESTS.map((r) => r.id)).size).toBe(ALL_REQUESTS.length);
    expect(new Set(ALL_REQUESTS.map((r) => `${r.method} ${r.version} ${r.path}`)).size).toBe(ALL_REQUESTS.length);
  });

  it('cites a Graph reference page for each entry (the beta page for a beta request), and names a permission for each but $batch', () => {
    for (const r of ALL_REQUESTS) {
      expect(r.reference).toMatch(/^https:\/\/learn\.microsoft\.com\/graph\//);
      if (r.path !== '/$batch') {
        expect(r.reference.endsWith('?view=graph-rest-beta')).toBe(r.version === 'beta');
        expect(r.permissions.length).toBeGreaterThan(0);
      } else expect(r.permissions).toEqual([]);
    }
  });

  it('lets the client repeat reads, deletes, revocations, restores and the password PATCH, never a create or a $batch', () => {
    const repeatable = ALL_REQUESTS.filter((r) => r.mayRepeat).map((r) => r.id);
    for (const r of ALL_REQUESTS.filter((x) => x.method === 'GET' || x.method === 'DELETE')) expect(repeatable).toContain(r.id);
    expect(repeatable).toEqual(
      expect.arrayContaining(['users.revokeSignInSessions', 'directory.deletedItems.restore', 'users.checkMemberGroups', 'users.update.passwordProfile']),
    );
    for (const id of ['users.create', 'users.authentication.temporaryAccessPassMethods.create', '$batch', 'beta.$batch']) expect(repeatable).not.toContain(id);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(REQUESTS)).toBe(true);
    expect(Object.isFrozen(REQUESTS.directoryAuditsList.permissions)).toBe(true);
    expect(() => (REQUESTS.usersGet.query.$select as string[]).push('passwordProfile')).toThrow(TypeError);
  });

  it('grants every request\u2019s least privileged permissions: both of List directoryAudits, and the TAP policy\u2019s own', () => {
    // directoryaudit-list: "AuditLog.Read.All and Directory.Read.All"; temporaryaccesspassauthenticationmethodconfiguration-get:
    // Policy.Read.AuthenticationMethod (Policy.Read.All is not listed).
    expect(REQUESTS.directoryAuditsList.permissions).toEqual(['AuditLog.Read.All', 'Directory.Read.All']);
    expect(PERMISSIONS_TO_GRANT).toEqual(
      expect.arrayContaining(['AuditLog.Read.All', 'Directory.Read.All', 'Policy.Read.AuthenticationMethod', 'User.DeleteRestore.All']),
    );
    expect(new Set(PERMISSIONS_TO_GRANT)).toEqual(new Set(ALL_REQUESTS.flatMap((r) => r.permissions)));
  });

  it('holds the DELETE the plan builds for every method type it can delete (plan.deleteRequest, in the domain)', () => {
    const types: MethodType[] = [
      'phone',
      'email',
      'microsoftAuthenticator',
      'fido2',
      'windowsHelloForBusiness',
      'platformCredential',
      'softwareOath',
      'hardwareOath',
      'temporaryAccessPass',
      'externalAuthentication',
      'qrCodePin',
    ];
    const deletes = ALL_REQUESTS.filter((r) => r.method === 'DELETE').map((r) => r.id);
    const matched = types.map((type) => {
      const request = deleteRequest(GUID, { id: 'f1e2d3c4-0000-4000-8000-000000000001', type, detail: '' });
      if (!request) throw new Error(`no delete for ${type}`);
      return idOf({ method: request.method, version: request.version, pathAndQuery: request.path });
    });
    expect(matched.sort()).toEqual([...deletes].sort());
  });
});

describe('matching a request against the registry', () => {
  it('finds the entry by method, version and path, a parameter standing for one (encoded) segment', () => {
    expect(idOf({ pathAndQuery: `/users/${GUID}?$select=id,displayName` })).toBe('users.get');
    expect(idOf({ pathAndQuery: '/users/adele%40contoso.com' })).toBe('users.get');
    expect(idOf({ pathAndQuery: "/users/o'hara%2Fx%40contoso.com" })).toBe('users.get');
    expect(idOf({ method: 'PATCH', pathAndQuery: `/users/${GUID}` })).toBe('users.update.passwordProfile');
    expect(idOf({ pathAndQuery: `/users/${GUID}/authentication/methods` })).toBe('users.authentication.methods.list');
    expect(idOf({ version: 'beta', pathAndQuery: `/users/${GUID}/authentication/hardwareOathMethods` })).toBe('users.authentication.hardwareOathMethods.list');
    // The cast is a literal segment and wins over the {objectId} of the same length.
    expect(idOf({ pathAndQuery: '/directory/deletedItems/microsoft.graph.user' })).toBe('directory.deletedItems.user.list');
    expect(idOf({ pathAndQuery: `/directory/deletedItems/${GUID}` })).toBe('directory.deletedItems.get');
  });

  it('refuses another version, another method, another path and an empty segment', () => {
    expect(idOf({ version: 'beta', pathAndQuery: `/users/${GUID}/authentication/methods` })).toMatch(/^refused: no entry for GET beta\/users/);
    expect(idOf({ pathAndQuery: `/users/${GUID}/authentication/hardwareOathMethods` })).toMatch(/^refused: no entry/);
    expect(idOf({ method: 'DELETE', pathAndQuery: `/users/${GUID}` })).toMatch(/^refused: no entry for DELETE/);
    expect(idOf({ method: 'POST', pathAndQuery: `/users/${GUID}/authentication/methods` })).toMatch(/^refused/);
    expect(idOf({ pathAndQuery: `/users/${GUID}/memberOf` })).toMatch(/^refused/);
    expect(idOf({ method: 'DELETE', pathAndQuery: `/users/${GUID}/authentication/fido2Methods/` })).toMatch(/^refused/);
    expect(idOf({ method: 'DELETE', pathAndQuery: `/users/${GUID}/authentication/methods/m1` })).toMatch(/^refused/);
    expect(idOf({ version: 'v2.0', pathAndQuery: '/users' })).toMatch(/^refused/);
  });

  it('refuses a query option, a property or a value the entry does not declare', () => {
    expect(idOf({ pathAndQuery: `/users/${GUID}?$expand=manager` })).toMatch(/^refused: \$expand is not an option users\.get sends/);
    expect(idOf({ pathAndQuery: `/users/${GUID}?$select=id,passwordProfile` })).toMatch(/^refused: \$select passwordProfile is not declared/);
    expect(idOf({ pathAndQuery: `/users/${GUID}?$top=1` })).toMatch(/^refused/);
    expect(idOf({ pathAndQuery: '/users?$top=1&$select=id&$select=displayName' })).toMatch(/^refused: \$select appears twice/);
    expect(idOf({ pathAndQuery: '/auditLogs/signIns?$top=0' })).toMatch(/^refused: \$top=0/);
    // roleDefinitions documents no $top (rbacapplication-list-roledefinitions: $filter and $expand).
    expect(idOf({ pathAndQuery: '/roleManagement/directory/roleDefinitions?$top=1' })).toMatch(/^refused: \$top is not an option/);
    expect(idOf({ pathAndQuery: '/roleManagement/directory/roleAssignments?$expand=principal' })).toMatch(/^refused/);
    expect(idOf({ pathAndQuery: '/roleManagement/directory/roleAssignments?$expand=roleDefinition' })).toBe('roleManagement.directory.roleAssignments.list');
  });

  it('accepts a $filter only in one of the entry\u2019s forms, a string literal being one literal (quotes doubled)', () => {
    const roles = (filter: string): string => idOf({ pathAndQuery: `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(filter)}` });
    expect(roles(`principalId eq '${GUID}'`)).toBe('roleManagement.directory.roleAssignments.list');
    expect(roles("principalId eq 'it''s'' or ''1'")).toBe('roleManagement.directory.roleAssignments.list');
    expect(roles(`principalId ne '${GUID}'`)).toMatch(/^refused: \$filter .* is none of the forms/);
    expect(roles(`principalId eq '${GUID}' or roleDefinitionId eq 'x'`)).toMatch(/^refused/);
    const audits = (filter: string): string => idOf({ pathAndQuery: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}` });
    expect(audits(`targetResources/any(t: t/id eq '${GUID}') and activityDateTime ge 2026-11-04T12:00:00.000Z`)).toBe('auditLogs.directoryAudits.list');
    expect(audits("activityDisplayName eq 'Hard Delete user' and activityDateTime ge 2026-11-04T12:00:00Z")).toBe('auditLogs.directoryAudits.list');
    expect(audits("activityDisplayName eq 'Delete user' and activityDateTime ge 2026-11-04T12:00:00Z")).toMatch(/^refused/);
    expect(audits(`targetResources/any(t: t/id eq '${GUID}') and activityDateTime ge yesterday`)).toMatch(/^refused/);
  });

  it('accepts $skiptoken only on a collection the bot pages through, and a page size Graph chose only on a next link', () => {
    expect(idOf({ pathAndQuery: `/users/${GUID}/authentication/methods?$skiptoken=abc` })).toBe('users.authentication.methods.list');
    expect(idOf({ pathAndQuery: `/users/${GUID}?$skiptoken=abc` })).toMatch(/^refused: \$skiptoken/);
    expect(idOf({ pathAndQuery: `/users/${GUID}/authentication/methods?$top=5&$skiptoken=abc` })).toMatch(/^refused: \$top/);
    expect(idOf({ pathAndQuery: `/users/${GUID}/authentication/methods?$top=5&$skiptoken=abc`, nextLink: true })).toBe('users.authentication.methods.list');
  });

  it('requires ConsistencyLevel: eventual with $count or endswith, and refuses it where the entry never sends it', () => {
    const transitive = `/roleManagement/directory/transitiveRoleAssignments?$filter=${encodeURIComponent(`principalId eq '${GUID}'`)}&$count=true`;
    expect(idOf({ version: 'beta', pathAndQuery: transitive, consistencyLevel: 'eventual' })).toBe('roleManagement.directory.transitiveRoleAssignments.list');
    expect(idOf({ version: 'beta', pathAndQuery: transitive, consistencyLevel: null })).toMatch(/^refused: .* needs ConsistencyLevel: eventual/);
    const deleted = `/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent("endswith(userPrincipalName,'adele@contoso.com')")}`;
    expect(idOf({ pathAndQuery: deleted, consistencyLevel: null })).toMatch(/^refused/);
    expect(idOf({ pathAndQuery: `/users/${GUID}`, consistencyLevel: 'eventual' })).toMatch(/^refused: users\.get is not sent with ConsistencyLevel/);
  });
});

describe('building a request from its entry (graphPath)', () => {
  it('encodes path parameters and writes the declared options', () => {
    expect(graphPath(REQUESTS.usersGet, { userKey: 'o#hara/x@contoso.com' }, { $select: ['id', 'displayName'] })).toBe(
      '/users/o%23hara%2Fx%40contoso.com?$select=id,displayName',
    );
    expect(graphPath(REQUESTS.deletedUsersList, {}, { $filter: "endswith(userPrincipalName,'a@b.c')", $count: true, $select: ['id'] })).toBe(
      `/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent("endswith(userPrincipalName,'a@b.c')")}&$count=true&$select=id`,
    );
    expect(graphPath(REQUESTS.batchBeta)).toBe('/$batch');
  });

  it('refuses a missing or extra path parameter, an undeclared option or property, and a filter of another form', () => {
    const refused = (build: () => string): string => {
      try {
        return `built ${build()}`;
      } catch (e) {
        return e instanceof UnregisteredGraphRequestError ? `${e.code}: ${e.reason}` : String(e);
      }
    };
    expect(refused(() => graphPath(REQUESTS.usersGet))).toBe('GRAPH.UNREGISTERED_REQUEST: path parameter {userKey} is missing');
    expect(refused(() => graphPath(REQUESTS.usersGet, { userKey: '' }))).toBe('GRAPH.UNREGISTERED_REQUEST: path parameter {userKey} is missing');
    expect(refused(() => graphPath(REQUESTS.usersGet, { userKey: 'u', groupId: 'g' }))).toBe(
      'GRAPH.UNREGISTERED_REQUEST: groupId is not a path parameter of /users/{userKey}',
    );
    expect(refused(() => graphPath(REQUESTS.usersGet, { userKey: 'u' }, { $top: 5 }))).toBe('GRAPH.UNREGISTERED_REQUEST: users.get sends no $top');
    expect(refused(() => graphPath(REQUESTS.usersGet, { userKey: 'u' }, { $select: ['passwordProfile'] }))).toBe(
      'GRAPH.UNREGISTERED_REQUEST: $select passwordProfile is not declared for users.get',
    );
    expect(refused(() => graphPath(REQUESTS.signInsList, {}, { $filter: "userId eq 'u'" }))).toMatch(
      /^GRAPH\.UNREGISTERED_REQUEST: \$filter "userId eq 'u'" is none of the forms/,
    );
  });
});

/** The end of a middleware chain: records what reached it, answers 200. */
class Terminal implements Middleware {
  readonly reached: string[] = [];
  execute(context: Context): Promise<void> {
    this.reached.push(typeof context.request === 'string' ? context.request : context.request.url);
    context.response = new Response('{}', { status: 200 });
    return Promise.resolve();
  }
}

describe('the guard middleware: nothing unregistered leaves the client', () => {
  const run = async (request: string, options: RequestInit, nextLink = false): Promise<{ reached: string[]; error?: unknown }> => {
    const guard = new GraphRequestGuard();
    const terminal = new Terminal();
    guard.setNext(terminal);
    const middlewareControl = { getMiddlewareOptions: (fn: unknown) => (nextLink && fn === NextLinkPage ? new NextLinkPage() : undefined) };
    try {
      await guard.execute({ request, options, middlewareControl } as unknown as Context);
      return { reached: terminal.reached };
    } catch (error) {
      return { reached: terminal.reached, error };
    }
  };
  const batch = (requests: object[]): RequestInit => ({ method: 'POST', body: JSON.stringify({ requests }) });

  it('passes a registered request and a next-link page, refuses an unregistered one before the next middleware', async () => {
    expect(await run(`https://graph.microsoft.com/v1.0/users/${GUID}?$select=id`, { method: 'GET' })).toEqual({
      reached: [`https://graph.microsoft.com/v1.0/users/${GUID}?$select=id`],
    });
    expect((await run(`https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=999&$skiptoken=x`, { method: 'GET' }, true)).error).toBeUndefined();
    const refused = await run('https://graph.microsoft.com/v1.0/groups?$top=1', { method: 'GET' });
    expect(refused.reached).toEqual([]);
    expect(refused.error).toBeInstanceOf(UnregisteredGraphRequestError);
    expect((refused.error as UnregisteredGraphRequestError).code).toBe('GRAPH.UNREGISTERED_REQUEST');
  });

  it('checks every request inside a $batch against the batch\u2019s version', async () => {
    const methods = { id: '1', method: 'GET', url: `/users/${GUID}/authentication/methods` };
    const hardware = { id: '2', method: 'DELETE', url: `/users/${GUID}/authentication/hardwareOathMethods/h1` };
    expect((await run('https://graph.microsoft.com/v1.0/$batch', batch([methods]))).reached).toHaveLength(1);
    expect((await run('https://graph.microsoft.com/beta/$batch', batch([hardware]))).reached).toHaveLength(1);
    // A beta-only delete in a v1.0 batch, an undeclared option, a nested batch, a body that is not a batch.
    for (const [url, options] of [
      ['https://graph.microsoft.com/v1.0/$batch', batch([methods, hardware])],
      ['https://graph.microsoft.com/v1.0/$batch', batch([{ ...methods, url: `${methods.url}?$expand=x` }])],
      ['https://graph.microsoft.com/v1.0/$batch', batch([{ id: '3', method: 'POST', url: '/$batch' }])],
      ['https://graph.microsoft.com/v1.0/$batch', { method: 'POST', body: 'not json' }],
    ] as const) {
      const result = await run(url, options);
      expect(result.reached).toEqual([]);
      expect(result.error).toBeInstanceOf(UnregisteredGraphRequestError);
    }
  });

  it('is the first middleware of the client: no token is asked for an unregistered request, and no error mapping hides it', async () => {
    let tokens = 0;
    const credential: TokenCredential = {
      getToken: (): Promise<AccessToken> => {
        tokens++;
        return Promise.resolve({ token: 't', expiresOnTimestamp: TEST_NOW.getTime() + 60_000 });
      },
    };
    // Nothing listens on port 9: a request that got past the guard would fail to connect instead.
    const client = createGraphClient({ baseUrl: 'http://127.0.0.1:9', credential, retry: { maxRetries: 0 } });
    await expect(client.api('/groups').get()).rejects.toBeInstanceOf(UnregisteredGraphRequestError);
    expect(tokens).toBe(0);
  });
});
