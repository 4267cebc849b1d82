import { loadDemoSeed, startSimulator, type RunningSimulator } from '../../src/simulator';
import { fixedClock, graph, ID, values } from './graph-client';
import { appToken } from '../helpers/simulator-token';

const ROLE = {
  paa: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authAdmin: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  helpdesk: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
};
const TIER0 = '3c0d9e51-1000-4b2a-8f00-00000000b000';

describe('simulated Graph: groups and roles', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    // The demo tenant plus one role-assignable group, to show roles held through a group.
    const seed = loadDemoSeed();
    seed.groups = [
      ...(seed.groups ?? []),
      {
        id: TIER0,
        displayName: 'Tier 0 Operators',
        mailNickname: 'tier0',
        isAssignableToRole: true,
        createdDateTime: { daysAgo: 100, time: '10:00:00' },
        members: [ID.patti],
      },
    ];
    seed.roleAssignments = [...(seed.roleAssignments ?? []), { id: 'tier0-helpdesk', principalId: TIER0, roleDefinitionId: ROLE.helpdesk }];
    sim = await startSimulator({ port: 0, now: fixedClock, seed });
  });
  afterAll(async () => {
    await sim.close();
  });

  const check = (user: string, groupIds: unknown) => graph(sim, `/users/${user}/checkMemberGroups`, { body: { groupIds } });
  const allGroups = [ID.helpdeskGroup, ID.approversGroup, ID.privilegedApproversGroup];

  it('answers checkMemberGroups with direct and nested memberships', async () => {
    const patti = await check(ID.patti, allGroups);
    expect(patti.status).toBe(200);
    expect(patti.body).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#Collection(Edm.String)`,
      value: [ID.approversGroup, ID.privilegedApproversGroup],
    });
    expect((await check('megan@contoso.com', allGroups)).body.value).toEqual([ID.helpdeskGroup]);
    expect((await check(ID.alex, allGroups)).body.value).toEqual([ID.approversGroup]);
    expect((await check(ID.adele, allGroups)).body.value).toEqual([]);
  });

  it('accepts 20 group ids and refuses 21', async () => {
    const twenty = [...allGroups, ...Array.from({ length: 17 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)];
    expect((await check(ID.patti, twenty)).status).toBe(200);
    const tooMany = await check(ID.patti, [...twenty, '00000000-0000-4000-8000-999999999999']);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('Request_BadRequest');
    expect((await check(ID.patti, 'not-a-list')).status).toBe(400);
    expect((await check('ghost@contoso.com', allGroups)).status).toBe(404);
  });

  it('serves groups, members and transitive memberships', async () => {
    expect((await graph(sim, `/groups/${ID.approversGroup}`)).body).toMatchObject({
      displayName: 'Recovery Approvers',
      securityEnabled: true,
      isAssignableToRole: false,
    });
    const members = values((await graph(sim, `/groups/${ID.approversGroup}/members`)).body);
    expect(members.map((m) => [m['@odata.type'], m.id])).toEqual([
      ['#microsoft.graph.user', ID.alex],
      ['#microsoft.graph.group', ID.privilegedApproversGroup],
    ]);
    const transitive = values((await graph(sim, `/groups/${ID.approversGroup}/transitiveMembers`)).body).map((m) => m.id);
    expect(transitive).toEqual([ID.alex, ID.privilegedApproversGroup, ID.patti, ID.nestor, ID.miriam]);
    const memberOf = values((await graph(sim, `/users/${ID.patti}/transitiveMemberOf`)).body).map((g) => g.displayName);
    expect(memberOf.sort()).toEqual(['Privileged Recovery Approvers', 'Recovery Approvers', 'Tier 0 Operators']);
    expect(
      values((await graph(sim, `/users/${ID.patti}/memberOf`)).body)
        .map((g) => g.displayName)
        .sort(),
    ).toEqual(['Privileged Recovery Approvers', 'Tier 0 Operators']);
    expect((await graph(sim, '/groups/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('lists direct role assignments by principal, with the role definition expanded', async () => {
    const res = await graph(
      sim,
      `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${ID.nestor}'`)}&$expand=roleDefinition`,
    );
    expect(res.status).toBe(200);
    expect(values(res.body)).toEqual([
      expect.objectContaining({
        principalId: ID.nestor,
        roleDefinitionId: ROLE.paa,
        directoryScopeId: '/',
        roleDefinition: expect.objectContaining({ displayName: 'Privileged Authentication Administrator', templateId: ROLE.paa }),
      }),
    ]);
    const ravi = values((await graph(sim, `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${ID.ravi}'`)}`)).body);
    expect(ravi.map((a) => a.roleDefinitionId)).toEqual([ROLE.authAdmin]);
    expect(ravi[0]?.roleDefinition).toBeUndefined();
    // v1.0 is direct only: Patti's group-held role does not show.
    expect(
      values((await graph(sim, `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${ID.patti}'`)}`)).body),
    ).toHaveLength(0);
    expect((await graph(sim, `/roleManagement/directory/roleAssignments?$expand=principal`)).status).toBe(400);
  });

  it('lists the role definitions, including the four the bot cares about', async () => {
    const defs = values((await graph(sim, '/roleManagement/directory/roleDefinitions')).body);
    expect(defs.map((d) => [d.id, d.displayName])).toEqual(
      expect.arrayContaining([
        [ROLE.globalAdmin, 'Global Administrator'],
        [ROLE.paa, 'Privileged Authentication Administrator'],
        [ROLE.authAdmin, 'Authentication Administrator'],
        [ROLE.helpdesk, 'Helpdesk Administrator'],
      ]),
    );
    expect((await graph(sim, `/roleManagement/directory/roleDefinitions/${ROLE.paa}`)).body.isBuiltIn).toBe(true);
  });

  it('lists transitive role assignments on beta, including roles held through a role-assignable group', async () => {
    const url = `/roleManagement/directory/transitiveRoleAssignments?$count=true&$filter=${encodeURIComponent(`principalId eq '${ID.patti}'`)}`;
    const res = await graph(sim, url, { version: 'beta', extraHeaders: { ConsistencyLevel: 'eventual' } });
    expect(res.status).toBe(200);
    expect(values(res.body)).toEqual([
      {
        id: expect.any(String),
        principalId: TIER0,
        roleDefinitionId: ROLE.helpdesk,
        directoryScopeId: '/',
        appScopeId: null,
        condition: null,
        principalOrganizationId: expect.any(String),
        resourceScope: '/',
      },
    ]);
    expect(res.body['@odata.count']).toBe(1);
    const nestor = await graph(sim, url.replace(ID.patti, ID.nestor), { version: 'beta', extraHeaders: { ConsistencyLevel: 'eventual' } });
    expect(values(nestor.body).map((a) => a.roleDefinitionId)).toEqual([ROLE.paa]);
  });

  it('enforces the transitive API’s requirements: beta only, ConsistencyLevel, $count and a principal', async () => {
    const filter = `$filter=${encodeURIComponent(`principalId eq '${ID.patti}'`)}`;
    const eventual = { version: 'beta' as const, extraHeaders: { ConsistencyLevel: 'eventual' } };
    expect((await graph(sim, `/roleManagement/directory/transitiveRoleAssignments?$count=true&${filter}`)).status).toBe(400);
    expect((await graph(sim, `/roleManagement/directory/transitiveRoleAssignments?$count=true&${filter}`, { version: 'beta' })).status).toBe(404);
    expect((await graph(sim, `/roleManagement/directory/transitiveRoleAssignments?${filter}`, eventual)).status).toBe(400);
    const noPrincipal = `$filter=${encodeURIComponent(`roleDefinitionId eq '${ROLE.paa}'`)}`;
    expect((await graph(sim, `/roleManagement/directory/transitiveRoleAssignments?$count=true&${noPrincipal}`, eventual)).status).toBe(400);
  });

  it('supports only $count, $filter (eq) and $select on transitive role assignments: $expand=roleDefinition is a 400', async () => {
    // beta rbacapplication-list-transitiveroleassignments.md: "This method supports the $count, $filter (eq), and $select".
    const filter = `$filter=${encodeURIComponent(`principalId eq '${ID.patti}'`)}`;
    const eventual = { version: 'beta' as const, extraHeaders: { ConsistencyLevel: 'eventual' } };
    const expanded = await graph(sim, `/roleManagement/directory/transitiveRoleAssignments?$count=true&${filter}&$expand=roleDefinition`, eventual);
    expect(expanded.status).toBe(400);
    expect(expanded.body.error).toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining("Query option 'Expand' is not allowed"),
      innerError: expect.objectContaining({ 'request-id': expect.any(String) }),
    });
    const selected = await graph(sim, `/roleManagement/directory/transitiveRoleAssignments?$count=true&${filter}&$select=roleDefinitionId`, eventual);
    expect(selected.status).toBe(200);
    expect(values(selected.body)).toEqual([expect.objectContaining({ roleDefinitionId: ROLE.helpdesk })]);
    expect(values(selected.body)[0]?.principalId).toBeUndefined();
  });
});

describe('group members with $select', () => {
  it('keeps id and @odata.type and the selected properties, and refuses an unknown property', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const headers = { authorization: `Bearer ${await appToken(sim.url)}` };
      const ok = await fetch(`${sim.url}/v1.0/groups/3c0d9e51-1000-4b2a-8f00-00000000a002/transitiveMembers?$select=displayName`, { headers });
      const body = (await ok.json()) as { value: Array<Record<string, unknown>> };
      expect(ok.status).toBe(200);
      const alex = body.value.find((m) => m.id === '9a1b7c20-0002-4e8a-9c11-000000000002');
      expect(alex).toEqual({ '@odata.type': '#microsoft.graph.user', id: '9a1b7c20-0002-4e8a-9c11-000000000002', displayName: 'Alex Wilber' });
      const bad = await fetch(`${sim.url}/v1.0/groups/3c0d9e51-1000-4b2a-8f00-00000000a002/transitiveMembers?$select=shoeSize`, { headers });
      expect(bad.status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});
