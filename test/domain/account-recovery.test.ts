import {
  ALL_USERS,
  accountRecoveryInstructions,
  accountRecoveryPrerequisites,
  choosePath,
  type AccountRecoveryPrerequisites,
  type AccountRecoveryReads,
  type PathInput,
  type PrerequisiteName,
  type VerifiedIdProfileInfo,
} from '../../src/domain/account-recovery';
import { readable } from '../../src/domain/readiness';
import { TEST_NOW } from '../helpers/test-clock';

/**
 * Issue 17: Entra Account Recovery prerequisites (shared/spec/verified-id.md §7.4, §6.1, §6.2) and the path table
 * (§7.1). A tenant where everything holds, then each read changed alone: exactly that check moves.
 */
const USER = 'u-1';
const GROUP = 'g-recovery';
const PROFILE: VerifiedIdProfileInfo = {
  id: 'p-1',
  name: 'Recovery with Contoso IDV',
  state: 'enabled',
  usages: [{ purpose: 'recovery', isEnabledForTestOnly: false }],
  faceCheckEnabled: true,
  priority: 0,
};
const GOOD: AccountRecoveryReads = {
  userId: USER,
  profiles: readable([PROFILE]),
  verifiedIdScope: readable({ enabled: true, include: [{ targetType: 'group', id: GROUP, profileIds: [PROFILE.id] }], exclude: [] }),
  tapScope: readable({ enabled: true, include: [{ targetType: 'group', id: ALL_USERS }], exclude: [] }),
  userGroupIds: readable([GROUP]),
  names: readable({ givenName: 'Lee', surname: 'Gu' }),
  lastSignIn: readable(new Date(TEST_NOW.getTime() - 86_400_000).toISOString()),
};
const DENIED = { ok: false as const, reason: 'Graph refused the read.', needs: 'VerifiedId-Profile.Read.All' };

const outcomeOf = (r: AccountRecoveryPrerequisites, name: PrerequisiteName): string | undefined => r.checks.find((c) => c.name === name)?.outcome;
const changed = (r: AccountRecoveryPrerequisites): Record<string, string> =>
  Object.fromEntries(r.checks.filter((c) => c.name !== 'licence' && c.outcome !== 'pass').map((c) => [c.name, c.outcome]));

describe('accountRecoveryPrerequisites', () => {
  it('passes every readable check in a ready tenant, and is available; the licence stays unknown', () => {
    const r = accountRecoveryPrerequisites(GOOD);
    expect(changed(r)).toEqual({});
    expect(outcomeOf(r, 'licence')).toBe('unknown');
    expect(r.available).toBe(true);
    expect(r.profile).toEqual({ id: 'p-1', name: PROFILE.name });
  });

  const profile = (p: Partial<VerifiedIdProfileInfo>): AccountRecoveryReads => ({ ...GOOD, profiles: readable([{ ...PROFILE, ...p }]) });
  it.each<[string, AccountRecoveryReads, Record<string, string>]>([
    ['a disabled profile', profile({ state: 'disabled' }), { profileEnabled: 'fail' }],
    ['an onboarding profile', profile({ usages: [{ purpose: 'onboarding', isEnabledForTestOnly: false }] }), { purposeRecovery: 'fail', notTestOnly: 'fail' }],
    ['a profile in Evaluation mode', profile({ usages: [{ purpose: 'recovery', isEnabledForTestOnly: true }] }), { notTestOnly: 'fail' }],
    ['Face Check off', profile({ faceCheckEnabled: false }), { faceCheckEnabled: 'fail' }],
    [
      'no profile at all',
      { ...GOOD, profiles: readable([]) },
      { profileEnabled: 'fail', purposeRecovery: 'fail', notTestOnly: 'fail', faceCheckEnabled: 'fail', userInScope: 'fail' },
    ],
    ['the user in no included group', { ...GOOD, userGroupIds: readable([]) }, { userInScope: 'fail' }],
    [
      'the group included for another profile only',
      { ...GOOD, verifiedIdScope: readable({ enabled: true, include: [{ targetType: 'group', id: GROUP, profileIds: ['p-other'] }], exclude: [] }) },
      { userInScope: 'fail' },
    ],
    [
      'the user in an excluded group',
      {
        ...GOOD,
        verifiedIdScope: readable({
          enabled: true,
          include: [{ targetType: 'group', id: ALL_USERS, profileIds: ['p-1'] }],
          exclude: [{ targetType: 'group', id: GROUP }],
        }),
      },
      { userInScope: 'fail' },
    ],
    ['the Verified ID method disabled', { ...GOOD, verifiedIdScope: readable({ enabled: false, include: [], exclude: [] }) }, { userInScope: 'fail' }],
    ['a blank surname', { ...GOOD, names: readable({ givenName: 'Lee', surname: '  ' }) }, { namesSet: 'fail' }],
    ['no given name', { ...GOOD, names: readable({ surname: 'Gu' }) }, { namesSet: 'fail' }],
    ['no sign-in ever', { ...GOOD, lastSignIn: readable(undefined) }, { priorSignIns: 'fail' }],
    ['TAP disabled', { ...GOOD, tapScope: readable({ enabled: false, include: [], exclude: [] }) }, { tapCoversUser: 'fail' }],
    [
      'TAP for another group',
      { ...GOOD, tapScope: readable({ enabled: true, include: [{ targetType: 'group', id: 'g-other' }], exclude: [] }) },
      { tapCoversUser: 'fail' },
    ],
    [
      'TAP excluding the user directly',
      { ...GOOD, tapScope: readable({ enabled: true, include: [{ targetType: 'group', id: ALL_USERS }], exclude: [{ targetType: 'user', id: USER }] }) },
      { tapCoversUser: 'fail' },
    ],
  ])('fails for %s, and is not available', (_name, reads, expected) => {
    const r = accountRecoveryPrerequisites(reads);
    expect(changed(r)).toEqual(expected);
    expect(r.available).toBe(false);
  });

  it.each<[string, AccountRecoveryReads, Record<string, string>, boolean]>([
    [
      'profiles unreadable',
      { ...GOOD, profiles: DENIED },
      { profileEnabled: 'unknown', purposeRecovery: 'unknown', notTestOnly: 'unknown', faceCheckEnabled: 'unknown', userInScope: 'unknown' },
      false,
    ],
    ['the Verified ID method policy unreadable', { ...GOOD, verifiedIdScope: DENIED }, { userInScope: 'unknown' }, true],
    ['group memberships unreadable', { ...GOOD, userGroupIds: DENIED }, { userInScope: 'unknown' }, true],
    ['names unreadable', { ...GOOD, names: DENIED }, { namesSet: 'unknown' }, true],
    ['sign-in activity unreadable', { ...GOOD, lastSignIn: DENIED }, { priorSignIns: 'unknown' }, true],
    ['the TAP policy unreadable', { ...GOOD, tapScope: DENIED }, { tapCoversUser: 'unknown' }, true],
  ])('reports unknown, never pass, when %s', (_name, reads, expected, available) => {
    const r = accountRecoveryPrerequisites(reads);
    expect(changed(r)).toEqual(expected);
    expect(r.available).toBe(available);
    for (const c of r.checks.filter((x) => x.outcome === 'unknown')) expect(c.detail).toMatch(/Not counted as a pass|not readable/);
  });

  it('reports on the most nearly usable profile when there are several', () => {
    const evaluation = { ...PROFILE, id: 'p-eval', name: 'Evaluation', usages: [{ purpose: 'recovery', isEnabledForTestOnly: true }], priority: 0 };
    const production = { ...PROFILE, priority: 5 };
    const r = accountRecoveryPrerequisites({ ...GOOD, profiles: readable([evaluation, production]) });
    expect(r.profile?.id).toBe('p-1');
    expect(r.available).toBe(true);
  });

  it('names the permission a refused read needs', () => {
    const r = accountRecoveryPrerequisites({ ...GOOD, profiles: DENIED });
    expect(r.checks[0]?.detail).toContain('VerifiedId-Profile.Read.All');
  });
});

