import { checkAccountRecovery, watchAccountRecovery } from '../../src/app/account-recovery';
import { ALL_USERS } from '../../src/domain/account-recovery';
import { ACCOUNT_RECOVERY_EVENTS as E } from '../../src/domain/account-recovery-outcome';
import type { AuditEvent } from '../../src/domain/audit';
import { DirectoryError } from '../../src/ports/directory';
import { FixedClock } from '../fakes/fixed-clock';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { sampleCase } from '../helpers/sample-cases';
import { TEST_NOW } from '../helpers/test-clock';

/**
 * Issue 17: the Account Recovery use-case helpers over the Directory port (in memory): every read failure becomes an
 * "unknown" check, never an exception into the click; the watch reads the user's audit records since the hand-off.
 */
const c = sampleCase();
const USER = c.target.id;
const GROUP = 'g-recovery';
const PROFILE = { id: 'p-1', name: 'Recovery', state: 'enabled', usages: [{ purpose: 'recovery', isEnabledForTestOnly: false }], faceCheckEnabled: true };

function ready(): InMemoryDirectory {
  const d = new InMemoryDirectory(new FixedClock());
  d.addUser({ ...c.target, givenName: 'Adele', surname: 'Vance', lastSignInDateTime: '2026-11-17T08:00:00Z' });
  d.addGroup(GROUP, [USER]);
  d.profiles = [PROFILE];
  d.verifiedIdTargets = { enabled: true, include: [{ targetType: 'group', id: GROUP, profileIds: ['p-1'] }], exclude: [] };
  d.tapTargets = { enabled: true, include: [{ targetType: 'group', id: ALL_USERS }], exclude: [] };
  return d;
}
const outcomes = (r: { checks: readonly { name: string; outcome: string }[] }): Record<string, string> =>
  Object.fromEntries(r.checks.map((k) => [k.name, k.outcome]));
const denied = (): DirectoryError => new DirectoryError('denied', 'The app lacks a permission (VerifiedId-Profile.Read.All).');

describe('checkAccountRecovery', () => {
  it('reads the profiles, both scopes, the user and the group memberships, and finds recovery available', async () => {
    const d = ready();
    const r = await checkAccountRecovery({ directory: d }, c);
    expect(r.available).toBe(true);
    expect(Object.values(outcomes(r)).filter((o) => o !== 'pass')).toEqual(['unknown']);
    expect(d.calls).toEqual(expect.arrayContaining(['verifiedIdProfiles', 'verifiedIdScope', 'tapScope', 'recoveryProfile', 'memberOf']));
  });

  it('asks for no membership when every scope is all users', async () => {
    const d = ready();
    d.verifiedIdTargets = { enabled: true, include: [{ targetType: 'group', id: ALL_USERS, profileIds: ['p-1'] }], exclude: [] };
    const r = await checkAccountRecovery({ directory: d }, c);
    expect(r.available).toBe(true);
    expect(d.calls).not.toContain('memberOf');
  });

  it.each([
    ['verifiedIdProfiles', ['profileEnabled', 'purposeRecovery', 'notTestOnly', 'faceCheckEnabled', 'userInScope'], false],
    ['verifiedIdScope', ['userInScope'], true],
    ['tapScope', ['tapCoversUser'], true],
    ['recoveryProfile', ['namesSet', 'priorSignIns'], true],
    ['memberOf', ['userInScope'], true],
  ] as const)('turns a refused %s read into unknown checks, with the safe message', async (op, unknown, available) => {
    const d = ready().failNext(op, denied());
    const r = await checkAccountRecovery({ directory: d }, c);
    const o = outcomes(r);
    expect(Object.keys(o).filter((k) => o[k] === 'unknown' && k !== 'licence')).toEqual(unknown);
    expect(r.available).toBe(available);
    expect(r.checks.find((k) => k.name === unknown[0])?.detail).toContain('VerifiedId-Profile.Read.All');
  });

  it('lets a bug through instead of calling it unknown', async () => {
    const d = ready().failNext('tapScope', new TypeError('a bug'));
    await expect(checkAccountRecovery({ directory: d }, c)).rejects.toThrow('a bug');
  });

  it('cannot check the names or sign-ins of a user the directory no longer has', async () => {
    const d = new InMemoryDirectory(new FixedClock());
    const r = await checkAccountRecovery({ directory: d }, c);
    expect(outcomes(r)).toMatchObject({ namesSet: 'unknown', priorSignIns: 'unknown' });
    expect(r.checks.find((k) => k.name === 'namesSet')?.detail).toContain('not found');
  });
});

describe('watchAccountRecovery', () => {
  const since = new Date(TEST_NOW.getTime() - 60_000);
  const event = (activity: string, at: string, result = 'success'): AuditEvent => ({
    id: `${activity}-${at}`,
    at,
    activity,
    result,
    actor: { kind: 'user', id: USER },
    details: [],
    targetIds: [USER],
  });

  it('reads the user\u2019s audit records since the hand-off and reports the outcome', async () => {
    const d = ready().addAudit(
      event(E.completed, '2026-11-18T10:00:00Z'),
      event(E.started, '2026-11-18T12:01:00Z'),
      event(E.faceCheckFailed, '2026-11-18T12:05:00Z', 'failure'),
    );
    const r = await watchAccountRecovery({ directory: d }, c, since);
    expect(r).toMatchObject({ ok: true, value: { status: 'failed', seen: [{ activity: E.started }, { activity: E.faceCheckFailed }] } });
  });

  it('says it could not read the audit log instead of throwing', async () => {
    const d = ready().failNext('listAudit', new DirectoryError('unavailable', 'Graph is unavailable.'));
    expect(await watchAccountRecovery({ directory: d }, c, since)).toEqual({ ok: false, reason: 'Graph is unavailable.' });
  });
});
