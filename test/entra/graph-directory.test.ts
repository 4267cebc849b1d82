import { performance } from 'node:perf_hooks';
import { DirectoryError } from '../../src/ports/directory';
import { GROUPS, USERS } from '../helpers/demo-ids';
import { DAY_MS, GUID, demoSeedWith, directoryErrorOf, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

/**
 * The Directory port's reads against the simulated tenant over real HTTP, through the same Graph client and
 * middleware chain the bot uses in production.
 */

const ROLES = {
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
};
const HR_APP_ID = '7d3e5f10-aaaa-4bbb-8ccc-0000000000e1';
const RAVI_ID = '9a1b7c20-000b-4e8a-9c11-00000000000b';
const ROLE_GROUP_ID = '3c0d9e51-1000-4b2a-8f00-00000000a0f1';
const XADELE_ID = '9a1b7c20-00f1-4e8a-9c11-0000000000f1';

describe('GraphDirectory reads', () => {
  let t: SimulatedDirectory;
  /** `days` before the tenant's (pinned) now. */
  const daysBefore = (days: number): Date => new Date(t.now().getTime() - days * DAY_MS);
  afterEach(async () => t.close());

  describe('with the demo tenant', () => {
    beforeEach(async () => {
      t = await simulatedDirectory();
    });

    it('finds an active user by UPN and by object id, with profile and last sign-in', async () => {
      const byUpn = await t.directory.findAccount({ kind: 'upn', upn: USERS.adele.upn }, daysBefore(30));
      expect(byUpn).toMatchObject({
        kind: 'active',
        user: { id: USERS.adele.id, displayName: USERS.adele.name, userPrincipalName: USERS.adele.upn, accountEnabled: true },
      });
      expect(byUpn?.kind === 'active' && byUpn.user.lastSignInDateTime).toEqual(expect.any(String));
      const byId = await t.directory.findAccount({ kind: 'objectId', id: USERS.adele.id }, daysBefore(30));
      expect(byId).toEqual(byUpn);
    });

    it('finds a soft-deleted user by UPN and by id, with the original UPN and the deletion time', async () => {
      const deletedAt = t.sim.tenant.deletedUsers.get(USERS.diego.id)?.deletedDateTime;
      const byUpn = await t.directory.findAccount({ kind: 'upn', upn: USERS.diego.upn }, daysBefore(30));
      expect(byUpn).toMatchObject({ kind: 'softDeleted', user: { id: USERS.diego.id, userPrincipalName: USERS.diego.upn }, deletedDateTime: deletedAt });
      const byId = await t.directory.findAccount({ kind: 'objectId', id: USERS.diego.id }, daysBefore(30));
      expect(byId).toMatchObject({ kind: 'softDeleted', user: { id: USERS.diego.id, userPrincipalName: USERS.diego.upn }, deletedDateTime: deletedAt });
    });

    it('finds a hard-deleted user only through the audit log, and only inside the window', async () => {
      // Deleted 40 days ago, purged from deleted items 30 days later (10 days ago).
      const since = daysBefore(30);
      const byUpn = await t.directory.findAccount({ kind: 'upn', upn: USERS.isaiah.upn }, since);
      expect(byUpn).toMatchObject({ kind: 'hardDeleted', id: USERS.isaiah.id, displayName: USERS.isaiah.name, userPrincipalName: USERS.isaiah.upn });
      expect(await t.directory.findAccount({ kind: 'objectId', id: USERS.isaiah.id }, since)).toEqual(byUpn);
      expect(byUpn?.kind === 'hardDeleted' && t.now().getTime() - Date.parse(byUpn.hardDeletedDateTime)).toBeGreaterThan(9 * DAY_MS);
      expect(await t.directory.findAccount({ kind: 'upn', upn: USERS.isaiah.upn }, daysBefore(5))).toBeUndefined();
    });

    it('answers undefined for an unknown UPN or id', async () => {
      expect(await t.directory.findAccount({ kind: 'upn', upn: 'nobody@contoso.com' }, daysBefore(30))).toBeUndefined();
      expect(await t.directory.findAccount({ kind: 'objectId', id: '00000000-0000-4000-8000-000000000000' }, daysBefore(30))).toBeUndefined();
    });

    it('lists methods with masked details', async () => {
      const methods = await t.directory.listMethods(USERS.lee.id);
      expect(methods.map((m) => m.type).sort()).toEqual(['email', 'password', 'phone']);
      const phone = methods.find((m) => m.type === 'phone');
      expect(phone?.detail).toMatch(/^mobile \+•• ••• ••• \d{4}$/);
      expect(methods.find((m) => m.type === 'email')?.detail).toMatch(/^l•••@/);
    });

    it('lists directly assigned roles', async () => {
      expect(await t.directory.listRoles(USERS.nestor.id)).toEqual([
        { roleDefinitionId: ROLES.privilegedAuthenticationAdministrator, displayName: 'Privileged Authentication Administrator', via: 'direct' },
      ]);
      expect(await t.directory.listRoles(USERS.johanna.id)).toEqual([]);
    });

    it('names roles from the role definitions, read once and kept, never through $expand on transitiveRoleAssignments', async () => {
      await t.close();
      const seen: string[] = [];
      t = await simulatedDirectory({ onGraphRequest: (r) => seen.push(`${r.version} ${r.path}?${r.query.toString()}`) });
      expect(await t.directory.listRoles(USERS.nestor.id)).toEqual([
        { roleDefinitionId: ROLES.privilegedAuthenticationAdministrator, displayName: 'Privileged Authentication Administrator', via: 'direct' },
      ]);
      await t.directory.listRoles(USERS.patti.id);
      expect(seen.filter((r) => r.includes('/roleDefinitions'))).toHaveLength(1);
      expect(seen.filter((r) => r.includes('transitiveRoleAssignments'))).toHaveLength(2);
      expect(seen.filter((r) => /expand/i.test(decodeURIComponent(r)))).toEqual([]);
    });

    it('lists the groups a user is eligible to join through PIM for Groups, by principal filter, with each group\u2019s roles', async () => {
      await t.close();
      const seen: string[] = [];
      t = await simulatedDirectory({ onGraphRequest: (r) => seen.push(`${r.version} ${r.path}?${decodeURIComponent(r.query.toString())}`) });
      expect(await t.directory.eligibleGroups(USERS.grady.id)).toEqual([
        { id: GROUPS.approvers, displayName: 'Recovery Approvers', access: 'member', roles: [] },
      ]);
      expect(seen.filter((r) => r.includes('eligibilityScheduleInstances'))).toEqual([
        `v1.0 /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=principalId+eq+'${USERS.grady.id}'`,
      ]);
      expect(await t.directory.eligibleGroups(USERS.johanna.id)).toEqual([]);
    });

    it('checks transitive group membership, beyond 20 groups per call', async () => {
      const all = [GROUPS.helpdesk, GROUPS.approvers, GROUPS.privilegedApprovers];
      expect(await t.directory.memberOf(USERS.patti.id, all)).toEqual([GROUPS.approvers, GROUPS.privilegedApprovers]);
      expect(await t.directory.memberOf(USERS.megan.id, all)).toEqual([GROUPS.helpdesk]);
      const many = [...Array.from({ length: 21 }, (_, i) => `3c0d9e51-2000-4b2a-8f00-${String(i).padStart(12, '0')}`), GROUPS.approvers];
      expect(await t.directory.memberOf(USERS.patti.id, many)).toEqual([GROUPS.approvers]);
      expect(await t.directory.memberOf('00000000-0000-4000-8000-000000000000', all)).toEqual([]);
    });

    it('lists the audit records that target the user, oldest first, with actors, details and unquoted values', async () => {
      const events = await t.directory.listAudit(USERS.adele.id, daysBefore(30));
      expect(events.map((e) => e.activity)).toEqual([
        'User registered security info',
        'Update user',
        'Admin deleted security info',
        'Admin deleted security info',
      ]);
      expect([...events.map((e) => e.at)].sort()).toEqual(events.map((e) => e.at));
      expect(events.every((e) => e.targetIds.includes(USERS.adele.id))).toBe(true);
      const [registered, updated, authenticator, phone] = events;
      expect(registered?.actor).toEqual({
        kind: 'user',
        id: USERS.adele.id,
        displayName: USERS.adele.name,
        userPrincipalName: USERS.adele.upn,
        ipAddress: '203.0.113.41',
      });
      expect(updated).toMatchObject({
        category: 'UserManagement',
        loggedByService: 'Core Directory',
        result: 'success',
        actor: { kind: 'app', appId: HR_APP_ID, displayName: 'Contoso HR Provisioning', servicePrincipalId: '7d3e5f10-aaaa-4bbb-8ccc-0000000000e2' },
        modifiedProperties: [
          { name: 'Department', newValue: 'Retail Operations' },
          { name: 'Included Updated Properties', newValue: 'Department' },
        ],
      });
      expect(updated?.resultReason).toBeUndefined();
      expect(authenticator).toMatchObject({
        resultReason: 'Admin deleted Microsoft Authenticator App method for user',
        modifiedProperties: [{ name: 'MethodType' }],
      });
      expect(authenticator?.details).toEqual(
        expect.arrayContaining(['MethodType: microsoftAuthenticator -> ', 'MethodId: a7c0de11-0004-4a1b-9c2d-000000000004', 'DeviceName: iPhone 13']),
      );
      // Phone numbers are masked in details, as everywhere the team can read them.
      expect(phone?.details.join(' | ')).toContain('PhoneNumber: +•• ••• ••• 0104 -> ');
      expect(phone?.details.join(' | ')).not.toContain('555 0104');
    });

    it('limits the audit records to the window, and maps actors who are users from elsewhere', async () => {
      const recent = await t.directory.listAudit(USERS.adele.id, daysBefore(3));
      expect(recent.map((e) => e.activity)).not.toContain('User registered security info');
      const lee = await t.directory.listAudit(USERS.lee.id, daysBefore(30));
      const byRavi = lee.filter((e) => e.actor.kind === 'user' && e.actor.id === RAVI_ID);
      expect(byRavi.length).toBeGreaterThanOrEqual(4);
      expect(byRavi[0]?.actor).toMatchObject({ userPrincipalName: 'ravi.admin@contoso.com', ipAddress: '185.220.101.47' });
      const defaultChange = lee.find((e) => e.activity === 'Admin updated security info');
      expect(defaultChange?.modifiedProperties).toEqual([{ name: 'userPreferredMethodForSecondaryAuthentication', newValue: 'sms' }]);
      expect(defaultChange?.details).toContain('userPreferredMethodForSecondaryAuthentication: push -> sms');
    });

    it('unquotes JSON-encoded profile values of a hard-deleted user (for a recreation)', async () => {
      const events = await t.directory.listAudit(USERS.isaiah.id, daysBefore(100));
      const added = events.find((e) => e.activity === 'Add user');
      expect(added?.modifiedProperties).toEqual(
        expect.arrayContaining([
          { name: 'AccountEnabled', newValue: 'true' },
          { name: 'DisplayName', newValue: USERS.isaiah.name },
          { name: 'MailNickname', newValue: 'isaiah' },
          { name: 'Included Updated Properties', newValue: 'AccountEnabled, DisplayName, JobTitle, Department, Mail, UserPrincipalName, MailNickname' },
        ]),
      );
      expect(events.at(-1)?.activity).toBe('Hard Delete user');
    });

    it('maps an audit record with no recorded initiator to an unknown actor', async () => {
      const template = t.sim.tenant.audits.find((a) => a.targetResources.some((r) => r.id === USERS.johanna.id)) ?? t.sim.tenant.audits[0]!;
      t.sim.tenant.audits.push({
        ...template,
        id: 'Directory_unknown-actor',
        activityDateTime: t.now().toISOString(),
        activityDisplayName: 'Update user',
        initiatedBy: { app: { appId: null, displayName: null, servicePrincipalId: null, servicePrincipalName: null } },
        targetResources: [
          {
            id: USERS.johanna.id,
            displayName: USERS.johanna.name,
            type: 'User',
            userPrincipalName: USERS.johanna.upn,
            groupType: null,
            modifiedProperties: [],
          },
        ],
        additionalDetails: [],
      });
      const events = await t.directory.listAudit(USERS.johanna.id, daysBefore(30));
      expect(events.at(-1)).toMatchObject({ id: 'Directory_unknown-actor', actor: { kind: 'unknown' }, details: [], modifiedProperties: [] });
    });

    it('lists sign-ins newest first, with outcome, risk and Conditional Access results', async () => {
      const signIns = await t.directory.listSignIns(USERS.lee.id, daysBefore(30));
      expect(signIns.length).toBeGreaterThanOrEqual(4);
      expect([...signIns.map((s) => s.at)].sort().reverse()).toEqual(signIns.map((s) => s.at));
      const risky = signIns.find((s) => s.ipAddress === '185.220.101.47');
      expect(risky).toMatchObject({ success: true, riskLevel: 'high', appDisplayName: 'Office 365 Exchange Online', conditionalAccessStatus: 'success' });
      expect(risky?.appliedPolicies).toEqual(expect.arrayContaining([{ displayName: 'Require multifactor authentication for all users', result: 'success' }]));
      expect(signIns.find((s) => s.at.startsWith(daysBefore(1).toISOString().slice(0, 10)))).toMatchObject({ success: false });
      expect(await t.directory.listSignIns(USERS.lee.id, t.now())).toEqual([]);
    });

    it('explains that sign-in logs need Entra ID P1 or P2', async () => {
      t.sim.faults.add({
        path: /\/auditLogs\/signIns$/,
        kind: 'error',
        status: 403,
        code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        message: "Neither tenant is B2C or tenant doesn't have premium license",
        times: 1,
      });
      const error = await directoryErrorOf(t.directory.listSignIns(USERS.lee.id, daysBefore(30)));
      expect(error.failure).toBe('denied');
      expect(error.message).toMatch(/P1 or P2/);
      expect(error.requestId).toMatch(GUID);
    });

    it('reads registration details; a user outside the report is undefined', async () => {
      expect(await t.directory.registrationDetails(USERS.lee.id)).toEqual({
        isMfaRegistered: true,
        isMfaCapable: true,
        isSsprRegistered: true,
        isSsprEnabled: true,
        isPasswordlessCapable: false,
        methodsRegistered: expect.arrayContaining(['mobilePhone', 'email']),
        userPreferredMethodForSecondaryAuthentication: 'sms',
      });
      expect(await t.directory.registrationDetails(USERS.diego.id)).toBeUndefined();
      expect(await t.directory.registrationDetails('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('names the enforced and report-only Conditional Access policies that include the user', async () => {
      const everyone = [
        'Require multifactor authentication for all users',
        'Block legacy authentication',
        'Security info registration requires trusted location',
      ];
      expect(await t.directory.conditionalAccessPoliciesFor(USERS.johanna.id)).toEqual(everyone);
      // Nestor holds a role the report-only admin policy names.
      expect(await t.directory.conditionalAccessPoliciesFor(USERS.nestor.id)).toEqual([
        everyone[0],
        'Require phishing-resistant MFA for administrators (report-only)',
        everyone[1],
        everyone[2],
      ]);
    });

    it('reads the Temporary Access Pass policy', async () => {
      expect(await t.directory.tapPolicy()).toEqual({
        enabled: true,
        minimumLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        defaultLifetimeInMinutes: 60,
        isUsableOnce: false,
      });
      t.sim.tenant.authenticationMethodsPolicy.temporaryAccessPass.state = 'disabled';
      expect(await t.directory.tapPolicy()).toMatchObject({ enabled: false });
    });

    it('retries a read throttled with 429 and Retry-After, then succeeds', async () => {
      // What the handler waits is recorded, not timed: Retry-After: 1 means one wait of at least 1,000 ms (plus jitter).
      const waits: number[] = [];
      await t.close();
      t = await simulatedDirectory({}, { now: () => performance.now(), sleep: (ms) => Promise.resolve(void waits.push(ms)), random: () => 0.5 });
      t.sim.faults.add({ method: 'GET', path: /\/authentication\/methods$/, kind: 'throttle', retryAfterSeconds: 1, times: 1 });
      const methods = await t.directory.listMethods(USERS.adele.id);
      expect(methods.length).toBeGreaterThan(0);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThanOrEqual(1000);
      expect(t.sim.faults.list()).toEqual([]);
    });

    it('turns a Graph 403 on a read into DirectoryError denied with the request id, and a lasting 429 into throttled', async () => {
      t.sim.faults.add({ path: /\/auditLogs\/directoryAudits$/, kind: 'error', status: 403, code: 'Authorization_RequestDenied', times: 1 });
      const denied = await directoryErrorOf(t.directory.listAudit(USERS.adele.id, daysBefore(30)));
      expect(denied).toBeInstanceOf(DirectoryError);
      expect(denied).toMatchObject({ failure: 'denied', requestId: expect.stringMatching(GUID) });
      expect(denied.message).toContain('Authorization_RequestDenied');
      t.sim.faults.add({ path: /\/identity\/conditionalAccess\/policies$/, kind: 'throttle', retryAfterSeconds: 1 });
      const throttled = await directoryErrorOf(t.directory.conditionalAccessPoliciesFor(USERS.adele.id));
      expect(throttled).toMatchObject({ failure: 'throttled', retryAfterSeconds: 1 });
    });
  });

  describe('with tenant data added for the edge cases', () => {
    it('does not take a deleted "xadele@" for adele@ (the deleted-UPN suffix trap)', async () => {
      t = await simulatedDirectory({
        seed: demoSeedWith((seed) => {
          seed.users.push({
            id: XADELE_ID,
            displayName: 'X Adele',
            userPrincipalName: 'xadele@contoso.com',
            mailNickname: 'xadele',
            createdDateTime: { daysAgo: 100, time: '10:00:00' },
            lastPasswordChangeDateTime: { daysAgo: 100, time: '10:00:00' },
            userPreferredMethodForSecondaryAuthentication: 'none',
            deletedDateTime: { daysAgo: 1, time: '10:00:00' },
          });
        }),
      });
      const trap = t.sim.tenant.deletedUsers.get(XADELE_ID)?.userPrincipalName;
      expect(trap?.endsWith('adele@contoso.com')).toBe(true);
      // Adele gone without a trace: the only deleted UPN ending in adele@contoso.com is xadele's.
      t.sim.tenant.users.delete(USERS.adele.id);
      expect(await t.directory.findAccount({ kind: 'upn', upn: USERS.adele.upn }, daysBefore(30))).toBeUndefined();
      expect(await t.directory.findAccount({ kind: 'upn', upn: 'xadele@contoso.com' }, daysBefore(30))).toMatchObject({
        kind: 'softDeleted',
        user: { id: XADELE_ID },
      });
    });

    it('PIM for Groups: an eligible ownership carries the group\u2019s active and eligible roles; a group since deleted is skipped', async () => {
      const gone = '3c0d9e51-1000-4b2a-8f00-00000000a0f2';
      t = await simulatedDirectory({
        seed: demoSeedWith((seed) => {
          const at = { daysAgo: 20, time: '09:00:00' };
          (seed.groups ??= []).push({
            id: ROLE_GROUP_ID,
            displayName: 'Tier 0 Admins',
            description: '',
            mailNickname: 'tier0',
            createdDateTime: at,
            isAssignableToRole: true,
            members: [],
          });
          (seed.groups ??= []).push({ id: gone, displayName: 'Gone', description: '', mailNickname: 'gone', createdDateTime: at, members: [] });
          (seed.roleAssignments ??= []).push({ id: 'tier0-paa', principalId: ROLE_GROUP_ID, roleDefinitionId: ROLES.privilegedAuthenticationAdministrator });
          (seed.roleEligibilitySchedules ??= []).push({
            id: 'tier0-hda',
            principalId: ROLE_GROUP_ID,
            roleDefinitionId: ROLES.helpdeskAdministrator,
            createdDateTime: at,
            endDateTime: null,
          });
          (seed.groupEligibilitySchedules ??= []).push(
            { id: 'lee-member', principalId: USERS.lee.id, groupId: ROLE_GROUP_ID, accessId: 'member', createdDateTime: at, endDateTime: null },
            { id: 'lee-owner', principalId: USERS.lee.id, groupId: ROLE_GROUP_ID, accessId: 'owner', createdDateTime: at, endDateTime: null },
            { id: 'lee-gone', principalId: USERS.lee.id, groupId: gone, accessId: 'member', createdDateTime: at, endDateTime: null },
          );
        }),
      });
      t.sim.tenant.groups.delete(gone);
      const pim = (name: string, id: string) => ({ roleDefinitionId: id, displayName: name, via: 'pimGroup', assignment: 'eligible', group: 'Tier 0 Admins' });
      expect(await t.directory.eligibleGroups(USERS.lee.id)).toEqual([
        {
          id: ROLE_GROUP_ID,
          displayName: 'Tier 0 Admins',
          access: 'owner',
          roles: [
            pim('Privileged Authentication Administrator', ROLES.privilegedAuthenticationAdministrator),
            pim('Helpdesk Administrator', ROLES.helpdeskAdministrator),
          ],
        },
      ]);
    });

    it('reads every page of a paged collection', async () => {
      t = await simulatedDirectory({ pageSize: 2 });
      const since = daysBefore(30);
      const events = await t.directory.listAudit(USERS.lee.id, since);
      const stored = t.sim.tenant.audits.filter(
        (a) => a.targetResources.some((r) => r.id === USERS.lee.id) && Date.parse(a.activityDateTime) >= since.getTime(),
      );
      expect(stored.length).toBeGreaterThan(2);
      expect(events.map((e) => e.id).sort()).toEqual(stored.map((a) => a.id).sort());
    });

    it('lists roles held through a role-assignable group', async () => {
      t = await simulatedDirectory({
        seed: demoSeedWith((seed) => {
          seed.groups?.push({
            id: ROLE_GROUP_ID,
            displayName: 'Tier 1 Helpdesk Admins',
            mailNickname: 'tier1',
            isAssignableToRole: true,
            createdDateTime: { daysAgo: 50, time: '10:00:00' },
            members: [USERS.johanna.id],
          });
          seed.roleAssignments?.push({ id: 'group-assignment-1', principalId: ROLE_GROUP_ID, roleDefinitionId: ROLES.helpdeskAdministrator });
          seed.roleAssignments?.push({ id: 'direct-and-group', principalId: USERS.megan.id, roleDefinitionId: ROLES.helpdeskAdministrator });
          seed.groups?.find((g) => g.id === ROLE_GROUP_ID)?.members?.push(USERS.megan.id);
        }),
      });
      expect(await t.directory.listRoles(USERS.johanna.id)).toEqual([
        { roleDefinitionId: ROLES.helpdeskAdministrator, displayName: 'Helpdesk Administrator', via: 'group' },
      ]);
      // Held directly and through the group: reported once, as direct.
      expect(await t.directory.listRoles(USERS.megan.id)).toEqual(
        expect.arrayContaining([
          { roleDefinitionId: ROLES.authenticationAdministrator, displayName: 'Authentication Administrator', via: 'direct' },
          { roleDefinitionId: ROLES.helpdeskAdministrator, displayName: 'Helpdesk Administrator', via: 'direct' },
        ]),
      );
      // A Conditional Access policy scoped to a role sees the group-inherited role too.
      expect(await t.directory.conditionalAccessPoliciesFor(USERS.johanna.id)).toContain('Require phishing-resistant MFA for administrators (report-only)');
    });

    it('applies Conditional Access group includes (nested) and user and group exclusions; skips disabled policies', async () => {
      const base = loadPolicyTemplate();
      t = await simulatedDirectory({
        seed: demoSeedWith((seed) => {
          seed.conditionalAccessPolicies = [
            policy(base, '0c1a00f1-5e7d-4f3b-9a2c-0000000000f1', 'Approvers need compliant devices', 'enabled', { includeGroups: [GROUPS.approvers] }),
            policy(base, '0c1a00f2-5e7d-4f3b-9a2c-0000000000f2', 'Everyone but privileged approvers', 'enabled', {
              includeUsers: ['All'],
              excludeGroups: [GROUPS.privilegedApprovers],
            }),
            policy(base, '0c1a00f3-5e7d-4f3b-9a2c-0000000000f3', 'Everyone but Alex', 'enabledForReportingButNotEnforced', {
              includeUsers: ['All'],
              excludeUsers: [USERS.alex.id],
            }),
            policy(base, '0c1a00f4-5e7d-4f3b-9a2c-0000000000f4', 'Disabled for Patti', 'disabled', { includeUsers: [USERS.patti.id] }),
            policy(base, '0c1a00f5-5e7d-4f3b-9a2c-0000000000f5', 'Patti by id', 'enabled', { includeUsers: [USERS.patti.id] }),
          ];
        }),
      });
      expect(await t.directory.conditionalAccessPoliciesFor(USERS.patti.id)).toEqual([
        'Approvers need compliant devices',
        'Everyone but Alex (report-only)',
        'Patti by id',
      ]);
      expect(await t.directory.conditionalAccessPoliciesFor(USERS.alex.id)).toEqual(['Approvers need compliant devices', 'Everyone but privileged approvers']);
      expect(await t.directory.conditionalAccessPoliciesFor(USERS.megan.id)).toEqual(['Everyone but privileged approvers', 'Everyone but Alex (report-only)']);
    });
  });
});

type SeedPolicy = NonNullable<ReturnType<typeof demoSeedWith>['conditionalAccessPolicies']>[number];

function loadPolicyTemplate(): SeedPolicy {
  let template: SeedPolicy | undefined;
  demoSeedWith((seed) => {
    template = seed.conditionalAccessPolicies?.[0];
  });
  if (!template) throw new Error('the demo seed has no Conditional Access policy');
  return template;
}

function policy(base: SeedPolicy, id: string, displayName: string, state: SeedPolicy['state'], users: Partial<SeedPolicy['conditions']['users']>): SeedPolicy {
  const none = { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] };
  return { ...base, id, displayName, state, conditions: { ...base.conditions, users: { ...none, ...users } } };
}
