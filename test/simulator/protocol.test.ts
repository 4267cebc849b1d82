import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { fixedClock, graph, ID } from './graph-client';
import { appToken } from '../helpers/simulator-token';

describe('simulated Graph: protocol, authentication and error shapes', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: fixedClock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves on loopback with an ephemeral port and no trailing slash', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([
    ['no Authorization header', {}],
    ['an empty bearer token', { Authorization: 'Bearer ' }],
    ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ])('refuses %s with 401 InvalidAuthenticationToken', async (_name, headers) => {
    const res = await graph(sim, `/users/${ID.adele}`, { headers });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers every request with request-id and echoes client-request-id', async () => {
    const res = await graph(sim, `/users/${ID.adele}`, { extraHeaders: { 'client-request-id': 'c1ient-0001' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('client-request-id')).toBe('c1ient-0001');
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const other = await graph(sim, `/users/${ID.adele}`);
    expect(other.headers.get('request-id')).not.toBe(res.headers.get('request-id'));
    expect(other.headers.get('client-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown user with Graph's exact 404 body", async () => {
    const res = await graph(sim, '/users/nobody@contoso.com', { extraHeaders: { 'client-request-id': 'abc-123' } });
    expect(res.status).toBe(404);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(Object.keys(res.body.error)).toEqual(['code', 'message', 'innerError']);
    expect(res.body.error.code).toBe('Request_ResourceNotFound');
    expect(res.body.error.message).toBe("Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.");
    expect(res.body.error.innerError).toEqual({ date: '2025-06-18T12:00:00', 'request-id': res.headers.get('request-id'), 'client-request-id': 'abc-123' });
  });

  it('names the unknown segment in a 400, like Graph', async () => {
    const res = await graph(sim, `/users/${ID.adele}/nonsense`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: "Resource not found for the segment 'nonsense'." });
    expect((await graph(sim, '/teams')).body.error.message).toBe("Resource not found for the segment 'teams'.");
  });

  it('refuses an unknown version', async () => {
    const res = await graph(sim, '/v2.0/users', { version: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Invalid version: v2.0');
  });

  it('answers 405 for a known path with an unsupported method', async () => {
    const res = await graph(sim, `/users/${ID.adele}`, { method: 'PUT', body: {} });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('Request_BadRequest');
  });

  it('refuses a body that is not JSON, and a JSON body without a content type', async () => {
    const bad = await graph(sim, `/users/${ID.adele}`, { method: 'PATCH', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Unable to read JSON request payload/);
    const untyped = await graph(sim, `/users/${ID.adele}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${await appToken(sim.url)}` },
      body: '{"jobTitle":"x"}',
    });
    expect(untyped.status).toBe(400);
    expect(untyped.body.error.message).toMatch(/Content-Type/);
  });

  it('refuses query options the resource does not support instead of ignoring them', async () => {
    const res = await graph(sim, `/users/${ID.adele}/authentication/methods?$search="x"`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining("Query option 'Search' is not allowed") });
  });

  it('exposes control endpoints without a token', async () => {
    const res = await graph(sim, '/_simulator/health', { version: '', headers: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', tenant: 'Contoso (simulated)', users: 10, deletedUsers: 1 });
    expect((await graph(sim, '/_simulator/nothing', { version: '', headers: {} })).status).toBe(404);
  });
});
