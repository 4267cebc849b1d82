import { loadDemoSeed, startSimulator, type RunningSimulator } from '../../src/simulator';
import { FIXED_NOW, fixedClock, graph, ID, values, control, useResetSimulator } from './graph-client';

const ADELE_AUTHENTICATOR = 'a7c0de11-0004-4a1b-9c2d-000000000004';
const ADELE_FIDO2 = 'YWRlbGUtZmlkbzItWXViaUtleTVORkM';
const ADELE_EMAIL = 'e3a11000-0004-4c2b-9d1e-000000000004';
const LEE_AUTHENTICATOR = 'a7c0de11-0005-4a1b-9c2d-000000000005';
const LEE_FIDO2 = 'bGVlLWZpZG8yLUZlaXRpYW4';

const restore = (sim: RunningSimulator, user: string, body?: Record<string, unknown>) => control(sim, `/backup/users/${user}/restore`, body);
const audits = (filter: string): string => `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`;

describe('simulator control: restore a user from Entra Backup and Recovery', () => {
  const sim = useResetSimulator();

  it('brings back exactly the methods the HR app deleted from Adele, with their ids, and writes the recovery record', async () => {
    const before = sim().tenant.audits.length;
    const res = await restore(sim(), 'adele@contoso.com');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      restored: [ADELE_AUTHENTICATOR, ID.mobile],
      snapshotAt: '2025-06-17T03:00:00.000Z',
      recoveryJobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const methods = values((await graph(sim(), `/users/${ID.adele}/authentication/methods`)).body);
    expect(methods.map((m) => m.id).sort()).toEqual([ID.password, ADELE_FIDO2, ADELE_EMAIL, ADELE_AUTHENTICATOR, ID.mobile].sort());
    expect(methods).toContainEqual(
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        id: ADELE_AUTHENTICATOR,
        displayName: 'iPhone 13',
        createdDateTime: '2024-11-18T08:41:03.000Z',
      }),
    );
    expect(methods).toContainEqual(expect.objectContaining({ id: ID.mobile, phoneType: 'mobile', phoneNumber: '+1 425 555 0104' }));

    expect(sim().tenant.audits.slice(before)).toHaveLength(1);
    const [record] = values((await graph(sim(), audits(`targetResources/any(t: t/id eq '${ID.adele}') and activityDisplayName eq 'Update user'`))).body);
    expect(record).toMatchObject({
      activityDateTime: FIXED_NOW.toISOString(),
      loggedByService: 'Core Directory',
      operationType: 'Update',
      correlationId: res.body.recoveryJobId,
      initiatedBy: { app: { displayName: 'Microsoft Entra Backup and Recovery' } },
      additionalDetails: [
        { key: 'RecoveryJob', value: res.body.recoveryJobId },
        { key: 'SnapshotDateTime', value: '2025-06-17T03:00:00.000Z' },
      ],
    });
    const changed = (record?.targetResources as { modifiedProperties: { newValue: string }[] }[])[0]?.modifiedProperties.map((p) => p.newValue).join(' ');
    expect(changed).toContain(ADELE_AUTHENTICATOR);
    expect(changed).toContain(ID.mobile);
    const registration = await graph(sim(), `/reports/authenticationMethods/userRegistrationDetails/${ID.adele}`);
    expect(registration.body).toMatchObject({
      lastUpdatedDateTime: FIXED_NOW.toISOString(),
      methodsRegistered: expect.arrayContaining(['microsoftAuthenticatorPush', 'mobilePhone']),
    });
  });

  it('is idempotent: a second restore brings back nothing and writes nothing', async () => {
    await restore(sim(), ID.adele);
    const before = sim().tenant.audits.length;
    const again = await restore(sim(), ID.adele);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ restored: [], snapshotAt: '2025-06-17T03:00:00.000Z' });
    expect(sim().tenant.audits.length).toBe(before);
    expect(sim().tenant.methods.get(ID.adele)).toHaveLength(5);
  });

  it('leaves methods added after the snapshot in place', async () => {
    const added = await control(sim(), `/users/${ID.adele}/register-method`, { type: 'fido2', displayName: 'Spare key' });
    expect(added.status).toBe(201);
    const res = await restore(sim(), ID.adele);
    expect(res.body.restored).toEqual([ADELE_AUTHENTICATOR, ID.mobile]);
    const fido2 = values((await graph(sim(), `/users/${ID.adele}/authentication/fido2Methods`)).body);
    expect(fido2.map((m) => m.id)).toEqual([ADELE_FIDO2, added.body.id]);
  });

  it('picks the latest snapshot before snapshotBefore: Lee’s from before the attack', async () => {
    const latest = await restore(sim(), ID.lee);
    expect(latest.body).toMatchObject({ restored: [], snapshotAt: '2025-06-17T03:00:00.000Z' });
    const beforeAttack = await restore(sim(), ID.lee, { snapshotBefore: '2025-06-16T02:14:00Z' });
    expect(beforeAttack.status).toBe(200);
    expect(beforeAttack.body).toMatchObject({ restored: [LEE_AUTHENTICATOR, LEE_FIDO2], snapshotAt: '2025-06-15T03:00:00.000Z' });
    // The attacker's phone, added after that snapshot, is still there: a restore does not delete.
    expect(
      sim()
        .tenant.methods.get(ID.lee)
        ?.map((m) => m.id),
    ).toContain(ID.mobile);
  });

  it('never restores a password or a Temporary Access Pass', async () => {
    const seed = loadDemoSeed();
    const adele = seed.users.find((u) => u.id === ID.adele)!;
    const snapshot = Array.isArray(adele.backup) ? adele.backup[0]! : adele.backup!;
    snapshot.methods.push({
      type: 'temporaryAccessPass',
      id: 'f0f0f0f0-0004-4000-8000-000000000004',
      createdDateTime: { daysAgo: 2, time: '09:00:00' },
      startDateTime: { daysAgo: 2, time: '09:00:00' },
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    const custom = await startSimulator({ now: fixedClock, seed });
    try {
      const res = await restore(custom, ID.adele);
      expect(res.body.restored).toEqual([ADELE_AUTHENTICATOR, ID.mobile]);
      expect(custom.tenant.methods.get(ID.adele)?.some((m) => m.type === 'temporaryAccessPass')).toBe(false);
    } finally {
      await custom.close();
    }
  });

  it('answers 404 for an unknown or soft-deleted user', async () => {
    const unknown = await restore(sim(), 'nobody@contoso.com');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'Request_ResourceNotFound', innerError: expect.objectContaining({ 'request-id': expect.any(String) }) });
    expect((await restore(sim(), ID.diego)).status).toBe(404);
  });

  it('answers 409 when no snapshot was taken before the time, or none is kept', async () => {
    const tooEarly = await restore(sim(), ID.adele, { snapshotBefore: '2025-06-17T02:59:59Z' });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toMatch(/No backup .* before 2025-06-17T02:59:59.000Z/);
    expect((await restore(sim(), ID.johanna)).status).toBe(409);
    expect(sim().tenant.methods.get(ID.adele)).toHaveLength(3);

    const seed = loadDemoSeed();
    seed.users.find((u) => u.id === ID.adele)!.backup = { snapshotAt: { daysAgo: 6, time: '03:00:00' }, methods: [] };
    const old = await startSimulator({ now: fixedClock, seed });
    try {
      expect((await restore(old, ID.adele)).status).toBe(409);
    } finally {
      await old.close();
    }
  });

  it('refuses a body it does not understand', async () => {
    expect((await restore(sim(), ID.adele, { snapshotBefore: 'yesterday' })).status).toBe(400);
    expect((await restore(sim(), ID.adele, { snapshotAt: '2025-06-17T03:00:00Z' })).status).toBe(400);
  });

  it('checks backup snapshots like the methods they hold', async () => {
    const seed = loadDemoSeed();
    seed.users.find((u) => u.id === ID.adele)!.backup = {
      snapshotAt: { daysAgo: 1, time: '03:00:00' },
      methods: [{ type: 'phone', id: ID.office, phoneType: 'mobile', phoneNumber: '+1 425 555 0104' }],
    };
    await expect(startSimulator({ seed })).rejects.toThrow(/users\.3\.backup\.methods\.0\.id: a mobile phone method always has id/);
  });
});
