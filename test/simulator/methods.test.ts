import { graph, ID, values, useResetSimulator } from './graph-client';

describe('simulated Graph: authentication methods', () => {
  const sim = useResetSimulator();

  const auth = (user: string, rest: string): string => `/users/${user}/authentication/${rest}`;
  /** The ids `/authentication/methods` lists, in beta by default: it shows every type (v1.0 only its own types). */
  const methodIds = async (user: string, version: 'v1.0' | 'beta' = 'beta'): Promise<unknown[]> =>
    values((await graph(sim(), auth(user, 'methods'), { version })).body).map((m) => m.id);

  it('lists every method of a user, each with its @odata.type', async () => {
    const res = await graph(sim(), auth('johanna@contoso.com', 'methods'));
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(`${sim().url}/v1.0/$metadata#users('${ID.johanna}')/authentication/methods`);
    expect(
      values(res.body)
        .map((m) => m['@odata.type'])
        .sort(),
    ).toEqual(
      [
        '#microsoft.graph.emailAuthenticationMethod',
        '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        '#microsoft.graph.passwordAuthenticationMethod',
        '#microsoft.graph.phoneAuthenticationMethod',
        '#microsoft.graph.phoneAuthenticationMethod',
        '#microsoft.graph.phoneAuthenticationMethod',
        '#microsoft.graph.softwareOathAuthenticationMethod',
        '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
      ].sort(),
    );
    const phone = values(res.body).find((m) => m.id === ID.mobile);
    expect(phone).toEqual({
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: ID.mobile,
      phoneNumber: '+1 425 555 0109',
      phoneType: 'mobile',
      smsSignInState: 'notEnabled',
      createdDateTime: null,
    });
    const authenticator = values(res.body).find((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod');
    expect(authenticator).toMatchObject({
      displayName: 'Galaxy S24',
      deviceTag: 'SoftwareTokenActivated',
      phoneAppVersion: expect.any(String),
      createdDateTime: expect.any(String),
    });
  });

  it('shows the demo stories in the current methods', async () => {
    const adele = values((await graph(sim(), auth(ID.adele, 'methods'))).body).map((m) => m['@odata.type']);
    expect(adele).toEqual([
      '#microsoft.graph.passwordAuthenticationMethod',
      '#microsoft.graph.fido2AuthenticationMethod',
      '#microsoft.graph.emailAuthenticationMethod',
    ]);
    const leePhones = values((await graph(sim(), auth(ID.lee, 'phoneMethods'))).body);
    expect(leePhones).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+44 7700 900123' })]);
    expect((await graph(sim(), auth(ID.diego, 'methods'))).status).toBe(404);
  });

  it('lists one type per typed collection and gets one method by id', async () => {
    const phones = await graph(sim(), auth(ID.johanna, 'phoneMethods'));
    expect(values(phones.body).map((m) => m.phoneType)).toEqual(['mobile', 'alternateMobile', 'office']);
    const one = await graph(sim(), auth(ID.johanna, `phoneMethods/${ID.office}`));
    expect(one.body).toMatchObject({
      '@odata.context': `${sim().url}/v1.0/$metadata#users('${ID.johanna}')/authentication/phoneMethods/$entity`,
      phoneType: 'office',
    });
    expect((await graph(sim(), auth(ID.johanna, `fido2Methods/${ID.office}`))).status).toBe(404);
    const passwords = await graph(sim(), auth(ID.johanna, 'passwordMethods'));
    expect(values(passwords.body)).toEqual([expect.objectContaining({ id: ID.password, password: null })]);
  });

  it.each([
    ['email', ID.adele, 'emailMethods', 'e3a11000-0004-4c2b-9d1e-000000000004', '', 'v1.0', 'Email'],
    ['fido2', ID.adele, 'fido2Methods', 'YWRlbGUtZmlkbzItWXViaUtleTVORkM', '', 'v1.0', 'FIDO2 Security Key'],
    ['phone', ID.johanna, 'phoneMethods', ID.office, '', 'v1.0', 'Office Phone'],
    ['windowsHelloForBusiness', ID.patti, 'windowsHelloForBusinessMethods', 'cGF0dGktd2hmYi1TVVJGQUNF', '', 'v1.0', 'Windows Hello for Business'],
    ['softwareOath', ID.alex, 'softwareOathMethods', '50f70a7b-0002-4d0c-8a11-000000000002', '', 'v1.0', 'Software OATH token'],
    ['temporaryAccessPass', ID.grady, 'temporaryAccessPassMethods', '7a9b0000-000a-4c1d-8e2f-00000000000a', '', 'v1.0', 'temporary access pass'],
    ['platformCredential', ID.patti, 'platformCredentialMethods', 'cGF0dGktcHNzby1NYWNCb29rUHJv', '', 'v1.0', 'Platform Credential'],
    [
      'externalAuthentication',
      ID.alex,
      'externalAuthenticationMethods',
      'e0a0b0c0-0002-4f3e-8d2c-000000000002',
      '/$ref',
      'v1.0',
      'External Authentication Method',
    ],
    ['hardwareOath', ID.nestor, 'hardwareOathMethods', '4a7d0a7b-0008-4e1f-9a2b-000000000008', '', 'beta', 'Hardware OATH token'],
  ] as const)('deletes a %s method with 204 and writes "Admin deleted security info"', async (type, user, collection, id, suffix, version, label) => {
    const before = sim().tenant.audits.length;
    expect(await methodIds(user)).toContain(id);
    const path = auth(user, `${collection}/${id}${suffix}`);
    const res = await graph(sim(), path, { method: 'DELETE', version });
    expect(res.status).toBe(204);
    expect(await methodIds(user)).not.toContain(id);
    const records = sim().tenant.audits.slice(before);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      activityDisplayName: 'Admin deleted security info',
      loggedByService: 'Authentication Methods',
      category: 'UserManagement',
      result: 'success',
      resultReason: `Admin deleted ${label} method for user`,
      initiatedBy: { app: { appId: ID.botApp, displayName: 'Entra Recovery Bot' } },
      targetResources: [expect.objectContaining({ id: user, type: 'User' })],
    });
    expect(records[0]?.additionalDetails).toEqual(
      expect.arrayContaining([
        { key: 'MethodType', value: type },
        { key: 'MethodId', value: id },
      ]),
    );
    // The method is gone: a second delete finds nothing.
    const again = await graph(sim(), path, { method: 'DELETE', version });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('itemNotFound');
  });

  it('deletes the beta-only QR code PIN singleton', async () => {
    const path = auth(ID.alex, 'qrCodePinMethod');
    expect((await graph(sim(), path, { version: 'beta' })).status).toBe(200);
    const before = sim().tenant.audits.length;
    expect((await graph(sim(), path, { method: 'DELETE', version: 'beta' })).status).toBe(204);
    expect(sim().tenant.audits.slice(before)).toEqual([expect.objectContaining({ resultReason: 'Admin deleted QR code PIN method for user' })]);
    expect((await graph(sim(), path, { version: 'beta' })).status).toBe(404);
    expect((await graph(sim(), path, { method: 'DELETE', version: 'beta' })).status).toBe(404);
  });

  it('keeps the beta-only types out of v1.0', async () => {
    const hardware = await graph(sim(), auth(ID.nestor, 'hardwareOathMethods'));
    expect(hardware.status).toBe(400);
    expect(hardware.body.error.message).toBe("Resource not found for the segment 'hardwareOathMethods'.");
    expect((await graph(sim(), auth(ID.alex, 'qrCodePinMethod'))).status).toBe(400);
    expect((await graph(sim(), auth(ID.alex, 'qrCodePinMethod'), { version: 'beta' })).body).toMatchObject({
      '@odata.type': '#microsoft.graph.qrCodePinAuthenticationMethod',
    });
    const listed = values((await graph(sim(), auth(ID.nestor, 'hardwareOathMethods'), { version: 'beta' })).body);
    // The token's name is on its device (authentication-list-hardwareoathmethods, beta).
    expect(listed).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod',
        device: expect.objectContaining({ displayName: 'Token 000042', serialNumber: '000042' }),
      }),
    ]);
  });

  it('lists only v1.0 types in the v1.0 methods collection: a hardware OATH token shows in beta only', async () => {
    // msgraph-metadata schemas/v1.0-Prod.csdl has no hardwareOathAuthenticationMethod; beta has it (type mappings).
    const token = '4a7d0a7b-0008-4e1f-9a2b-000000000008';
    const v1 = values((await graph(sim(), auth(ID.nestor, 'methods'))).body);
    expect(v1.map((m) => m.id)).not.toContain(token);
    expect(v1.map((m) => m['@odata.type'])).not.toContain('#microsoft.graph.hardwareOathAuthenticationMethod');
    expect((await graph(sim(), auth(ID.nestor, `methods/${token}`))).status).toBe(404);
    const beta = values((await graph(sim(), auth(ID.nestor, 'methods'), { version: 'beta' })).body);
    expect(beta.map((m) => m.id)).toContain(token);
  });

  it('removes an external method only as a $ref', async () => {
    const res = await graph(sim(), auth(ID.alex, 'externalAuthenticationMethods/e0a0b0c0-0002-4f3e-8d2c-000000000002'), { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(await methodIds(ID.alex)).toContain('e0a0b0c0-0002-4f3e-8d2c-000000000002');
  });

  it('refuses to delete the password method', async () => {
    const before = sim().tenant.audits.length;
    const res = await graph(sim(), auth(ID.adele, `passwordMethods/${ID.password}`), { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.body.error).toMatchObject({ code: 'Request_BadRequest', message: 'Specified HTTP method is not allowed for the request target.' });
    expect(await methodIds(ID.adele)).toContain(ID.password);
    expect(sim().tenant.audits.length).toBe(before);
  });

  it('fails a DELETE on the abstract methods/{id} the way Graph does, and deletes nothing', async () => {
    const res = await graph(sim(), auth(ID.adele, 'methods/e3a11000-0004-4c2b-9d1e-000000000004'), { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UnknownError');
    expect(res.body.error.message).toContain('No HTTP resource was found that matches the request URI');
    expect(res.body.error.message).toContain('mface.windowsazure.com');
    expect(await methodIds(ID.adele)).toContain('e3a11000-0004-4c2b-9d1e-000000000004');
  });

  it('refuses to delete the default method while other methods exist, until the default is moved', async () => {
    const authenticatorId = 'a7c0de11-0009-4a1b-9c2d-000000000009';
    const refused = await graph(sim(), auth(ID.johanna, `microsoftAuthenticatorMethods/${authenticatorId}`), { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'badRequest',
      message: 'Cannot delete default method with other methods configured. Please change default method before deletion.',
    });
    expect(await methodIds(ID.johanna)).toContain(authenticatorId);

    const prefs = await graph(sim(), auth(ID.johanna, 'signInPreferences'), { version: 'beta' });
    expect(prefs.body).toMatchObject({ userPreferredMethodForSecondaryAuthentication: 'push', isSystemPreferredAuthenticationMethodEnabled: false });
    const moved = await graph(sim(), auth(ID.johanna, 'signInPreferences'), {
      version: 'beta',
      method: 'PATCH',
      body: { userPreferredMethodForSecondaryAuthentication: 'voiceOffice' },
    });
    expect(moved.status).toBe(204);
    expect((await graph(sim(), auth(ID.johanna, `microsoftAuthenticatorMethods/${authenticatorId}`), { method: 'DELETE' })).status).toBe(204);
    // Now the office phone is the default and cannot go first.
    const office = await graph(sim(), auth(ID.johanna, `phoneMethods/${ID.office}`), { method: 'DELETE' });
    expect(office.status).toBe(400);
  });

  it('refuses to make a method the default when the user has none of that kind', async () => {
    const res = await graph(sim(), auth(ID.adele, 'signInPreferences'), {
      version: 'beta',
      method: 'PATCH',
      body: { userPreferredMethodForSecondaryAuthentication: 'push' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('badRequest');
    expect((await graph(sim(), auth(ID.adele, 'signInPreferences'), { version: 'beta' })).body.userPreferredMethodForSecondaryAuthentication).toBe('none');
    expect((await graph(sim(), auth(ID.adele, 'signInPreferences'))).status).toBe(400);
  });

  it('lets the default go last, after which the user has no default', async () => {
    // Lee: the attacker's phone is the default (sms); the email must go first.
    const phone = auth(ID.lee, `phoneMethods/${ID.mobile}`);
    expect((await graph(sim(), phone, { method: 'DELETE' })).status).toBe(400);
    expect((await graph(sim(), auth(ID.lee, 'emailMethods/e3a11000-0005-4c2b-9d1e-000000000005'), { method: 'DELETE' })).status).toBe(204);
    expect((await graph(sim(), phone, { method: 'DELETE' })).status).toBe(204);
    expect(await methodIds(ID.lee)).toEqual([ID.password]);
    expect(sim().tenant.users.get(ID.lee)?.userPreferredMethodForSecondaryAuthentication).toBe('none');
  });

  it('refuses to delete the mobile phone while an alternate mobile exists', async () => {
    await graph(sim(), auth(ID.johanna, 'signInPreferences'), {
      version: 'beta',
      method: 'PATCH',
      body: { userPreferredMethodForSecondaryAuthentication: 'voiceOffice' },
    });
    const refused = await graph(sim(), auth(ID.johanna, `phoneMethods/${ID.mobile}`), { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('badRequest');
    expect(refused.body.error.message).toMatch(/alternateMobile/);
    expect((await graph(sim(), auth(ID.johanna, `phoneMethods/${ID.alternateMobile}`), { method: 'DELETE' })).status).toBe(204);
    expect((await graph(sim(), auth(ID.johanna, `phoneMethods/${ID.mobile}`), { method: 'DELETE' })).status).toBe(204);
  });

  it('writes "Admin updated security info" when the default moves', async () => {
    const before = sim().tenant.audits.length;
    await graph(sim(), auth(ID.johanna, 'signInPreferences'), {
      version: 'beta',
      method: 'PATCH',
      body: { userPreferredMethodForSecondaryAuthentication: 'sms' },
    });
    expect(sim().tenant.audits.slice(before)).toEqual([
      expect.objectContaining({ activityDisplayName: 'Admin updated security info', loggedByService: 'Authentication Methods' }),
    ]);
  });
});
