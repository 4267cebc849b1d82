import { GRAPH_ROUTES } from '../../src/simulator/all-routes';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { permissionsFor, ROUTE_PERMISSIONS } from '../../src/simulator/route-permissions';
import { DEMO_APP, appToken } from '../helpers/simulator-token';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { fixedClock, graph, ID } from './graph-client';

/** A simulator of its own for one test, closed afterwards. */
async function withSimulator(options: SimulatorOptions, body: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ port: 0, ...options });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

const tokenRequest = (url: string, fields: Record<string, string>, tenant: string = DEMO_APP.tenantId) =>
  fetch(`${url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const good = {
  grant_type: 'client_credentials',
  client_id: DEMO_APP.clientId,
  client_secret: DEMO_APP.clientSecret,
  scope: 'https://graph.microsoft.com/.default',
};
const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const setGrants = (url: string, grantedPermissions: readonly string[]) =>
  fetch(`${url}/_simulator/app/permissions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grantedPermissions }) });
const without = (permission: string): string[] => DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== permission);

describe('the permission table', () => {
  it('has exactly one entry for every route the simulated tenant answers, each with a reference page', () => {
    for (const route of GRAPH_ROUTES)
      expect([route.method, route.path, permissionsFor(route)?.reference]).toEqual([
        route.method,
        route.path,
        expect.stringMatching(/^https:\/\/learn\.microsoft\.com\/graph\/api\//),
      ]);
    expect(ROUTE_PERMISSIONS.length).toBe(GRAPH_ROUTES.length);
  });
});

describe('simulated tenant: token endpoint', () => {
  it('issues a signed app token for the demo app: Graph audience, tenant, app, service principal and the granted permissions as roles', async () => {
    await withSimulator({ now: fixedClock }, async (sim) => {
      const res = await tokenRequest(sim.url, good);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
      const claims = claimsOf(String(body.access_token));
      const iat = fixedClock().getTime() / 1000;
      expect(claims).toMatchObject({
        aud: 'https://graph.microsoft.com',
        tid: DEMO_APP.tenantId,
        appid: DEMO_APP.clientId,
        azp: DEMO_APP.clientId,
        idtyp: 'app',
        iat,
        nbf: iat,
        exp: iat + 3599,
      });
      expect(claims.oid).toBe(sim.tenant.callerApp.servicePrincipalId);
      expect(claims.roles).toEqual([...DEFAULT_GRANTED_PERMISSIONS]);
    });
  });

  it.each([
    ['a wrong secret', { client_secret: 'nope' }, 401, 'invalid_client', 7000215],
    ['no secret', { client_secret: undefined }, 401, 'invalid_client', 7000218],
    ['an unknown client id', { client_id: '00000000-0000-0000-0000-000000000001' }, 400, 'unauthorized_client', 700016],
    ['another grant type', { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
    ['a scope without /.default', { scope: 'User.Read.All' }, 400, 'invalid_scope', 1002012],
    ['no scope', { scope: undefined }, 400, 'invalid_request', 900144],
  ])('refuses %s as Entra does', async (_name, change, status, error, code) => {
    await withSimulator({ now: fixedClock }, async (sim) => {
      const fields = Object.fromEntries(Object.entries({ ...good, ...change }).filter((e): e is [string, string] => e[1] !== undefined));
      const res = await tokenRequest(sim.url, fields);
      expect(res.status).toBe(status);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ error, error_codes: [code], error_uri: `https://login.microsoftonline.com/error?code=${code}` });
      expect(String(body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `));
      expect(body).not.toHaveProperty('access_token');
    });
  });

  it('refuses an unknown tenant', async () => {
    await withSimulator({ now: fixedClock }, async (sim) => {
      const res = await tokenRequest(sim.url, good, 'fabrikam.com');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    });
  });
});

describe('simulated tenant: tokens on Graph requests', () => {
  it.each([
    ['not a JWT', () => 'simulated-tenant-token', 'CompactToken parsing failed with error code: 80049217'],
    [
      'a forged token (roles edited, signature kept)',
      (real: string) => {
        const [h, p, s] = real.split('.');
        const claims = { ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')), roles: ['Directory.ReadWrite.All'] };
        return [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
      },
      'Access token validation failure.',
    ],
  ])('answers 401 InvalidAuthenticationToken to %s', async (_name, make, message) => {
    await withSimulator({ now: fixedClock }, async (sim) => {
      const token = make(await appToken(sim.url));
      const res = await graph(sim, `/users/${ID.adele}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message });
    });
  });

  it('answers 401 once the token has expired (Graph: "Access token has expired or is not yet valid.")', async () => {
    let now = fixedClock().getTime();
    await withSimulator({ now: () => new Date(now) }, async (sim) => {
      const token = await appToken(sim.url);
      now += 3600_000;
      const res = await graph(sim, `/users/${ID.adele}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Access token has expired or is not yet valid.');
    });
  });
});

describe('simulated tenant: permissions', () => {
  it('answers 403 with the body Graph gives in each workload, and changes nothing', async () => {
    await withSimulator({ now: fixedClock, grantedPermissions: [] }, async (sim) => {
      const user = await graph(sim, `/users/${ID.adele}`);
      expect(user.status).toBe(403);
      expect(user.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
      expect(Object.keys(user.body.error.innerError)).toEqual(['date', 'request-id', 'client-request-id']);
      const methods = await graph(sim, `/users/${ID.adele}/authentication/methods`);
      expect(methods.body.error).toMatchObject({ code: 'accessDenied', message: 'Request Authorization failed' });
      const signIns = await graph(sim, '/auditLogs/signIns');
      expect(signIns.body.error).toMatchObject({
        code: 'Authentication_MSGraphPermissionMissing',
        message: 'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
      });
      const ca = await graph(sim, '/identity/conditionalAccess/policies');
      expect(ca.body.error).toMatchObject({
        code: 'AccessDenied',
        message: 'You cannot perform the requested operation, required scopes are missing in the token.',
      });
      const before = JSON.stringify(sim.tenant.users.get(ID.adele));
      const revoke = await graph(sim, `/users/${ID.adele}/revokeSignInSessions`, { method: 'POST', body: {} });
      expect(revoke.status).toBe(403);
      expect(JSON.stringify(sim.tenant.users.get(ID.adele))).toBe(before);
    });
  });

  it('needs both AuditLog.Read.All and Directory.Read.All for the directory audit log, and AuditLog.Read.All for signInActivity', async () => {
    await withSimulator({ now: fixedClock, grantedPermissions: without('Directory.Read.All') }, async (sim) => {
      const audits = await graph(sim, '/auditLogs/directoryAudits');
      expect(audits.status).toBe(403);
      expect(audits.body.error.message).toBe('Calling principal does not have required MSGraph permissions Directory.Read.All');
      expect((await graph(sim, '/auditLogs/signIns')).status).toBe(200);
    });
    await withSimulator({ now: fixedClock, grantedPermissions: without('AuditLog.Read.All') }, async (sim) => {
      expect((await graph(sim, `/users/${ID.adele}?$select=id,displayName`)).status).toBe(200);
      const activity = await graph(sim, `/users/${ID.adele}?$select=id,signInActivity`);
      expect(activity.status).toBe(403);
      expect(activity.body.error.code).toBe('Authentication_MSGraphPermissionMissing');
    });
  });

  it('checks each request inside $batch the same way', async () => {
    await withSimulator({ now: fixedClock, grantedPermissions: without('User.RevokeSessions.All') }, async (sim) => {
      const res = await graph(sim, '/$batch', {
        body: {
          requests: [
            { id: '1', method: 'GET', url: `/users/${ID.adele}?$select=id` },
            { id: '2', method: 'POST', url: `/users/${ID.adele}/revokeSignInSessions`, body: {}, headers: { 'Content-Type': 'application/json' } },
          ],
        },
      });
      const byId = Object.fromEntries((res.body.responses as { id: string; status: number; body: { error?: { code: string } } }[]).map((r) => [r.id, r]));
      expect(byId['1']?.status).toBe(200);
      expect(byId['2']?.status).toBe(403);
      expect(byId['2']?.body.error?.code).toBe('Authorization_RequestDenied');
    });
  });

  it('a change of grants reaches new tokens only: a token issued before keeps its roles until it expires', async () => {
    await withSimulator({ now: fixedClock }, async (sim) => {
      const old = await appToken(sim.url);
      expect((await setGrants(sim.url, without('User.RevokeSessions.All'))).status).toBe(200);
      const app = (await (await fetch(`${sim.url}/_simulator/app`)).json()) as { grantedPermissions: string[] };
      expect(app.grantedPermissions).not.toContain('User.RevokeSessions.All');
      const withOld = await graph(sim, `/users/${ID.adele}/revokeSignInSessions`, {
        method: 'POST',
        body: {},
        headers: { Authorization: `Bearer ${old}`, 'Content-Type': 'application/json' },
      });
      expect(withOld.status).toBe(200);
      const withNew = await graph(sim, `/users/${ID.adele}/revokeSignInSessions`, { method: 'POST', body: {} });
      expect(withNew.status).toBe(403);
      expect((await setGrants(sim.url, ['Not a permission!'])).status).toBe(400);
    });
  });
});
