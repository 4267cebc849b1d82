import { FIXED_NOW, graph, ID, values, useResetSimulator } from './graph-client';

const DIEGO_DELETED_UPN = '9a1b7c2000064e8a9c11000000000006diego@contoso.com';
const EVENTUAL = { extraHeaders: { ConsistencyLevel: 'eventual' } };

describe('simulated Graph: deleted items', () => {
  const sim = useResetSimulator();

  it('requires the type cast', async () => {
    const res = await graph(sim(), '/directory/deletedItems');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('Request_BadRequest');
    expect(res.body.error.message).toContain('microsoft.graph.user');
  });

  it('lists Diego, soft-deleted three days ago, with the prefixed UPN', async () => {
    const res = await graph(sim(), '/directory/deletedItems/microsoft.graph.user');
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(`${sim().url}/v1.0/$metadata#directory/deletedItems/microsoft.graph.user`);
    expect(values(res.body)).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.user',
        id: ID.diego,
        displayName: 'Diego Siciliani',
        userPrincipalName: DIEGO_DELETED_UPN,
        deletedDateTime: '2025-06-15T15:22:10.000Z',
      }),
    ]);
  });

  it.each([
    [`id eq '${ID.diego}'`, {}, 1],
    [`userPrincipalName eq '${DIEGO_DELETED_UPN}'`, {}, 1],
    ["userPrincipalName eq 'diego@contoso.com'", {}, 0],
    ["endswith(userPrincipalName,'diego@contoso.com')", EVENTUAL, 1],
    ["endswith(userPrincipalName,'adele@contoso.com')", EVENTUAL, 0],
  ])('filters deleted users with %s', async (filter, options, count) => {
    // $count on directory objects is an advanced query: only with ConsistencyLevel: eventual.
    const advanced = options === EVENTUAL;
    const res = await graph(
      sim(),
      `/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent(filter)}${advanced ? '&$count=true' : ''}`,
      options,
    );
    expect(res.status).toBe(200);
    expect(values(res.body)).toHaveLength(count);
    expect(res.body['@odata.count']).toBe(advanced ? count : undefined);
  });

  it('refuses $count without the advanced-query header, as Graph does', async () => {
    const res = await graph(sim(), `/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent(`id eq '${ID.diego}'`)}&$count=true`);
    expect({ status: res.status, code: res.body.error.code, message: res.body.error.message }).toEqual({
      status: 400,
      code: 'Request_BadRequest',
      message: '$count is not currently supported.',
    });
  });

  it('refuses endswith without the advanced-query header, as Graph does', async () => {
    const res = await graph(
      sim(),
      `/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent("endswith(userPrincipalName,'diego@contoso.com')")}&$count=true`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'Request_UnsupportedQuery' });
    expect(res.body.error.message).toContain("'ConsistencyLevel:eventual' header is missing");
  });

  it('gets one deleted item by id, typed', async () => {
    const res = await graph(sim(), `/directory/deletedItems/${ID.diego}?$select=id,displayName,deletedDateTime`);
    expect(res.body).toEqual({
      '@odata.context': `${sim().url}/v1.0/$metadata#directoryObjects/$entity`,
      '@odata.type': '#microsoft.graph.user',
      id: ID.diego,
      displayName: 'Diego Siciliani',
      deletedDateTime: '2025-06-15T15:22:10.000Z',
    });
    expect((await graph(sim(), `/directory/deletedItems/${ID.adele}`)).status).toBe(404);
  });

  it('restores Diego with his UPN and methods, and writes "Restore user"', async () => {
    const before = sim().tenant.audits.length;
    const res = await graph(sim(), `/directory/deletedItems/${ID.diego}/restore`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: ID.diego, userPrincipalName: 'diego@contoso.com' });
    expect((await graph(sim(), '/users/diego@contoso.com?$select=deletedDateTime')).body.deletedDateTime).toBeNull();
    const methods = values((await graph(sim(), `/users/${ID.diego}/authentication/methods`)).body).map((m) => m['@odata.type']);
    expect(methods).toEqual(
      expect.arrayContaining([
        '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        '#microsoft.graph.phoneAuthenticationMethod',
        '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
      ]),
    );
    expect(sim().tenant.audits.slice(before)).toEqual([
      expect.objectContaining({
        activityDisplayName: 'Restore user',
        loggedByService: 'Core Directory',
        activityDateTime: FIXED_NOW.toISOString(),
        targetResources: [expect.objectContaining({ id: ID.diego })],
      }),
    ]);
    expect(values((await graph(sim(), '/directory/deletedItems/microsoft.graph.user')).body)).toHaveLength(0);
    expect((await graph(sim(), `/directory/deletedItems/${ID.diego}/restore`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses a restore whose UPN is taken unless a new one is given', async () => {
    await graph(sim(), '/users', {
      body: {
        accountEnabled: true,
        displayName: 'Diego Two',
        mailNickname: 'diego',
        userPrincipalName: 'diego@contoso.com',
        passwordProfile: { password: 'Another-Diego-1' },
      },
    });
    const clash = await graph(sim(), `/directory/deletedItems/${ID.diego}/restore`, { method: 'POST' });
    expect(clash.status).toBe(400);
    const renamed = await graph(sim(), `/directory/deletedItems/${ID.diego}/restore`, { body: { newUserPrincipalName: 'diego.siciliani@contoso.com' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.userPrincipalName).toBe('diego.siciliani@contoso.com');
  });

  it('hard-deletes: the user is then known only to the audit log', async () => {
    const before = sim().tenant.audits.length;
    expect((await graph(sim(), `/directory/deletedItems/${ID.diego}`, { method: 'DELETE' })).status).toBe(204);
    expect((await graph(sim(), `/directory/deletedItems/${ID.diego}`)).status).toBe(404);
    expect((await graph(sim(), `/users/${ID.diego}`)).status).toBe(404);
    expect(sim().tenant.methods.has(ID.diego)).toBe(false);
    expect(sim().tenant.audits.slice(before)).toEqual([
      expect.objectContaining({
        activityDisplayName: 'Hard Delete user',
        targetResources: [expect.objectContaining({ id: ID.diego, userPrincipalName: DIEGO_DELETED_UPN })],
      }),
    ]);
  });

  it('knows Isaiah only from audit records', async () => {
    expect((await graph(sim(), `/users/${ID.isaiah}`)).status).toBe(404);
    expect((await graph(sim(), `/directory/deletedItems/${ID.isaiah}`)).status).toBe(404);
    const filter = encodeURIComponent(`targetResources/any(t: t/id eq '${ID.isaiah}')`);
    const trail = values((await graph(sim(), `/auditLogs/directoryAudits?$filter=${filter}`)).body);
    expect(trail.map((a) => a.activityDisplayName)).toEqual(['Hard Delete user', 'Delete user', 'Update user', 'Add user']);
    expect(trail[3]).toMatchObject({ targetResources: [{ userPrincipalName: 'isaiah@contoso.com' }] });
    const added = JSON.stringify(trail[3]);
    for (const fact of ['Isaiah Langer', 'Sales Representative', 'Sales', 'isaiah@contoso.com']) expect(added).toContain(fact);
  });
});
