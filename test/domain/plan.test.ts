import { ALTERNATE_MOBILE_PHONE_ID, MOBILE_PHONE_ID, buildPlan, defaultMethodId, deleteRequest, deletionOrder } from '../../src/domain/plan';
import type { AccountState, AuthMethod } from '../../src/domain/target';

const USER = 'u1';
const active: AccountState = { kind: 'active', user: { id: USER, displayName: 'Lee Gu', userPrincipalName: 'lee@contoso.com' } };
const methods: AuthMethod[] = [
  { id: '28c10230-6103-485e-b985-444c60001490', type: 'password', detail: 'password' },
  { id: MOBILE_PHONE_ID, type: 'phone', detail: 'mobile' },
  { id: ALTERNATE_MOBILE_PHONE_ID, type: 'phone', detail: 'alternateMobile' },
  { id: 'auth1', type: 'microsoftAuthenticator', detail: 'Pixel' },
  { id: 'fido1', type: 'fido2', detail: 'YubiKey' },
  { id: 'ext1', type: 'externalAuthentication', detail: 'Duo' },
  { id: 'hw1', type: 'hardwareOath', detail: 'token' },
];

describe('plan', () => {
  it('malicious step 2: removes all authentication methods, in an order Graph accepts (alternate before mobile, default last)', () => {
    const order = deletionOrder(
      methods.filter((m) => m.type !== 'password'),
      'auth1',
    ).map((m) => m.id);
    expect(order.indexOf(ALTERNATE_MOBILE_PHONE_ID)).toBeLessThan(order.indexOf(MOBILE_PHONE_ID));
    expect(order[order.length - 1]).toBe('auth1');
  });

  it('uses the per-type DELETE URL for every type, beta and $ref where Graph requires them', () => {
    const paths = methods.map((m) => deleteRequest(USER, m));
    expect(paths[0]).toBeUndefined();
    expect(paths[1]).toEqual({ method: 'DELETE', path: `/users/${USER}/authentication/phoneMethods/${MOBILE_PHONE_ID}`, version: 'v1.0' });
    expect(paths[5]).toEqual({ method: 'DELETE', path: `/users/${USER}/authentication/externalAuthenticationMethods/ext1/$ref`, version: 'v1.0' });
    expect(paths[6]).toEqual({ method: 'DELETE', path: `/users/${USER}/authentication/hardwareOathMethods/hw1`, version: 'beta' });
    expect(deleteRequest(USER, { id: 'q', type: 'qrCodePin', detail: '' })).toEqual({
      method: 'DELETE',
      path: `/users/${USER}/authentication/qrCodePinMethod`,
      version: 'beta',
    });
  });

  it('maps the preferred secondary method to the method Graph treats as default', () => {
    expect(defaultMethodId('push', methods)).toBe('auth1');
    expect(defaultMethodId('sms', methods)).toBe(MOBILE_PHONE_ID);
    expect(defaultMethodId('voiceAlternateMobile', methods)).toBe(ALTERNATE_MOBILE_PHONE_ID);
    expect(defaultMethodId(undefined, methods)).toBeUndefined();
  });

  it('malicious plan for an active user: remove all, revoke, verify identity, password, TAP, check — with the exact Graph calls', () => {
    const plan = buildPlan({ scenario: 'malicious', account: active, methods, defaultMethodId: 'auth1' });
    expect(plan.map((s) => s.kind)).toEqual(['removeAllMethods', 'revokeSessions', 'verifyIdentity', 'resetPassword', 'issueTap', 'checkMethods']);
    const remove = plan[0];
    expect(remove?.kind === 'removeAllMethods' && remove.preview.length).toBe(6);
    expect(plan[1]).toMatchObject({ request: { method: 'POST', path: `/users/${USER}/revokeSignInSessions` } });
    expect(plan[3]).toMatchObject({ request: { method: 'PATCH', path: `/users/${USER}` }, secret: true });
    expect(plan[4]).toMatchObject({ request: { method: 'POST', path: `/users/${USER}/authentication/temporaryAccessPassMethods` }, secret: true });
  });

  it('malicious plan for a soft-deleted user restores first, then removes whatever methods the restore brings back', () => {
    const plan = buildPlan({
      scenario: 'malicious',
      account: { kind: 'softDeleted', deletedDateTime: '2026-11-22T00:00:00Z', user: active.user },
      methods: [],
    });
    expect(plan[0]).toMatchObject({ kind: 'restoreUser', request: { method: 'POST', path: `/directory/deletedItems/${USER}/restore` } });
    expect(plan[1]).toMatchObject({ kind: 'removeAllMethods', title: 'Remove every authentication method found after the restore' });
  });

  it('accidental step 2: a present user is restored to a point in time by a guided Backup and Recovery step', () => {
    const plan = buildPlan({ scenario: 'accidental', account: active, methods, firstChangeAt: '2026-11-24T10:05:00Z' });
    expect(plan.map((s) => s.kind)).toEqual(['pointInTimeRestore', 'checkMethods', 'verifyIdentity', 'resetPassword', 'issueTap']);
    expect(plan[0]).toMatchObject({ guided: true, before: '2026-11-24T10:05:00Z' });
  });

  it('accidental step 2: a hard-deleted user is recreated from the last known values', () => {
    const plan = buildPlan({
      scenario: 'accidental',
      account: {
        kind: 'hardDeleted',
        id: 'i1',
        displayName: 'Isaiah Langer',
        userPrincipalName: 'isaiah@contoso.com',
        hardDeletedDateTime: '2026-11-15T00:00:00Z',
      },
      methods: [],
      recreate: { displayName: 'Isaiah Langer', userPrincipalName: 'isaiah@contoso.com', mailNickname: 'isaiah', jobTitle: 'Sales Rep' },
    });
    expect(plan[0]).toMatchObject({ kind: 'recreateUser', request: { method: 'POST', path: '/users' }, prefill: { jobTitle: 'Sales Rep' } });
  });
});