describe('choosePath (spec §7.1)', () => {
  const available = accountRecoveryPrerequisites(GOOD);
  const unavailable = accountRecoveryPrerequisites({ ...GOOD, profiles: readable([]) });
  const base: PathInput = { scenario: 'malicious', photoChangeSeen: false, privileged: false, verifiedIdConfigured: true, accountRecovery: available };
  const KNOWN = '2026-11-16T02:14:00Z';

  it.each<[string, PathInput, string, RegExp]>([
    ['accidental, Verified ID configured', { ...base, scenario: 'accidental' }, 'verifiedId', /VerifiedEmployee card issued before/],
    ['malicious, window known, no photo change', { ...base, compromiseStart: KNOWN }, 'verifiedId', /Revoke any card issued inside the window/],
    ['malicious, window unknown', base, 'accountRecovery', /window is unknown/],
    ['malicious, window known, photo change seen', { ...base, compromiseStart: KNOWN, photoChangeSeen: true }, 'accountRecovery', /photo change is visible/],
    ['privileged target in an accidental case', { ...base, scenario: 'accidental', privileged: true }, 'accountRecovery', /privileged/],
    ['window unknown, Account Recovery unavailable', { ...base, accountRecovery: unavailable }, 'verifiedId', /identity-verification partner credential/],
    ['window unknown, nothing configured', { ...base, accountRecovery: unavailable, verifiedIdConfigured: false }, 'manual', /extra approvals/],
    [
      'window known, Verified ID not configured, Account Recovery ready',
      { ...base, compromiseStart: KNOWN, verifiedIdConfigured: false },
      'accountRecovery',
      /not configured for the bot/,
    ],
    [
      'accidental, nothing configured',
      { ...base, scenario: 'accidental', verifiedIdConfigured: false, accountRecovery: unavailable },
      'manual',
      /Identity verification is not available/,
    ],
  ])('%s', (_row, input, path, reason) => {
    const choice = choosePath(input);
    expect(choice.path).toBe(path);
    expect(choice.reasons.join(' ')).toMatch(reason);
  });

  it('treats the photo as possibly changed whenever the window is unknown, saying the bot cannot read photo changes', () => {
    expect(choosePath(base).reasons.join(' ')).toMatch(/cannot read photo changes/);
    expect(choosePath({ ...base, compromiseStart: KNOWN }).reasons.join(' ')).toMatch(/may not record one/);
  });

  it('lists the checks it could not read when it offers Account Recovery', () => {
    expect(choosePath(base).reasons.join(' ')).toMatch(/confirm: licence/);
  });
});

describe('accountRecoveryInstructions', () => {
  it('walks the user from the sign-in page to registering a method, naming the account', () => {
    const steps = accountRecoveryInstructions({ userPrincipalName: 'lee@contoso.com', organisation: 'Contoso' });
    expect(steps[0]).toContain('lee@contoso.com');
    expect(steps[0]).toContain('Recover your account');
    expect(steps.findIndex((s) => s.includes('Face Check'))).toBeLessThan(steps.findIndex((s) => s.includes('mysignins')));
    expect(steps.join(' ')).toMatch(/do not read it out/);
  });
});
