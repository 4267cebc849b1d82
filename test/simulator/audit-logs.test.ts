import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { FIXED_NOW, fixedClock, graph, ID, readAllPages, values } from './graph-client';

const audits = (filter: string): string => `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`;

describe('simulated Graph: directory audits', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: fixedClock, pageSize: 5 });
  });
  afterAll(async () => {
    await sim.close();
  });

  const count = async (filter: string): Promise<number> => {
    const { items } = await readAllPages(sim, audits(filter));
    return items.length;
  };

  it('returns records in Graph’s shape, newest first', async () => {
    const res = await graph(sim, '/auditLogs/directoryAudits?$top=1');
    expect(res.body['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#auditLogs/directoryAudits`);
    const [latest] = values(res.body);
    expect(latest).toEqual({
      id: 'SSGM_5e3f9a10-0003-4b6c-8d2e-0000000a0003',
      category: 'UserManagement',
      correlationId: 'c0a1e5a1-0a03-4c0d-9e11-000000000a03',
      result: 'success',
      resultReason: 'Admin deleted Mobile Phone method for user',
      activityDisplayName: 'Admin deleted security info',
      activityDateTime: '2025-06-17T10:05:13.000Z',
      loggedByService: 'Authentication Methods',
      operationType: 'Delete',
      initiatedBy: {
        user: null,
        app: {
          appId: ID.hrApp,
          displayName: 'Contoso HR Provisioning',
          servicePrincipalId: '7d3e5f10-aaaa-4bbb-8ccc-0000000000e2',
          servicePrincipalName: null,
        },
      },
      targetResources: [
        {
          id: ID.adele,
          displayName: 'Adele Vance',
          type: 'User',
          userPrincipalName: 'adele@contoso.com',
          groupType: null,
          modifiedProperties: [
            { displayName: 'MethodType', oldValue: '"phone"', newValue: null },
            { displayName: 'PhoneType', oldValue: '"mobile"', newValue: null },
            { displayName: 'PhoneNumber', oldValue: '"+1 425 555 0104"', newValue: null },
          ],
        },
      ],
      additionalDetails: [
        { key: 'MethodType', value: 'phone' },
        { key: 'MethodId', value: ID.mobile },
        { key: 'Method', value: 'Mobile Phone' },
        { key: 'PhoneType', value: 'mobile' },
      ],
    });
  });

  it.each([
    ['activityDateTime ge 2025-06-16T00:00:00Z', 7],
    ['activityDateTime le 2025-06-16T02:14:07Z', 13],
    ['activityDateTime eq 2025-06-17T10:05:12Z', 1],
    ["activityDisplayName eq 'Admin deleted security info'", 4],
    ["startswith(activityDisplayName,'Admin')", 7],
    ["category eq 'UserManagement'", 19],
    ["loggedByService eq 'Core Directory'", 6],
    ["correlationId eq 'c0a1e5a1-0a02-4c0d-9e11-000000000a02'", 1],
    [`initiatedBy/user/id eq '${ID.ravi}'`, 4],
    ["initiatedBy/user/userPrincipalName eq 'ravi.admin@contoso.com'", 4],
    [`initiatedBy/app/appId eq '${ID.hrApp}'`, 6],
    [`targetResources/any(t: t/id eq '${ID.lee}')`, 4],
    [`targetResources/any(resource: resource/id eq '${ID.adele}')`, 4],
    [`(initiatedBy/user/id eq '${ID.ravi}' or initiatedBy/app/appId eq '${ID.hrApp}') and activityDisplayName eq 'Admin deleted security info'`, 4],
    [`initiatedBy/user/id eq '${ID.ravi}' or initiatedBy/app/appId eq '${ID.hrApp}' and activityDisplayName eq 'Admin deleted security info'`, 6],
    ["loggedByService eq 'Device Registration Service' and category eq 'UserManagement'", 1],
    [`targetResources/any(t: t/id eq '${ID.adele}') and activityDateTime ge 2025-06-17T00:00:00Z and loggedByService eq 'Authentication Methods'`, 2],
  ])('filters with %s', async (filter, expected) => {
    expect(await count(filter)).toBe(expected);
  });

  it('tells Lee’s story: Ravi, at night, from one IP, deleting then registering', async () => {
    const { items } = await readAllPages(sim, `${audits(`targetResources/any(t: t/id eq '${ID.lee}')`)}&$orderby=activityDateTime asc`);
    expect(items.map((a) => [a.activityDateTime, a.activityDisplayName, a.resultReason])).toEqual([
      ['2025-06-16T02:14:07.000Z', 'Admin deleted security info', 'Admin deleted Microsoft Authenticator App method for user'],
      ['2025-06-16T02:14:31.000Z', 'Admin deleted security info', 'Admin deleted FIDO2 Security Key method for user'],
      ['2025-06-16T02:19:02.000Z', 'Admin registered security info', 'Admin registered Mobile Phone method for user'],
      ['2025-06-16T02:19:40.000Z', 'Admin updated security info', 'Admin updated default sign-in method for user'],
    ]);
    for (const a of items)
      expect(a.initiatedBy).toEqual({
        app: null,
        user: { id: ID.ravi, displayName: 'Ravi Sharma', userPrincipalName: 'ravi.admin@contoso.com', ipAddress: '185.220.101.47' },
      });
    expect(JSON.stringify(items[2])).toContain('+44 7700 900123');
  });

  it.each([
    ["resultReason eq 'x'", 'Request_UnsupportedQuery'],
    // directoryaudit-list documents eq, ge, le and startswith: gt and lt are not among them.
    ['activityDateTime gt 2025-06-17T10:05:12Z', 'Request_UnsupportedQuery'],
    ['activityDateTime lt 2025-03-21T00:00:00Z', 'Request_UnsupportedQuery'],
    ["startswith(category,'User')", 'Request_UnsupportedQuery'],
    ["contains(activityDisplayName,'deleted')", 'Request_UnsupportedQuery'],
    ["activityDateTime ge '2025-06-16T00:00:00Z'", 'BadRequest'],
    ["activityDisplayName eq 'Delete user' and", 'BadRequest'],
    ["tolower(activityDisplayName) eq 'delete user'", 'BadRequest'],
  ])('answers the unsupported filter %s with 400 %s', async (filter, code) => {
    const res = await graph(sim, audits(filter));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(10);
  });

  it('orders by activityDateTime both ways and refuses other orderings', async () => {
    const asc = values((await graph(sim, '/auditLogs/directoryAudits?$orderby=activityDateTime asc&$top=999')).body);
    const desc = values((await graph(sim, '/auditLogs/directoryAudits?$top=999')).body);
    expect(asc.map((a) => a.id)).toEqual([...desc].reverse().map((a) => a.id));
    expect(asc[0]?.activityDisplayName).toBe('Add user');
    expect((await graph(sim, '/auditLogs/directoryAudits?$orderby=category')).status).toBe(400);
  });

  it('pages with @odata.nextLink and keeps the filter across pages', async () => {
    const all = values((await graph(sim, '/auditLogs/directoryAudits?$top=999')).body);
    const paged = await readAllPages(sim, '/auditLogs/directoryAudits');
    expect(paged.pages).toBe(4);
    expect(paged.items.map((a) => a.id)).toEqual(all.map((a) => a.id));
    const first = await graph(sim, `${audits("startswith(activityDisplayName,'Admin')")}&$top=3`);
    expect(first.body['@odata.nextLink']).toContain(`$filter=${encodeURIComponent("startswith(activityDisplayName,'Admin')")}`);
    const filtered = await readAllPages(sim, `${audits("startswith(activityDisplayName,'Admin')")}&$top=3`);
    expect(filtered.pages).toBe(3);
    expect(filtered.items.every((a) => String(a.activityDisplayName).startsWith('Admin'))).toBe(true);
    expect((await graph(sim, '/auditLogs/directoryAudits?$skiptoken=garbage')).status).toBe(400);
  });

  it('finds a record written by a call through its client-request-id', async () => {
    const clientRequestId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
    await graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST', extraHeaders: { 'client-request-id': clientRequestId } });
    const found = values((await graph(sim, audits(`correlationId eq '${clientRequestId}'`))).body);
    expect(found).toEqual([
      expect.objectContaining({ activityDisplayName: 'Update StsRefreshTokenValidFrom Timestamp', activityDateTime: FIXED_NOW.toISOString() }),
    ]);
    expect(values((await graph(sim, '/auditLogs/directoryAudits?$top=1')).body)[0]?.correlationId).toBe(clientRequestId);
  });
});
