import { loadDemoSeed, startSimulator, type TenantSeed } from '../../src/simulator';
import { parseSeed } from '../../src/simulator/load-demo-seed';
import { createTenantState } from '../../src/simulator/load-tenant';
import { storyDay } from '../../src/simulator/seed-time';
import { parseArgs } from '../../src/simulator/main';
import { dumpState, fixedClock, graph, ID, values } from './graph-client';

const PEOPLE: [keyof typeof ID, string, string][] = [
  ['megan', 'Megan Bowen', 'megan@contoso.com'],
  ['alex', 'Alex Wilber', 'alex@contoso.com'],
  ['patti', 'Patti Fernandez', 'patti@contoso.com'],
  ['adele', 'Adele Vance', 'adele@contoso.com'],
  ['lee', 'Lee Gu', 'lee@contoso.com'],
  ['nestor', 'Nestor Wilke', 'nestor@contoso.com'],
  ['johanna', 'Johanna Lorenz', 'johanna@contoso.com'],
  ['grady', 'Grady Archie', 'grady@contoso.com'],
  ['ravi', 'Ravi Sharma', 'ravi.admin@contoso.com'],
];

describe('the demo seed', () => {
  it('has exactly the people, groups and ids of docs/demo-tenant.md', async () => {
    const sim = await startSimulator({ now: fixedClock });
    try {
      for (const [key, name, upn] of PEOPLE) {
        expect(sim.tenant.users.get(ID[key])).toMatchObject({ displayName: name, userPrincipalName: upn });
      }
      expect([...sim.tenant.deletedUsers.keys()]).toEqual([ID.diego]);
      expect(sim.tenant.users.has(ID.isaiah)).toBe(false);
      expect(sim.tenant.tenant).toEqual({ id: '5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10', displayName: 'Contoso (simulated)', verifiedDomain: 'contoso.com' });
      expect(sim.tenant.callerApp).toMatchObject({ appId: ID.botApp, displayName: 'Entra Recovery Bot' });
      expect([...sim.tenant.groups.values()].map((g) => [g.id, g.displayName, g.members])).toEqual([
        [ID.helpdeskGroup, 'Helpdesk Agents', [ID.megan, ID.grady]],
        [ID.approversGroup, 'Recovery Approvers', [ID.alex, ID.privilegedApproversGroup]],
        [ID.privilegedApproversGroup, 'Privileged Recovery Approvers', [ID.patti, ID.nestor, ID.miriam]],
      ]);
      expect(sim.tenant.groupEligibilitySchedules.map((e) => [e.principalId, e.groupId, e.accessId])).toEqual([[ID.grady, ID.approversGroup, 'member']]);
    } finally {
      await sim.close();
    }
  });

  it('gives every present user a password, a default method and sign-ins', async () => {
    const sim = await startSimulator({ now: fixedClock });
    try {
      for (const user of sim.tenant.users.values()) {
        const methods = sim.tenant.methods.get(user.id) ?? [];
        expect(methods[0]).toMatchObject({ type: 'password', id: ID.password });
        expect(user.userPreferredMethodForSecondaryAuthentication).toEqual(expect.any(String));
        expect(sim.tenant.signIns.some((s) => s.userId === user.id)).toBe(true);
      }
    } finally {
      await sim.close();
    }
  });

  it('resolves seed times against the clock: a fixed clock gives the same tenant every time', async () => {
    const a = await startSimulator({ now: fixedClock });
    const b = await startSimulator({ now: fixedClock });
    try {
      expect(dumpState(a)).toEqual(dumpState(b));
      const adele = values(
        (
          await graph(
            a,
            `/auditLogs/directoryAudits?$filter=${encodeURIComponent(`targetResources/any(t: t/id eq '${ID.adele}') and activityDisplayName eq 'Admin deleted security info'`)}`,
          )
        ).body,
      );
      expect(adele.map((r) => r.activityDateTime)).toEqual(['2025-06-17T10:05:13.000Z', '2025-06-17T10:05:12.000Z']);
      expect(a.tenant.deletedUsers.get(ID.diego)?.deletedDateTime).toBe('2025-06-15T15:22:10.000Z');
      expect(a.tenant.audits.find((r) => r.activityDisplayName === 'Hard Delete user')?.activityDateTime).toBe('2025-06-08T11:30:00.000Z');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps the hour of day under another clock, counting back from the story day (the Wednesday on or before now)', async () => {
    // Friday 2026-01-02 00:30 UTC: the story day is Wednesday 2025-12-31, so "two days ago" is Monday 2025-12-29.
    const sim = await startSimulator({ now: () => new Date('2026-01-02T00:30:00Z') });
    try {
      const deletions = sim.tenant.audits.filter(
        (r) => r.targetResources.some((t) => t.id === ID.lee) && r.activityDisplayName === 'Admin deleted security info',
      );
      expect(deletions.map((r) => r.activityDateTime)).toEqual(['2025-12-29T02:14:07.000Z', '2025-12-29T02:14:31.000Z']);
    } finally {
      await sim.close();
    }
  });

  // Every day of one week, at the first and the last second of the day: the demo story keeps its weekday and hour
  // (triage weighs working hours and days), stays in the past and inside the 30-day audit window.
  const auditsInWindow = (now: Date): string[] =>
    createTenantState(parseSeed(loadDemoSeed()), now)
      .audits.filter((r) => now.getTime() - Date.parse(r.activityDateTime) < 30 * 86_400_000)
      .map((r) => r.id)
      .sort();
  const WEEK = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'].flatMap((day) => [
    `${day}T00:00:00Z`,
    `${day}T23:59:59Z`,
  ]);
  it.each(WEEK)('at %s, Adele\u2019s methods were deleted on a Tuesday at 10:05 UTC, within the audit window', (at) => {
    const now = new Date(at);
    const tenant = createTenantState(parseSeed(loadDemoSeed()), now);
    const record = tenant.audits.find((r) => r.id === 'SSGM_5e3f9a10-0002-4b6c-8d2e-0000000a0002');
    const when = new Date(record?.activityDateTime ?? '');
    expect([when.getUTCDay(), when.toISOString().slice(11)]).toEqual([2, '10:05:12.000Z']);
    expect(now.getTime() - when.getTime()).toBeGreaterThan(0);
    expect(auditsInWindow(now)).toEqual(auditsInWindow(new Date('2026-11-18T12:00:00Z')));
  });

  it('finds the story day: the most recent Wednesday (UTC) on or before now', () => {
    expect(storyDay(new Date('2026-11-18T00:00:00Z')).toISOString()).toBe('2026-11-18T00:00:00.000Z');
    expect(storyDay(new Date('2026-11-17T23:59:59Z')).toISOString()).toBe('2026-11-11T00:00:00.000Z');
    expect(storyDay(new Date('2026-11-22T12:00:00Z')).toISOString()).toBe('2026-11-18T00:00:00.000Z');
  });

  it('hands out fresh copies, so a test may change its seed', () => {
    const first = loadDemoSeed();
    first.users.length = 0;
    expect(loadDemoSeed().users.length).toBe(11);
  });

  it.each([
    ['a duplicate user id', (s: TenantSeed) => s.users.push({ ...s.users[0]!, userPrincipalName: 'copy@contoso.com' }), /users\.11\.id: duplicate user id/],
    [
      'a default with no matching method',
      (s: TenantSeed) => (s.users[3]!.userPreferredMethodForSecondaryAuthentication = 'push'),
      /users\.3\.userPreferredMethodForSecondaryAuthentication/,
    ],
    [
      'a phone with the wrong fixed id',
      (s: TenantSeed) => (s.users[4]!.methods = [{ type: 'phone', id: ID.office, phoneType: 'mobile', phoneNumber: '+1 425 555 0100' }]),
      /always has id/,
    ],
    ['a relative time that is not HH:MM:SS', (s: TenantSeed) => (s.users[0]!.createdDateTime = { daysAgo: 1, time: '25:00' }), /users\.0\.createdDateTime/],
    ['an unknown property', (s: TenantSeed) => Object.assign(s.tenant, { region: 'EU' }), /tenant/],
  ])('refuses a seed with %s, naming where', async (_name, breakIt, message) => {
    const seed = loadDemoSeed();
    breakIt(seed);
    await expect(startSimulator({ seed })).rejects.toThrow(message);
  });

  it('re-seeds on POST /_simulator/reset', async () => {
    const sim = await startSimulator({ now: fixedClock });
    try {
      await graph(sim, `/users/${ID.adele}/authentication/fido2Methods/YWRlbGUtZmlkbzItWXViaUtleTVORkM`, { method: 'DELETE' });
      const tenant = sim.tenant;
      expect(sim.tenant.methods.get(ID.adele)).toHaveLength(2);
      expect((await graph(sim, '/_simulator/reset', { version: '', method: 'POST', headers: {} })).body).toEqual({ reset: true });
      expect(sim.tenant).toBe(tenant);
      expect(sim.tenant.methods.get(ID.adele)).toHaveLength(3);
    } finally {
      await sim.close();
    }
  });

  it('refuses a page size that is not a positive integer', async () => {
    await expect(startSimulator({ pageSize: 0 })).rejects.toThrow(RangeError);
  });
});

describe('the standalone entry point', () => {
  it('takes its options from argv', () => {
    expect(parseArgs(['--port', '5080', '--host', '0.0.0.0', '--page-size', '50', '--throttling', 'graph'])).toEqual({
      port: 5080,
      host: '0.0.0.0',
      pageSize: 50,
      throttling: 'graph',
    });
    expect(parseArgs([])).toEqual({});
    expect(() => parseArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--port', 'eighty'])).toThrow(/integer/);
    expect(() => parseArgs(['--throttling', 'sometimes'])).toThrow(/off.*graph/);
    expect(() => parseArgs(['--verbose'])).toThrow(/Unknown option --verbose/);
  });
});
