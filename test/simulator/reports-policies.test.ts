import { FIXED_NOW, graph, ID, values, useResetSimulator } from './graph-client';

const details = (user: string): string => `/reports/authenticationMethods/userRegistrationDetails/${user}`;

describe('simulated Graph: registration report and policies', () => {
  const sim = useResetSimulator();

  it('computes userRegistrationDetails from the current methods', async () => {
    const res = await graph(sim(), details(ID.johanna));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      '@odata.context': `${sim().url}/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails/$entity`,
      id: ID.johanna,
      userPrincipalName: 'johanna@contoso.com',
      userDisplayName: 'Johanna Lorenz',
      userType: 'member',
      isAdmin: false,
      isMfaRegistered: true,
      isMfaCapable: true,
      isPasswordlessCapable: true,
      isSsprRegistered: true,
      isSsprEnabled: true,
      isSsprCapable: true,
      userPreferredMethodForSecondaryAuthentication: 'push',
      systemPreferredAuthenticationMethods: ['push'],
    });
    expect([...(res.body.methodsRegistered as string[])].sort()).toEqual(
      [
        'alternateMobilePhone',
        'email',
        'microsoftAuthenticatorPush',
        'mobilePhone',
        'officePhone',
        'softwareOneTimePasscode',
        'windowsHelloForBusiness',
      ].sort(),
    );
  });

  it('flags administrators from their role assignments', async () => {
    expect((await graph(sim(), details(ID.nestor))).body.isAdmin).toBe(true);
    expect((await graph(sim(), details(ID.ravi))).body.isAdmin).toBe(true);
    expect((await graph(sim(), details(ID.adele))).body.isAdmin).toBe(false);
  });

  it('reacts to deletions at once', async () => {
    const before = await graph(sim(), details(ID.adele));
    expect(before.body).toMatchObject({
      isMfaRegistered: true,
      isPasswordlessCapable: true,
      methodsRegistered: ['fido2', 'email'],
      userPreferredMethodForSecondaryAuthentication: 'none',
    });
    await graph(sim(), `/users/${ID.adele}/authentication/fido2Methods/YWRlbGUtZmlkbzItWXViaUtleTVORkM`, { method: 'DELETE' });
    const after = await graph(sim(), details(ID.adele));
    expect(after.body).toMatchObject({
      isMfaRegistered: false,
      isMfaCapable: false,
      isPasswordlessCapable: false,
      isSsprRegistered: true,
      methodsRegistered: ['email'],
      lastUpdatedDateTime: FIXED_NOW.toISOString(),
    });
    await graph(sim(), `/users/${ID.adele}/authentication/emailMethods/e3a11000-0004-4c2b-9d1e-000000000004`, { method: 'DELETE' });
    expect((await graph(sim(), details(ID.adele))).body).toMatchObject({ isSsprRegistered: false, isSsprCapable: false, methodsRegistered: [] });
  });

  it('lists and filters the report', async () => {
    const all = values((await graph(sim(), '/reports/authenticationMethods/userRegistrationDetails')).body);
    expect(all).toHaveLength(10);
    const byUpn = values(
      (await graph(sim(), `/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent("userPrincipalName eq 'lee@contoso.com'")}`))
        .body,
    );
    expect(byUpn).toEqual([
      expect.objectContaining({
        id: ID.lee,
        methodsRegistered: ['mobilePhone', 'email'],
        userPreferredMethodForSecondaryAuthentication: 'sms',
        isMfaRegistered: true,
      }),
    ]);
    const byId = values(
      (await graph(sim(), `/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent(`id eq '${ID.nestor}'`)}`)).body,
    );
    expect(byId.map((d) => d.id)).toEqual([ID.nestor]);
    const fido = values(
      (await graph(sim(), `/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent("methodsRegistered/any(m: m eq 'fido2')")}`))
        .body,
    );
    expect(fido.map((d) => d.userPrincipalName)).toEqual([
      'adele@contoso.com',
      'alex@contoso.com',
      'megan@contoso.com',
      'miriam@contoso.com',
      'nestor@contoso.com',
      'patti@contoso.com',
    ]);
    expect((await graph(sim(), details(ID.diego))).status).toBe(404);
  });

  it('publishes the Conditional Access policies of the demo', async () => {
    const res = await graph(sim(), '/identity/conditionalAccess/policies');
    const policies = values(res.body);
    expect(policies.map((p) => [p.displayName, p.state])).toEqual([
      ['Require multifactor authentication for all users', 'enabled'],
      ['Require phishing-resistant MFA for administrators', 'enabledForReportingButNotEnforced'],
      ['Block legacy authentication', 'enabled'],
      ['Security info registration requires trusted location', 'enabled'],
    ]);
    expect(policies[1]).toMatchObject({
      grantControls: { authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } },
      conditions: { users: { includeRoles: expect.arrayContaining(['7be44c8a-adaf-4e2a-84d6-ab2649e08a13']) } },
    });
    expect(policies[3]).toMatchObject({
      conditions: { applications: { includeUserActions: ['urn:user:registersecurityinfo'] }, locations: { excludeLocations: ['AllTrusted'] } },
      grantControls: { builtInControls: ['block'] },
    });
  });

  it('publishes the authentication methods policy', async () => {
    const res = await graph(sim(), '/policies/authenticationMethodsPolicy');
    expect(res.body).toMatchObject({ id: 'authenticationMethodsPolicy', policyMigrationState: 'migrationComplete' });
    const configs = res.body.authenticationMethodConfigurations as { id: string; state: string }[];
    expect(configs.find((c) => c.id === 'X509Certificate')?.state).toBe('disabled');
    expect(configs.find((c) => c.id === 'Fido2')).toMatchObject({ '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' });
    expect((await graph(sim(), '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2')).body.id).toBe('Fido2');
    expect((await graph(sim(), '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Carrier')).status).toBe(404);
  });
});
