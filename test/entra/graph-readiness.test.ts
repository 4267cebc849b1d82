import { createGraphClient } from '../../src/entra/graph-client';
import { GraphReadinessReader } from '../../src/entra/graph-readiness';
import { assessReadiness } from '../../src/domain/readiness-checks';
import type { CheckId, ReadinessCheck } from '../../src/domain/readiness';
import type { RunningSimulator } from '../../src/simulator';
import type { CaPolicyRecord, StoredMethod, UserRecord } from '../../src/simulator/tenant-state';
import { ID, fixedClock, useResetSimulator } from '../simulator/graph-client';
import { simulatorCredential } from '../helpers/simulator-token';

/**
 * Every readiness check's pass, warn and fail, read through the real Graph adapter from the simulated tenant over
 * HTTP. Each test changes the live tenant state (reset before every test) the way an admin would change the tenant.
 */

const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  paa: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  aa: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
};
const POLICY = {
  mfaAll: '0c1a0001-5e7d-4f3b-9a2c-00000000ca01',
  adminsStrength: '0c1a0002-5e7d-4f3b-9a2c-00000000ca02',
  securityInfo: '0c1a0004-5e7d-4f3b-9a2c-00000000ca04',
};

describe('readiness checks against the simulated tenant', () => {
  const sim = useResetSimulator();
  afterEach(() => sim().faults.clear());

  async function run(): Promise<Map<CheckId, ReadinessCheck>> {
    const client = createGraphClient({ baseUrl: sim().url, credential: simulatorCredential(sim().url), retry: { baseDelayMs: 50, maxRetries: 1 } });
    const report = assessReadiness(await new GraphReadinessReader(client, sim().url, { now: fixedClock }).read());
    return new Map(report.checks.map((c) => [c.id, c]));
  }
  async function checkOf(id: CheckId): Promise<ReadinessCheck> {
    const found = (await run()).get(id);
    if (!found) throw new Error(`no check ${id}`);
    return found;
  }

  const tenant = (): RunningSimulator['tenant'] => sim().tenant;
  const methods = (userId: string): StoredMethod[] => tenant().methods.get(userId) ?? [];
  const methodOf = (userId: string, type: StoredMethod['type']): StoredMethod => {
    const m = methods(userId).find((x) => x.type === type);
    if (!m) throw new Error(`user ${userId} has no ${type} method in the seed`);
    return m;
  };
  const giveFido2 = (userId: string): void => void methods(userId).push({ ...methodOf(ID.megan, 'fido2'), id: `fido2-${userId}` });
  const giveEmail = (userId: string): void => void methods(userId).push({ ...methodOf(ID.adele, 'email') });
  const removeType = (userId: string, type: StoredMethod['type']): void =>
    void tenant().methods.set(
      userId,
      methods(userId).filter((m) => m.type !== type),
    );
  const policy = (id: string): CaPolicyRecord => {
    const p = tenant().conditionalAccessPolicies.find((x) => x.id === id);
    if (!p) throw new Error(`no policy ${id}`);
    return p;
  };
  /** Users like Megan (three methods, one of them FIDO2), to change the tenant's size without changing its gaps. */
  const addWellPreparedUsers = (count: number): void => {
    const megan = tenant().users.get(ID.megan) as UserRecord;
    for (let i = 0; i < count; i++) {
      const id = `9a1b7c20-7000-4e8a-9c11-${String(i).padStart(12, '0')}`;
      tenant().users.set(id, { ...megan, id, userPrincipalName: `prepared${i}@contoso.com`, displayName: `Prepared ${i}` });
      tenant().methods.set(
        id,
        methods(ID.megan).map((m) => ({ ...m })),
      );
    }
  };
  const assign = (roleDefinitionId: string, principalId: string): void =>
    void tenant().roleAssignments.push({ id: `test-${roleDefinitionId}-${principalId}`, principalId, roleDefinitionId, directoryScopeId: '/' });
  const makeEligible = (roleDefinitionId: string, principalId: string): void =>
    void tenant().roleEligibilitySchedules.push({
      id: `test-eligible-${principalId}`,
      principalId,
      roleDefinitionId,
      directoryScopeId: '/',
      createdDateTime: '2025-01-04T00:00:00.000Z',
      endDateTime: null,
    });

  describe('users with fewer than two methods', () => {
    it('fails above 5% of users: Ravi has one phone, 1 of 10', async () => {
      const c = await checkOf('methods.twoOrMore');
      expect(c).toMatchObject({ status: 'fail', summary: '1 of 10 users (10%) have fewer than two methods.', items: ['ravi.admin@contoso.com (1 method)'] });
    });
    it('warns at 5% or less: the same gap in a tenant of 30', async () => {
      addWellPreparedUsers(20);
      expect(await checkOf('methods.twoOrMore')).toMatchObject({ status: 'warn', summary: '1 of 30 users (3.3%) have fewer than two methods.' });
    });
    it('passes when everyone has two, and a Temporary Access Pass does not count as the second', async () => {
      giveEmail(ID.ravi);
      expect((await checkOf('methods.twoOrMore')).status).toBe('pass');
      removeType(ID.ravi, 'email');
      methods(ID.ravi).push({ ...methodOf(ID.grady, 'temporaryAccessPass') });
      expect((await checkOf('methods.twoOrMore')).status).toBe('fail');
    });
  });

  describe('users without a phishing-resistant method', () => {
    it('fails when an admin has none (Ravi, Authentication Administrator, phone only)', async () => {
      const c = await checkOf('methods.phishingResistant');
      expect(c).toMatchObject({ status: 'fail', items: ['ravi.admin@contoso.com (admin)', 'lee@contoso.com'] });
    });
    it('warns when only non-admins lack one', async () => {
      giveFido2(ID.ravi);
      expect(await checkOf('methods.phishingResistant')).toMatchObject({
        status: 'warn',
        summary: '1 of 10 users have no phishing-resistant method, 0 of them admins.',
      });
    });
    it('passes when everyone has FIDO2, a passkey or Windows Hello', async () => {
      giveFido2(ID.ravi);
      giveFido2(ID.lee);
      expect((await checkOf('methods.phishingResistant')).status).toBe('pass');
    });
    it('counts members only: a guest registers methods in the home tenant', async () => {
      giveFido2(ID.ravi);
      (tenant().users.get(ID.lee) as UserRecord).userType = 'Guest';
      expect(await checkOf('methods.phishingResistant')).toMatchObject({
        status: 'pass',
        summary: '0 of 9 users have no phishing-resistant method, 0 of them admins.',
      });
    });
  });

  describe('share of MFA-capable users', () => {
    it('passes at 95% or more', async () => {
      expect(await checkOf('mfa.capableShare')).toMatchObject({ status: 'pass', summary: '10 of 10 users (100%) are MFA capable.' });
    });
    it('warns from 80% (Lee left with email only: 8 of 9)', async () => {
      removeType(ID.lee, 'phone');
      expect(await checkOf('mfa.capableShare')).toMatchObject({ status: 'warn', items: ['lee@contoso.com'] });
    });
    it('fails below 80% (7 of 10)', async () => {
      removeType(ID.lee, 'phone');
      removeType(ID.ravi, 'phone');
      removeType(ID.miriam, 'microsoftAuthenticator');
      removeType(ID.miriam, 'fido2');
      expect((await checkOf('mfa.capableShare')).status).toBe('fail');
    });
  });

  describe('Authentication Administrators and Privileged Authentication Administrators', () => {
    it('fails with a standing Privileged Authentication Administrator, and tells permanent from PIM', async () => {
      const c = await checkOf('roles.authenticationAdmins');
      expect(c.status).toBe('fail');
      expect(c.summary).toBe('AA 2 permanent, 2 through PIM; PAA 1 permanent, 1 through PIM.');
      expect(c.items).toEqual(
        expect.arrayContaining([
          'Authentication Administrator: megan@contoso.com (activated)',
          'Authentication Administrator: ravi.admin@contoso.com (permanent)',
          'Authentication Administrator: alex@contoso.com (eligible)',
          'Privileged Authentication Administrator: nestor@contoso.com (permanent)',
          'Privileged Authentication Administrator: patti@contoso.com (eligible)',
        ]),
      );
    });
    it('warns when only Authentication Administrators are standing', async () => {
      makeEligible(ROLE.paa, ID.nestor);
      expect(await checkOf('roles.authenticationAdmins')).toMatchObject({
        status: 'warn',
        summary: 'AA 2 permanent, 2 through PIM; PAA 0 permanent, 2 through PIM.',
      });
    });
    it('passes when every holder comes through PIM', async () => {
      makeEligible(ROLE.paa, ID.nestor);
      makeEligible(ROLE.aa, ID.grady);
      makeEligible(ROLE.aa, ID.ravi);
      expect((await checkOf('roles.authenticationAdmins')).status).toBe('pass');
    });
    it('warns, naming the permission, when PIM eligibility cannot be read', async () => {
      sim().faults.add({ path: /roleEligibilitySchedules/, kind: 'error', status: 403 });
      expect(await checkOf('roles.authenticationAdmins')).toMatchObject({
        status: 'warn',
        summary:
          'AA 3 active, PAA 1 active; permanent or through PIM cannot be told: PIM eligibility cannot be read (needs RoleEligibilitySchedule.Read.Directory).',
      });
    });
  });

  it('Authentication Administrators: warns with the reason, blaming no permission, when PIM answers something else', async () => {
    sim().faults.add({ path: /roleEligibilitySchedules/, kind: 'error', status: 400, code: 'BadRequest' });
    const c = await checkOf('roles.authenticationAdmins');
    expect(c.status).toBe('warn');
    expect(c.summary).toBe(
      'AA 3 active, PAA 1 active; permanent or through PIM cannot be told: PIM eligibility cannot be read (Microsoft Graph rejected the request to read PIM role eligibilities as invalid. (read PIM role eligibilities: HTTP 400 BadRequest)).',
    );
  });

  describe('other roles that can manage authentication methods', () => {
    it('passes when only AA, PAA and at most four Global Administrators can', async () => {
      for (const id of [ID.patti, ID.alex, ID.johanna, ID.nestor]) assign(ROLE.globalAdministrator, id);
      expect(await checkOf('roles.otherMethodManagers')).toMatchObject({
        status: 'pass',
        summary: expect.stringContaining('Global Administrator has 4 holder(s).') as string,
      });
    });
    it('warns with five Global Administrators', async () => {
      for (const id of [ID.patti, ID.alex, ID.johanna, ID.nestor, ID.adele]) assign(ROLE.globalAdministrator, id);
      expect((await checkOf('roles.otherMethodManagers')).status).toBe('warn');
    });
    it('fails when another role grants method management and has a holder', async () => {
      tenant().roleDefinitions.push({
        id: 'f0f0f0f0-0000-4000-8000-00000000c051',
        displayName: 'Helpdesk method reset',
        description: 'custom',
        isBuiltIn: false,
        allowedResourceActions: ['microsoft.directory/users/authenticationMethods/delete'],
      });
      assign('f0f0f0f0-0000-4000-8000-00000000c051', ID.johanna);
      expect(await checkOf('roles.otherMethodManagers')).toMatchObject({ status: 'fail', items: ['Helpdesk method reset (custom): johanna@contoso.com'] });
    });
  });

  describe('Conditional Access requiring MFA for all users', () => {
    it('passes with an enforced policy for all users and apps', async () => {
      expect((await checkOf('ca.mfaAllUsers')).status).toBe('pass');
    });
    it('warns when the all-users policy is report-only', async () => {
      policy(POLICY.mfaAll).state = 'enabledForReportingButNotEnforced';
      expect((await checkOf('ca.mfaAllUsers')).status).toBe('warn');
    });
    it('fails when no policy requires MFA', async () => {
      policy(POLICY.mfaAll).state = 'disabled';
      policy(POLICY.adminsStrength).state = 'disabled';
      expect(await checkOf('ca.mfaAllUsers')).toMatchObject({ status: 'fail', summary: 'No policy requires MFA for all users and all apps.' });
    });
  });

  describe('Conditional Access protecting security info registration', () => {
    it('passes with an enforced registersecurityinfo policy for all users', async () => {
      expect(await checkOf('ca.securityInfoRegistration')).toMatchObject({
        status: 'pass',
        items: ['Security info registration requires trusted location (enabled, 1 exclusion(s))'],
      });
    });
    it('warns when it covers only a group', async () => {
      policy(POLICY.securityInfo).conditions.users.includeUsers = [];
      policy(POLICY.securityInfo).conditions.users.includeGroups = [ID.helpdeskGroup];
      expect((await checkOf('ca.securityInfoRegistration')).status).toBe('warn');
    });
    it('fails without a policy on the user action', async () => {
      policy(POLICY.securityInfo).conditions.applications.includeUserActions = [];
      expect((await checkOf('ca.securityInfoRegistration')).status).toBe('fail');
    });
  });

  describe('authentication strength in use', () => {
    it('warns when only a report-only policy requires one', async () => {
      expect((await checkOf('ca.authenticationStrength')).status).toBe('warn');
    });
    it('passes when an enforced policy requires one', async () => {
      policy(POLICY.adminsStrength).state = 'enabled';
      expect(await checkOf('ca.authenticationStrength')).toMatchObject({
        status: 'pass',
        items: ['Require phishing-resistant MFA for administrators requires "Phishing-resistant MFA" (enforced)'],
      });
    });
    it('fails when no policy requires one', async () => {
      policy(POLICY.adminsStrength).grantControls.authenticationStrength = null;
      expect((await checkOf('ca.authenticationStrength')).status).toBe('fail');
    });
  });

  describe('Temporary Access Pass policy', () => {
    it('passes when enabled with lifetimes up to 8 hours', async () => {
      expect(await checkOf('tap.policy')).toMatchObject({ status: 'pass', summary: 'Enabled; lifetime 60–480 min (default 60), multi-use allowed.' });
    });
    it('warns when a pass may live longer than 8 hours', async () => {
      tenant().authenticationMethodsPolicy.temporaryAccessPass.maximumLifetimeInMinutes = 43200;
      expect((await checkOf('tap.policy')).status).toBe('warn');
    });
    it('fails when disabled', async () => {
      tenant().authenticationMethodsPolicy.temporaryAccessPass.state = 'disabled';
      expect((await checkOf('tap.policy')).status).toBe('fail');
    });
  });

  describe('protected action on hard delete', () => {
    it('fails when the permission has no authentication context', async () => {
      expect((await checkOf('protectedActions.hardDelete')).status).toBe('fail');
    });
    it('warns when it has one that no enforced policy requires', async () => {
      tenant().protectedActions['microsoft.directory/deletedItems/delete'] = 'c1';
      expect(await checkOf('protectedActions.hardDelete')).toMatchObject({
        status: 'warn',
        summary: 'Hard delete has authentication context c1, but no enforced Conditional Access policy requires it.',
      });
    });
    it('passes when an enforced policy requires the context', async () => {
      tenant().protectedActions['microsoft.directory/deletedItems/delete'] = 'c1';
      const base = policy(POLICY.mfaAll);
      tenant().conditionalAccessPolicies.push({
        ...base,
        id: '0c1a0009-5e7d-4f3b-9a2c-00000000ca09',
        displayName: 'Step-up for protected actions',
        conditions: {
          ...base.conditions,
          applications: { includeApplications: [], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: ['c1'] },
        },
      });
      expect((await checkOf('protectedActions.hardDelete')).status).toBe('pass');
    });
  });

  describe('a source the bot may not read', () => {
    const cases: Array<[string, RegExp, string, CheckId[]]> = [
      [
        'the registration report',
        /\/reports\/authenticationMethods\//,
        'AuditLog.Read.All',
        ['methods.twoOrMore', 'methods.phishingResistant', 'mfa.capableShare'],
      ],
      [
        'Conditional Access policies',
        /\/identity\/conditionalAccess\/policies/,
        'Policy.Read.All',
        ['ca.mfaAllUsers', 'ca.securityInfoRegistration', 'ca.authenticationStrength'],
      ],
      [
        'role definitions',
        /\/roleManagement\/directory\/roleDefinitions/,
        'RoleManagement.Read.Directory',
        ['roles.authenticationAdmins', 'roles.otherMethodManagers'],
      ],
      ['the TAP policy', /TemporaryAccessPass/, 'Policy.Read.AuthenticationMethod', ['tap.policy']],
      ['protected actions', /resourceActions/, 'RoleManagement.Read.Directory', ['protectedActions.hardDelete']],
    ];
    it.each(cases)('turns %s into "cannot read: needs X" for its checks only', async (_name, path, needs, affected) => {
      sim().faults.add({ path, kind: 'error', status: 403 });
      const checks = await run();
      for (const [id, c] of checks) {
        if (affected.includes(id)) expect(c).toMatchObject({ status: 'unreadable', summary: `Cannot read: needs ${needs}.` });
        else expect(c.status).not.toBe('unreadable');
      }
    });
    it('says a missing licence when the registration report needs P1 or P2', async () => {
      sim().faults.add({ path: /\/reports\//, kind: 'error', status: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant' });
      expect((await checkOf('mfa.capableShare')).summary).toBe('Cannot read: needs Microsoft Entra ID P1 or P2.');
    });
    it('reports a failure that is not a permission without blaming one', async () => {
      sim().faults.add({ path: /\/reports\//, kind: 'error', status: 500 });
      const c = await checkOf('methods.twoOrMore');
      expect(c.status).toBe('unreadable');
      expect(c.summary).toMatch(/^Cannot read: Microsoft Graph is temporarily unavailable/);
      expect(c.summary).not.toContain('needs');
    });
  });
});
