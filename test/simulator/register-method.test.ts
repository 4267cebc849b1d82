import { type RunningSimulator } from '../../src/simulator';
import { FIXED_NOW, graph, ID, values, control, useResetSimulator } from './graph-client';

const register = (sim: RunningSimulator, user: string, body: Record<string, unknown>) => control(sim, `/users/${user}/register-method`, body);

describe('simulator control: the user registers security info', () => {
  const sim = useResetSimulator();

  it('adds a FIDO2 key, writes "User registered security info" and updates the registration report', async () => {
    const before = sim().tenant.audits.length;
    const res = await register(sim(), 'lee@contoso.com', { type: 'fido2', displayName: 'Lee’s new key', ipAddress: '203.0.113.77' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
      displayName: 'Lee’s new key',
      createdDateTime: FIXED_NOW.toISOString(),
      attestationLevel: 'attested',
    });
    const listed = values((await graph(sim(), `/users/${ID.lee}/authentication/fido2Methods`)).body);
    expect(listed).toEqual([expect.objectContaining({ id: res.body.id, displayName: 'Lee’s new key' })]);

    expect(sim().tenant.audits.slice(before)).toEqual([
      expect.objectContaining({
        activityDisplayName: 'User registered security info',
        loggedByService: 'Authentication Methods',
        operationType: 'Add',
        resultReason: 'User registered FIDO2 Security Key method',
        activityDateTime: FIXED_NOW.toISOString(),
        initiatedBy: { user: { id: ID.lee, displayName: 'Lee Gu', userPrincipalName: 'lee@contoso.com', ipAddress: '203.0.113.77' } },
        targetResources: [expect.objectContaining({ id: ID.lee })],
        additionalDetails: expect.arrayContaining([
          { key: 'MethodId', value: res.body.id },
          { key: 'MethodType', value: 'fido2' },
        ]),
      }),
    ]);
    const report = await graph(sim(), `/reports/authenticationMethods/userRegistrationDetails/${ID.lee}`);
    expect(report.body).toMatchObject({
      lastUpdatedDateTime: FIXED_NOW.toISOString(),
      isPasswordlessCapable: true,
      methodsRegistered: expect.arrayContaining(['fido2']),
    });
  });

  it('lets a user whose one-time TAP is spent still register, and then sign in with the new key', async () => {
    const tap = await graph(sim(), `/users/${ID.lee}/authentication/temporaryAccessPassMethods`, { method: 'POST', body: { isUsableOnce: true } });
    const first = await control(sim(), `/users/${ID.lee}/sign-in`, { method: 'temporaryAccessPass', temporaryAccessPass: tap.body.temporaryAccessPass });
    expect(first.body.status.errorCode).toBe(0);
    expect((await control(sim(), `/users/${ID.lee}/sign-in`, { method: 'temporaryAccessPass' })).body.status.errorCode).toBe(500121);
    expect((await register(sim(), ID.lee, { type: 'fido2' })).status).toBe(201);
    const signIn = await control(sim(), `/users/${ID.lee}/sign-in`, { method: 'fido2' });
    expect(signIn.body).toMatchObject({
      status: { errorCode: 0 },
      authenticationDetails: [expect.objectContaining({ authenticationMethod: 'FIDO2 security key' })],
    });
  });

  it('registers the other types in Graph’s shape', async () => {
    const phone = await register(sim(), ID.adele, { type: 'phone', phoneNumber: '+1 425 555 0199' });
    expect(phone.body).toMatchObject({
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: ID.mobile,
      phoneType: 'mobile',
      phoneNumber: '+1 425 555 0199',
    });
    const app = await register(sim(), ID.adele, { type: 'microsoftAuthenticator', displayName: 'Pixel 8' });
    expect(app.body).toMatchObject({ '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', displayName: 'Pixel 8' });
    const oath = await register(sim(), ID.adele, { type: 'softwareOath' });
    expect(oath.body).toMatchObject({ '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod', secretKey: null });
    const email = await register(sim(), ID.megan, { type: 'email', emailAddress: 'megan@example.org' });
    expect(email.status).toBe(201);
    const before = sim().tenant.audits.length;
    const hello = await register(sim(), ID.adele, { type: 'windowsHelloForBusiness', displayName: 'ADELE-LAPTOP' });
    expect(hello.body).toMatchObject({ '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod', keyStrength: 'normal' });
    // Windows Hello is provisioned through device registration, as the seed's own record for Diego shows.
    expect(sim().tenant.audits.slice(before)).toEqual([
      expect.objectContaining({ activityDisplayName: 'Add Windows Hello for Business credential', loggedByService: 'Device Registration Service' }),
    ]);
    expect(
      sim()
        .tenant.methods.get(ID.adele)
        ?.map((m) => m.type),
    ).toEqual(['password', 'fido2', 'email', 'phone', 'microsoftAuthenticator', 'softwareOath', 'windowsHelloForBusiness']);
  });

  it.each([
    ['an unknown type', { type: 'password' }, /type/],
    ['a second mobile phone', { type: 'phone', phoneNumber: '+44 7700 900999' }, /already has a mobile phone/],
    ['a phone without a number', { type: 'phone' }, /phoneNumber is required/],
    ['a second email method', { type: 'email', emailAddress: 'lee@example.org' }, /already has an email method/],
    ['a field that does not apply', { type: 'phone', phoneNumber: '+1 425 555 0100', displayName: 'Work' }, /displayName does not apply/],
    ['an unknown property', { type: 'fido2', model: 'Titan' }, /model/],
  ])('refuses %s with a Graph-style 400', async (_name, body, message) => {
    const before = sim().tenant.methods.get(ID.lee)?.length;
    const res = await register(sim(), ID.lee, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'badRequest',
      message: expect.stringMatching(message),
      innerError: expect.objectContaining({ date: expect.any(String) }),
    });
    expect(sim().tenant.methods.get(ID.lee)?.length).toBe(before);
  });

  it('refuses a method the authentication methods policy disables, and an unknown or deleted user', async () => {
    sim().tenant.authenticationMethodsPolicy.methodStates.Fido2 = 'disabled';
    expect((await register(sim(), ID.lee, { type: 'fido2' })).body.error.message).toMatch(/disabled by the authentication methods policy/);
    expect((await register(sim(), 'nobody@contoso.com', { type: 'fido2' })).status).toBe(404);
    expect((await register(sim(), ID.diego, { type: 'fido2' })).status).toBe(404);
  });
});
