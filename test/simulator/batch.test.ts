import { graph, ID, useResetSimulator } from './graph-client';

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string; message: string; innerError: Record<string, string> }; [key: string]: unknown };
}

describe('simulated Graph: JSON batching', () => {
  const sim = useResetSimulator();

  const batch = async (requests: unknown[], version: 'v1.0' | 'beta' = 'v1.0') => graph(sim(), '/$batch', { version, body: { requests } });
  const byId = (responses: BatchResponse[], id: string): BatchResponse => {
    const found = responses.find((r) => r.id === id);
    if (!found) throw new Error(`no response ${id}`);
    return found;
  };

  it('runs inner requests through the same router, with the outer token', async () => {
    const res = await batch([
      { id: '1', method: 'GET', url: `/users/${ID.adele}?$select=id,displayName` },
      { id: '2', method: 'GET', url: `users/${ID.adele}/authentication/methods` },
      { id: '3', method: 'GET', url: '/users/ghost@contoso.com' },
    ]);
    expect(res.status).toBe(200);
    const responses = res.body.responses as BatchResponse[];
    expect(responses).toHaveLength(3);
    expect(byId(responses, '1')).toMatchObject({ status: 200, body: { displayName: 'Adele Vance' } });
    expect(byId(responses, '2').body?.value).toHaveLength(3);
    const missing = byId(responses, '3');
    expect(missing.status).toBe(404);
    expect(missing.body?.error).toMatchObject({ code: 'Request_ResourceNotFound', innerError: { 'request-id': expect.any(String), date: expect.any(String) } });
  });

  it('needs a token on the outer request', async () => {
    const res = await graph(sim(), '/$batch', {
      headers: { 'Content-Type': 'application/json' },
      body: { requests: [{ id: '1', method: 'GET', url: '/users' }] },
    });
    expect(res.status).toBe(401);
  });

  it('accepts 20 requests and refuses 21 as a whole', async () => {
    const requests = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${ID.adele}` }));
    expect((await batch(requests(20))).body.responses).toHaveLength(20);
    const tooMany = await batch(requests(21));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('BadRequest');
  });

  it('refuses duplicate ids, unknown dependencies and malformed payloads as a whole', async () => {
    const dup = await batch([
      { id: '1', method: 'GET', url: '/users' },
      { id: '1', method: 'GET', url: '/users' },
    ]);
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toContain("'1'");
    expect((await batch([{ id: '1', method: 'GET', url: '/users', dependsOn: ['9'] }])).status).toBe(400);
    expect((await graph(sim(), '/$batch', { body: { requests: 'nope' } })).status).toBe(400);
  });

  it('honours dependsOn: a failed dependency gives 424, and the dependent is not run', async () => {
    const before = sim().tenant.audits.length;
    const res = await batch([
      { id: 'a', method: 'GET', url: '/users/ghost@contoso.com' },
      { id: 'b', method: 'POST', url: `/users/${ID.lee}/revokeSignInSessions`, dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: `/users/${ID.lee}`, dependsOn: ['b'] },
    ]);
    const responses = res.body.responses as BatchResponse[];
    expect(byId(responses, 'a').status).toBe(404);
    expect(byId(responses, 'b').status).toBe(424);
    expect(byId(responses, 'c').status).toBe(424);
    expect(sim().tenant.audits.length).toBe(before);
  });

  it('runs dependents in order when their dependency succeeds', async () => {
    const res = await batch([
      { id: 'second', method: 'DELETE', url: `/users/${ID.lee}/authentication/phoneMethods/${ID.mobile}`, dependsOn: ['first'] },
      { id: 'first', method: 'DELETE', url: `/users/${ID.lee}/authentication/emailMethods/e3a11000-0005-4c2b-9d1e-000000000005` },
    ]);
    const responses = res.body.responses as BatchResponse[];
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ['first', 204],
      ['second', 204],
    ]);
  });

  it('answers 400 for a request with a body but no Content-Type, and runs the others', async () => {
    const res = await batch([
      { id: '1', method: 'PATCH', url: `/users/${ID.adele}`, body: { jobTitle: 'Untyped' } },
      { id: '2', method: 'PATCH', url: `/users/${ID.adele}`, headers: { 'Content-Type': 'application/json' }, body: { jobTitle: 'Typed' } },
    ]);
    const responses = res.body.responses as BatchResponse[];
    expect(byId(responses, '1').status).toBe(400);
    expect(byId(responses, '1').body?.error?.code).toBe('BadRequest');
    expect(byId(responses, '2').status).toBe(204);
    expect(byId(responses, '2').body).toBeUndefined();
    expect(sim().tenant.users.get(ID.adele)?.jobTitle).toBe('Typed');
  });

  it('works on beta for beta-only paths', async () => {
    const res = await batch([{ id: '1', method: 'GET', url: `/users/${ID.nestor}/authentication/hardwareOathMethods` }], 'beta');
    expect((res.body.responses as BatchResponse[])[0]).toMatchObject({ status: 200 });
    const v1 = await batch([{ id: '1', method: 'GET', url: `/users/${ID.nestor}/authentication/hardwareOathMethods` }]);
    expect((v1.body.responses as BatchResponse[])[0]?.status).toBe(400);
  });

  it('refuses absolute URLs and nested batches per request', async () => {
    const res = await batch([
      { id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' },
      { id: '2', method: 'POST', url: '/$batch', headers: { 'Content-Type': 'application/json' }, body: { requests: [] } },
    ]);
    expect((res.body.responses as BatchResponse[]).map((r) => r.status)).toEqual([400, 400]);
  });
});
