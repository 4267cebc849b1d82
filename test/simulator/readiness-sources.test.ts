import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { FIXED_NOW, fixedClock, graph, ID, readAllPages, values, useResetSimulator } from './graph-client';

/**
 * A simulator with small pages: these lists document no $top (rbacapplication-list-roleeligibilityschedules,
 * authenticationmethodsroot-list-userregistrationdetails), so paging is seen through the server's page size.
 */
async function withPageSize<T>(pageSize: number, run: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ port: 0, now: fixedClock, pageSize });
  try {
    return await run(sim);
  } finally {
    await sim.close();
  }
}

const PAA = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const ACTIONS = '/roleManagement/directory/resourceNamespaces/microsoft.directory/resourceActions';

describe('simulated Graph: what the readiness report reads', () => {
  const sim = useResetSimulator();
  afterEach(() => sim().faults.clear());

  it('lists PIM eligibilities in Graph shape, filtered by role, and leaves active assignments alone', async () => {
    const filter = encodeURIComponent(`roleDefinitionId eq '${PAA}'`);
    const res = await graph(sim(), `/roleManagement/directory/roleEligibilitySchedules?$filter=${filter}`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(`${sim().url}/v1.0/$metadata#roleManagement/directory/roleEligibilitySchedules`);
    expect(values(res.body)).toEqual([
      {
        id: 'pim-eligible-patti-paa',
        principalId: ID.patti,
        roleDefinitionId: PAA,
        directoryScopeId: '/',
        appScopeId: null,
        createdUsing: 'pim-eligible-patti-paa',
        createdDateTime: new Date(FIXED_NOW.getTime() - 90 * 86_400_000).toISOString().slice(0, 10) + 'T09:00:00.000Z',
        modifiedDateTime: null,
        status: 'Provisioned',
        memberType: 'Direct',
        scheduleInfo: {
          startDateTime: expect.any(String) as string,
          recurrence: null,
          expiration: { type: 'noExpiration', endDateTime: null, duration: null },
        },
      },
    ]);
    // Eligible is not active: Patti holds no active role.
    const active = await graph(sim(), `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${ID.patti}'`)}`);
    expect(values(active.body)).toHaveLength(0);
  });

  it('drops an eligibility that has ended, and pages with @odata.nextLink', async () => {
    const { items, pages } = await withPageSize(1, async (small) => {
      small.tenant.roleEligibilitySchedules.push({
        id: 'ended',
        principalId: ID.lee,
        roleDefinitionId: PAA,
        directoryScopeId: '/',
        createdDateTime: '2025-01-04T00:00:00.000Z',
        endDateTime: '2025-02-04T00:00:00.000Z',
      });
      return readAllPages(small, '/roleManagement/directory/roleEligibilitySchedules');
    });
    expect(items.map((i) => i.id).sort()).toEqual(['pim-eligible-alex-aa', 'pim-eligible-megan-aa', 'pim-eligible-patti-paa']);
    expect(pages).toBe(3);
  });

  it('answers the beta resourceActions list with $filter on name and $select, and not on v1.0', async () => {
    const filter = encodeURIComponent("name eq 'microsoft.directory/deletedItems/delete'");
    const select = 'id,name,isAuthenticationContextSettable,authenticationContextId';
    const before = await graph(sim(), `${ACTIONS}?$filter=${filter}&$select=${select}`, { version: 'beta' });
    expect(values(before.body)).toEqual([
      {
        id: 'microsoft.directory-deletedItems-delete',
        name: 'microsoft.directory/deletedItems/delete',
        isAuthenticationContextSettable: true,
        authenticationContextId: null,
      },
    ]);
    sim().tenant.protectedActions['microsoft.directory/deletedItems/delete'] = 'c1';
    const after = await graph(sim(), `${ACTIONS}?$filter=${filter}&$select=${select}`, { version: 'beta' });
    expect(values(after.body)[0]?.authenticationContextId).toBe('c1');
    expect((await graph(sim(), ACTIONS)).status).toBe(400);
    expect((await graph(sim(), `${ACTIONS.replace('microsoft.directory', 'microsoft.insights')}`, { version: 'beta' })).status).toBe(404);
  });

  it('lists authentication contexts, and Conditional Access policies carry the contexts they require', async () => {
    expect(values((await graph(sim(), '/identity/conditionalAccess/authenticationContextClassReferences')).body)).toEqual([
      {
        id: 'c1',
        displayName: 'Phishing-resistant step-up for admin actions',
        description: 'Defined for protected actions; not yet assigned to any.',
        isAvailable: true,
      },
    ]);
    const policies = values((await graph(sim(), '/identity/conditionalAccess/policies')).body);
    for (const p of policies)
      expect((p.conditions as { applications: Record<string, unknown> }).applications.includeAuthenticationContextClassReferences).toEqual([]);
  });

  it.each([
    ['/roleManagement/directory/roleEligibilitySchedules', 'v1.0'],
    [ACTIONS, 'beta'],
    ['/identity/conditionalAccess/authenticationContextClassReferences', 'v1.0'],
  ] as const)('%s can answer 403 Authorization_RequestDenied through a fault', async (path, version) => {
    sim().faults.add({ path: new RegExp(path.split('/').pop() ?? ''), kind: 'error', status: 403 });
    const res = await graph(sim(), path, { version });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('pages the registration report without a filter exactly as with one', async () => {
    const { plain, filtered } = await withPageSize(4, async (small) => ({
      plain: await readAllPages(small, '/reports/authenticationMethods/userRegistrationDetails'),
      filtered: await readAllPages(
        small,
        `/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent('isAdmin eq true or isAdmin eq false')}`,
      ),
    }));
    expect(plain.pages).toBe(3);
    expect(plain.items).toEqual(filtered.items);
    expect(plain.items.map((i) => i.userPrincipalName)).toEqual([...plain.items.map((i) => i.userPrincipalName as string)].sort());
  });
});
