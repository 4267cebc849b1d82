import { loadDemoSeed, startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { parseSeed } from '../../src/simulator/load-demo-seed';
import { fixedClock, graph, ID, useResetSimulator, values } from './graph-client';

/**
 * PIM for Groups: GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances as the reference
 * describes it (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityscheduleinstances): a
 * `$filter` (eq) on principalId or groupId is required; `$select`, `$filter` and `$expand` are documented; the least
 * privileged application permission is PrivilegedEligibilitySchedule.Read.AzureADGroup.
 */
const LIST = '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances';
const filtered = (filter: string): string => `${LIST}?$filter=${encodeURIComponent(filter)}`;

async function withSimulator(options: SimulatorOptions, body: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ port: 0, now: fixedClock, ...options });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

describe('simulated Graph: PIM for Groups eligibility schedule instances', () => {
  const sim = useResetSimulator();

  it('lists the eligible memberships of a principal, as Graph v1.0 shapes them', async () => {
    const res = await graph(sim(), filtered(`principalId eq '${ID.grady}'`));
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(`${sim().url}/v1.0/$metadata#identityGovernance/privilegedAccess/group/eligibilityScheduleInstances`);
    expect(values(res.body)).toEqual([
      {
        id: `${ID.approversGroup}_member_pim-group-eligible-grady-approvers`,
        startDateTime: expect.stringMatching(/T09:00:00(\.000)?Z$/),
        endDateTime: null,
        accessId: 'member',
        principalId: ID.grady,
        groupId: ID.approversGroup,
        memberType: 'direct',
        eligibilityScheduleId: `${ID.approversGroup}_member_pim-group-eligible-grady-approvers`,
      },
    ]);
    expect(values((await graph(sim(), filtered(`principalId eq '${ID.lee}'`))).body)).toEqual([]);
    expect(values((await graph(sim(), filtered(`groupId eq '${ID.approversGroup}' and accessId eq 'owner'`))).body)).toEqual([]);
    expect(values((await graph(sim(), filtered(`groupId eq '${ID.approversGroup}'`))).body).map((i) => i.principalId)).toEqual([ID.grady]);
  });

  it.each([
    ['no $filter', LIST],
    ['a $filter that scopes to neither a principal nor a group', filtered("accessId eq 'member'")],
    ['principalId in an or', filtered(`principalId eq '${ID.grady}' or accessId eq 'member'`)],
  ])('refuses %s with 400 BadRequest', async (_what, url) => {
    const res = await graph(sim(), url);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringMatching(/requires a \$filter on principalId or groupId/) });
  });

  it('refuses an option the reference does not document ($top) and a property it does not filter on', async () => {
    expect((await graph(sim(), `${filtered(`principalId eq '${ID.grady}'`)}&$top=1`)).status).toBe(400);
    expect((await graph(sim(), filtered(`startDateTime eq 2025-01-01T00:00:00Z and principalId eq '${ID.grady}'`))).status).toBe(400);
  });

  it('an eligibility that ended, or has not started, is not an instance', async () => {
    const start = new Date(fixedClock().getTime() + 86_400_000).toISOString();
    sim().tenant.groupEligibilitySchedules.push(
      {
        id: 'ended',
        principalId: ID.lee,
        groupId: ID.helpdeskGroup,
        accessId: 'member',
        createdDateTime: '2025-01-01T00:00:00.000Z',
        endDateTime: '2025-02-01T00:00:00.000Z',
      },
      { id: 'future', principalId: ID.lee, groupId: ID.helpdeskGroup, accessId: 'owner', createdDateTime: start, endDateTime: null },
      {
        id: 'now',
        principalId: ID.lee,
        groupId: ID.privilegedApproversGroup,
        accessId: 'owner',
        createdDateTime: '2025-01-01T00:00:00.000Z',
        endDateTime: null,
      },
    );
    const listed = values((await graph(sim(), filtered(`principalId eq '${ID.lee}'`))).body);
    expect(listed.map((i) => [i.groupId, i.accessId])).toEqual([[ID.privilegedApproversGroup, 'owner']]);
  });
});

describe('simulated Graph: PIM for Groups permissions and seed', () => {
  it('without PrivilegedEligibilitySchedule.Read.AzureADGroup answers 403 as PIM does; its ReadWrite permission also allows the read', async () => {
    const without = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'PrivilegedEligibilitySchedule.Read.AzureADGroup');
    await withSimulator({ grantedPermissions: without }, async (sim) => {
      const res = await graph(sim, filtered(`principalId eq '${ID.grady}'`));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('UnknownError');
      expect(JSON.parse(res.body.error.message)).toMatchObject({
        errorCode: 'PermissionScopeNotGranted',
        message: expect.stringContaining('PrivilegedEligibilitySchedule.Read.AzureADGroup'),
      });
    });
    await withSimulator({ grantedPermissions: [...without, 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'] }, async (sim) => {
      expect((await graph(sim, filtered(`principalId eq '${ID.grady}'`))).status).toBe(200);
    });
  });

  it('refuses a seed whose eligibility names an unknown group or principal', () => {
    const seed = loadDemoSeed();
    seed.groupEligibilitySchedules = [
      { id: 'x', principalId: ID.lee, groupId: '00000000-0000-4000-8000-000000000000', accessId: 'member', createdDateTime: { daysAgo: 1, time: '09:00:00' } },
    ];
    expect(() => parseSeed(seed)).toThrow(/unknown group 00000000-0000-4000-8000-000000000000/);
    seed.groupEligibilitySchedules = [
      { id: 'x', principalId: '00000000-0000-4000-8000-000000000001', groupId: ID.helpdeskGroup, createdDateTime: { daysAgo: 1, time: '09:00:00' } },
    ];
    expect(() => parseSeed(seed)).toThrow(/unknown principal 00000000-0000-4000-8000-000000000001/);
  });
});
