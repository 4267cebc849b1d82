import { type RunningSimulator } from '../../src/simulator';
import { FIXED_NOW, graph, ID, values, useResetSimulator } from './graph-client';

const signIns = (filter: string): string => `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`;
const signInAs = (sim: RunningSimulator, user: string, body: Record<string, unknown>) =>
  graph(sim, `/_simulator/users/${user}/sign-in`, { version: '', method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

describe('simulated Graph: sign-in logs', () => {
  const sim = useResetSimulator();

  it('filters by user and time, newest first, with the v1.0 fields', async () => {
    const res = await graph(sim(), signIns(`userId eq '${ID.lee}' and createdDateTime ge 2025-06-15T00:00:00Z`));
    expect(res.status).toBe(200);
    const items = values(res.body);
    expect(items.map((s) => s.createdDateTime)).toEqual(['2025-06-17T08:31:20.000Z', '2025-06-16T02:21:15.000Z', '2025-06-15T16:10:03.000Z']);
    const risky = items[1];
    expect(risky).toMatchObject({
      userId: ID.lee,
      userPrincipalName: 'lee@contoso.com',
      ipAddress: '185.220.101.47',
      riskLevelDuringSignIn: 'high',
      riskState: 'atRisk',
      riskEventTypes_v2: ['anonymizedIPAddress', 'unfamiliarFeatures'],
      location: { city: 'Berlin', countryOrRegion: 'DE' },
      status: { errorCode: 0 },
      conditionalAccessStatus: 'success',
      isInteractive: true,
      clientAppUsed: 'Browser',
      appDisplayName: 'Office 365 Exchange Online',
    });
    expect(risky?.appliedConditionalAccessPolicies).toContainEqual(
      expect.objectContaining({ displayName: 'Require multifactor authentication for all users', result: 'success', enforcedGrantControls: ['Mfa'] }),
    );
    // Authentication details are beta-only.
    expect(risky?.authenticationDetails).toBeUndefined();
    expect(items[0]).toMatchObject({ status: { errorCode: 500121, failureReason: 'Authentication failed during strong authentication request.' } });
  });

  it('shows which method was used on beta', async () => {
    const res = await graph(sim(), signIns(`userId eq '${ID.lee}' and riskLevelDuringSignIn eq 'high'`), { version: 'beta' });
    expect(values(res.body)).toEqual([
      expect.objectContaining({
        authenticationRequirement: 'multiFactorAuthentication',
        authenticationDetails: [
          expect.objectContaining({ authenticationMethod: 'Password' }),
          expect.objectContaining({ authenticationMethod: 'Text message', succeeded: true }),
        ],
      }),
    ]);
  });

  it('shows the report-only admin policy failing for Ravi’s SMS sign-in', async () => {
    const [ravi] = values((await graph(sim(), signIns(`userId eq '${ID.ravi}'`))).body);
    expect(ravi?.appliedConditionalAccessPolicies).toContainEqual(
      expect.objectContaining({ displayName: 'Require phishing-resistant MFA for administrators', result: 'reportOnlyFailure' }),
    );
    expect(ravi).toMatchObject({ ipAddress: '185.220.101.47', status: { errorCode: 0 }, riskLevelDuringSignIn: 'medium' });
  });

  it('refuses filters it does not support', async () => {
    expect((await graph(sim(), signIns("deviceDetail/browser eq 'Edge'"))).status).toBe(400);
    expect((await graph(sim(), signIns(`userId eq '${ID.lee}' and createdDateTime ge '2025-06-04'`))).status).toBe(400);
  });

  it('records a simulated sign-in, which then shows on the user', async () => {
    const res = await signInAs(sim(), 'nestor@contoso.com', { method: 'fido2' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userId: ID.nestor,
      createdDateTime: FIXED_NOW.toISOString(),
      status: { errorCode: 0 },
      authenticationDetails: [expect.objectContaining({ authenticationMethod: 'FIDO2 security key' })],
    });
    const [newest] = values((await graph(sim(), signIns(`userId eq '${ID.nestor}'`))).body);
    expect(newest?.id).toBe(res.body.id);
    const user = await graph(sim(), `/users/${ID.nestor}?$select=signInActivity`);
    expect(user.body.signInActivity).toMatchObject({
      lastSignInDateTime: FIXED_NOW.toISOString(),
      lastSuccessfulSignInDateTime: FIXED_NOW.toISOString(),
      lastSignInRequestId: res.body.id,
    });
  });

  it('fails a sign-in with a method the user does not have, or when told to', async () => {
    const noKey = await signInAs(sim(), ID.lee, { method: 'fido2' });
    expect(noKey.body.status).toMatchObject({ errorCode: 500121, failureReason: 'The user has no registered fido2 method.' });
    const wrongPassword = await signInAs(sim(), ID.johanna, { method: 'password', success: false });
    expect(wrongPassword.body.status.errorCode).toBe(50126);
    const user = await graph(sim(), `/users/${ID.lee}?$select=signInActivity`);
    expect(user.body.signInActivity.lastSignInDateTime).toBe(FIXED_NOW.toISOString());
    expect(user.body.signInActivity.lastSuccessfulSignInDateTime).toBe('2025-06-16T02:21:15.000Z');
  });

  it('applies Conditional Access to simulated sign-ins', async () => {
    const passwordOnly = await signInAs(sim(), ID.johanna, { method: 'password' });
    expect(passwordOnly.body).toMatchObject({ conditionalAccessStatus: 'failure', status: { errorCode: 50074 } });
    const legacy = await signInAs(sim(), ID.johanna, { method: 'microsoftAuthenticator', clientAppUsed: 'Exchange ActiveSync' });
    expect(legacy.body).toMatchObject({ conditionalAccessStatus: 'failure', status: { errorCode: 53003 } });
    expect(legacy.body.appliedConditionalAccessPolicies).toContainEqual(
      expect.objectContaining({ displayName: 'Block legacy authentication', result: 'failure' }),
    );
  });

  it('fails the sign-in of a disabled account and refuses unknown users and bad bodies', async () => {
    await graph(sim(), `/users/${ID.johanna}`, { method: 'PATCH', body: { accountEnabled: false } });
    expect((await signInAs(sim(), ID.johanna, { method: 'microsoftAuthenticator' })).body.status.errorCode).toBe(50057);
    expect((await signInAs(sim(), 'ghost@contoso.com', { method: 'fido2' })).status).toBe(404);
    expect((await signInAs(sim(), ID.nestor, { method: 'carrier-pigeon' })).status).toBe(400);
  });

  it('completes a forced password change on the next password sign-in', async () => {
    await graph(sim(), `/users/${ID.johanna}`, {
      method: 'PATCH',
      body: { passwordProfile: { password: 'Temp-Password-1', forceChangePasswordNextSignIn: true } },
    });
    expect(sim().tenant.users.get(ID.johanna)?.passwordReset?.forceChangePasswordNextSignIn).toBe(true);
    await signInAs(sim(), ID.johanna, { method: 'microsoftAuthenticator' });
    expect(sim().tenant.users.get(ID.johanna)?.passwordReset?.forceChangePasswordNextSignIn).toBe(false);
  });
});
