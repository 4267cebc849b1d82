import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { dumpState, FIXED_NOW, fixedClock, graph, ID, readAllPages, values } from './graph-client';

describe('simulated Graph: users', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: fixedClock, pageSize: 4 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await graph(sim, '/_simulator/reset', { version: '', method: 'POST', headers: {} });
  });

  describe('reading', () => {
    it('finds a user by object id and by UPN (case-insensitive), with the default property set', async () => {
      const byId = await graph(sim, `/users/${ID.adele}`);
      const byUpn = await graph(sim, '/users/Adele@Contoso.com');
      expect(byId.status).toBe(200);
      expect(byUpn.body).toEqual(byId.body);
      expect(byId.body['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users/$entity`);
      expect(Object.keys(byId.body).sort()).toEqual(
        [
          '@odata.context',
          'businessPhones',
          'displayName',
          'givenName',
          'id',
          'jobTitle',
          'mail',
          'mobilePhone',
          'officeLocation',
          'preferredLanguage',
          'surname',
          'userPrincipalName',
        ].sort(),
      );
      expect(byId.body).toMatchObject({ id: ID.adele, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com', jobTitle: 'Retail Manager' });
    });

    it('returns accountEnabled, createdDateTime, onPremisesSyncEnabled and signInActivity only when selected', async () => {
      const res = await graph(sim, `/users/${ID.adele}?$select=id,accountEnabled,createdDateTime,onPremisesSyncEnabled,signInActivity`);
      expect(res.body['@odata.context']).toBe(
        `${sim.url}/v1.0/$metadata#users(id,accountEnabled,createdDateTime,onPremisesSyncEnabled,signInActivity)/$entity`,
      );
      expect(res.body).toMatchObject({ id: ID.adele, accountEnabled: true, onPremisesSyncEnabled: null, createdDateTime: expect.stringMatching(/^2024-/) });
      expect(res.body.displayName).toBeUndefined();
      // Adele's last attempt failed (MFA required) yesterday; her last success was two days ago.
      expect(res.body.signInActivity).toMatchObject({
        lastSignInDateTime: '2025-06-17T13:42:05.000Z',
        lastSuccessfulSignInDateTime: '2025-06-16T17:02:27.000Z',
      });
    });

    it('refuses signInActivity on a user addressed by UPN with 400, as Graph does, and serves it by object id', async () => {
      // Graph reads signInActivity from the reporting store, which is keyed by object id (learn.microsoft.com Q&A 1311910).
      const byUpn = await graph(sim, '/users/adele@contoso.com?$select=id,displayName,signInActivity');
      expect(byUpn.status).toBe(400);
      expect(byUpn.body.error).toMatchObject({ code: '400', message: 'Get By Key only supports UserId and the key has to be a valid Guid' });
      // Before the lookup: an unknown UPN gets the same 400, not a 404.
      expect((await graph(sim, '/users/nobody@contoso.com?$select=signInActivity')).status).toBe(400);
      expect(byUpn.body.error.innerError).toMatchObject({ 'request-id': expect.any(String), date: expect.any(String) });
      expect((await graph(sim, '/users/adele@contoso.com?$select=id,displayName')).status).toBe(200);
      expect((await graph(sim, `/users/${ID.adele}?$select=id,displayName,signInActivity`)).status).toBe(200);
      // Listing users with signInActivity selected is allowed; a $filter on the UPN reaches the user that way.
      const listed = await graph(sim, `/users?$filter=${encodeURIComponent("userPrincipalName eq 'adele@contoso.com'")}&$select=id,signInActivity`);
      expect(listed.status).toBe(200);
      expect(values(listed.body)[0]?.signInActivity).toMatchObject({ lastSignInDateTime: '2025-06-17T13:42:05.000Z' });
    });

    it('refuses to select a property the user type does not have', async () => {
      const res = await graph(sim, `/users/${ID.adele}?$select=id,favouriteColour`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'Request_BadRequest',
        message: "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.",
      });
    });

    it.each([
      ["userPrincipalName eq 'lee@contoso.com'", ['Lee Gu']],
      ["startswith(displayName,'A')", ['Alex Wilber', 'Adele Vance']],
      [`id eq '${ID.nestor}'`, ['Nestor Wilke']],
      ["department eq 'Security Operations' and startswith(displayName,'P')", ['Patti Fernandez']],
    ])('filters the user list with %s', async (filter, names) => {
      const res = await graph(sim, `/users?$filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(200);
      expect(
        values(res.body)
          .map((u) => u.displayName)
          .sort(),
      ).toEqual([...names].sort());
    });

    it('pages the list with $top and an absolute @odata.nextLink carrying $skiptoken', async () => {
      const first = await graph(sim, '/users?$top=3&$select=id');
      expect(values(first.body)).toHaveLength(3);
      const next = first.body['@odata.nextLink'] as string;
      expect(next.startsWith(`${sim.url}/v1.0/users?`)).toBe(true);
      expect(next).toContain('$top=3');
      expect(next).toContain('$skiptoken=');
      const all = await readAllPages(sim, '/users?$top=3&$select=id');
      expect(all.pages).toBe(4);
      expect(new Set(all.items.map((u) => u.id)).size).toBe(10);
      // Without $top the simulator's configured page size (4 here) applies.
      expect((await readAllPages(sim, '/users')).pages).toBe(3);
    });

    it('pages any collection the same way, e.g. a user’s methods', async () => {
      const paged = await readAllPages(sim, `/users/${ID.johanna}/authentication/methods`);
      expect(paged.pages).toBe(2);
      expect(paged.items).toHaveLength(8);
    });

    it('does not list soft-deleted users', async () => {
      const res = await graph(sim, `/users?$filter=${encodeURIComponent("userPrincipalName eq 'diego@contoso.com'")}`);
      expect(values(res.body)).toHaveLength(0);
      expect((await graph(sim, `/users/${ID.diego}`)).status).toBe(404);
    });
  });

  describe('creating', () => {
    const isaiah = {
      accountEnabled: true,
      displayName: 'Isaiah Langer',
      mailNickname: 'isaiah',
      userPrincipalName: 'isaiah@contoso.com',
      jobTitle: 'Senior Sales Representative',
      passwordProfile: { password: 'Recreate-2025!', forceChangePasswordNextSignIn: true },
    };

    it('recreates a hard-deleted user with a new object id and writes "Add user"', async () => {
      const before = sim.tenant.audits.length;
      const res = await graph(sim, '/users', { body: isaiah });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ displayName: 'Isaiah Langer', userPrincipalName: 'isaiah@contoso.com', jobTitle: 'Senior Sales Representative' });
      expect(res.body.id).not.toBe(ID.isaiah);
      const record = sim.tenant.audits.slice(before);
      expect(record).toHaveLength(1);
      expect(record[0]).toMatchObject({
        activityDisplayName: 'Add user',
        loggedByService: 'Core Directory',
        initiatedBy: { app: { appId: ID.botApp, displayName: 'Entra Recovery Bot' } },
      });
      expect(JSON.stringify(record)).not.toContain('Recreate-2025!');
      expect(dumpState(sim).includes('Recreate-2025!')).toBe(false);
      expect(dumpState(sim)).toContain('"mailNickname":"isaiah"');
      const methods = await graph(sim, `/users/${String(res.body.id)}/authentication/methods`);
      expect(values(methods.body).map((m) => m['@odata.type'])).toEqual(['#microsoft.graph.passwordAuthenticationMethod']);
    });

    it.each([
      [
        'an existing UPN',
        { ...isaiah, userPrincipalName: 'adele@contoso.com' },
        'Another object with the same value for property userPrincipalName already exists.',
      ],
      ['a missing mailNickname', { ...isaiah, mailNickname: undefined }, "Invalid value specified for property 'mailNickname' of resource 'User'."],
      [
        'an unverified domain',
        { ...isaiah, userPrincipalName: 'isaiah@fabrikam.com' },
        'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
      ],
      ['an unknown property', { ...isaiah, shoeSize: 44 }, "Property 'shoeSize' does not exist as a declared property or extension property."],
      [
        'a weak password',
        { ...isaiah, passwordProfile: { password: 'password' } },
        'The specified password does not comply with password complexity requirements. Please provide a different password.',
      ],
    ])('refuses %s with 400', async (_name, body, message) => {
      const before = sim.tenant.users.size;
      const res = await graph(sim, '/users', { body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'Request_BadRequest', message });
      expect(sim.tenant.users.size).toBe(before);
    });
  });

  describe('updating and resetting the password', () => {
    it('updates properties with 204 and writes "Update user" with old and new values', async () => {
      const before = sim.tenant.audits.length;
      const res = await graph(sim, `/users/${ID.adele}`, { method: 'PATCH', body: { jobTitle: 'Store Director', department: 'Retail' } });
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect((await graph(sim, `/users/${ID.adele}`)).body.jobTitle).toBe('Store Director');
      const [record, ...more] = sim.tenant.audits.slice(before);
      expect(more).toHaveLength(0);
      expect(record).toMatchObject({
        activityDisplayName: 'Update user',
        loggedByService: 'Core Directory',
        targetResources: [{ id: ID.adele, type: 'User' }],
      });
      expect(record?.targetResources[0]?.modifiedProperties).toContainEqual({
        displayName: 'JobTitle',
        oldValue: '["Retail Manager"]',
        newValue: '["Store Director"]',
      });
    });

    it('refuses a weak password with Graph’s message and changes nothing', async () => {
      const before = sim.tenant.audits.length;
      for (const password of ['Sh0rt!', 'alllowercaseletters', 'NoDigitsOrSymbols']) {
        const res = await graph(sim, `/users/${ID.lee}`, { method: 'PATCH', body: { passwordProfile: { password, forceChangePasswordNextSignIn: true } } });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual(
          expect.objectContaining({
            code: 'Request_BadRequest',
            message: 'The specified password does not comply with password complexity requirements. Please provide a different password.',
          }),
        );
      }
      expect(sim.tenant.users.get(ID.lee)?.passwordReset).toBeNull();
      expect(sim.tenant.audits.length).toBe(before);
    });

    it('resets the password keeping only the fact, the time and the flags', async () => {
      const before = sim.tenant.audits.length;
      const password = 'Correct-Horse-42';
      const res = await graph(sim, `/users/${ID.lee}`, {
        method: 'PATCH',
        body: { passwordProfile: { password, forceChangePasswordNextSignIn: true, forceChangePasswordNextSignInWithMfa: true } },
      });
      expect(res.status).toBe(204);
      expect(sim.tenant.users.get(ID.lee)?.passwordReset).toEqual({
        resetDateTime: FIXED_NOW.toISOString(),
        forceChangePasswordNextSignIn: true,
        forceChangePasswordNextSignInWithMfa: true,
      });
      expect(dumpState(sim).includes(password)).toBe(false);
      expect(dumpState(sim)).toContain('"forceChangePasswordNextSignInWithMfa":true');
      expect(sim.tenant.audits.slice(before).map((a) => a.activityDisplayName)).toEqual(['Reset password', 'Set force change user password']);
      const selected = await graph(sim, `/users/${ID.lee}?$select=passwordProfile,lastPasswordChangeDateTime`);
      expect(selected.body).toMatchObject({
        passwordProfile: { password: null, forceChangePasswordNextSignIn: true },
        lastPasswordChangeDateTime: FIXED_NOW.toISOString(),
      });
      const method = await graph(sim, `/users/${ID.lee}/authentication/passwordMethods/${ID.password}`);
      expect(method.body).toMatchObject({ password: null, createdDateTime: FIXED_NOW.toISOString() });
    });

    it('writes only "Reset password" when no change is forced', async () => {
      const before = sim.tenant.audits.length;
      await graph(sim, `/users/${ID.lee}`, {
        method: 'PATCH',
        body: { passwordProfile: { password: 'Another-Good-1', forceChangePasswordNextSignIn: false } },
      });
      expect(sim.tenant.audits.slice(before).map((a) => a.activityDisplayName)).toEqual(['Reset password']);
    });

    it('disables an account with "Update user" and "Disable account"', async () => {
      const before = sim.tenant.audits.length;
      await graph(sim, `/users/${ID.lee}`, { method: 'PATCH', body: { accountEnabled: false } });
      expect(sim.tenant.audits.slice(before).map((a) => a.activityDisplayName)).toEqual(['Update user', 'Disable account']);
      expect((await graph(sim, `/users/${ID.lee}?$select=accountEnabled`)).body.accountEnabled).toBe(false);
    });
  });

  describe('deleting and revoking', () => {
    it('soft-deletes into deleted items with the object-id-prefixed UPN and writes "Delete user"', async () => {
      const before = sim.tenant.audits.length;
      expect((await graph(sim, `/users/${ID.johanna}`, { method: 'DELETE' })).status).toBe(204);
      expect((await graph(sim, `/users/${ID.johanna}`)).status).toBe(404);
      const deleted = sim.tenant.deletedUsers.get(ID.johanna);
      expect(deleted?.userPrincipalName).toBe('9a1b7c2000094e8a9c11000000000009johanna@contoso.com');
      expect(deleted?.deletedDateTime).toBe(FIXED_NOW.toISOString());
      expect(sim.tenant.audits.slice(before)).toEqual([
        expect.objectContaining({
          activityDisplayName: 'Delete user',
          targetResources: [expect.objectContaining({ id: ID.johanna, userPrincipalName: '9a1b7c2000094e8a9c11000000000009johanna@contoso.com' })],
        }),
      ]);
    });

    it('revokes sign-in sessions: 200 {value: true}, a new valid-from time and the STS audit record', async () => {
      const before = sim.tenant.audits.length;
      const res = await graph(sim, `/users/${ID.lee}/revokeSignInSessions`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ '@odata.context': `${sim.url}/v1.0/$metadata#Edm.Boolean`, value: true });
      expect(sim.tenant.users.get(ID.lee)?.signInSessionsValidFromDateTime).toBe(FIXED_NOW.toISOString());
      expect(sim.tenant.audits.slice(before).map((a) => [a.activityDisplayName, a.loggedByService])).toEqual([
        ['Update StsRefreshTokenValidFrom Timestamp', 'Core Directory'],
      ]);
    });

    it('answers 404 for writes to an unknown user', async () => {
      expect((await graph(sim, '/users/ghost@contoso.com', { method: 'DELETE' })).status).toBe(404);
      expect((await graph(sim, '/users/ghost@contoso.com/revokeSignInSessions', { method: 'POST' })).status).toBe(404);
    });
  });
});
