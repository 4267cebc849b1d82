import { ROLE, managesAuthenticationMethods, readable, type ReadinessSnapshot } from '../../src/domain/readiness';
import { assessReadiness, count } from '../../src/domain/readiness-checks';
import { changesSince, digestOf } from '../../src/domain/readiness-changes';
import { sampleSnapshot } from '../helpers/sample-readiness';

const role = (allowedResourceActions: string[]) => ({ id: 'r', displayName: 'r', isBuiltIn: false, allowedResourceActions });

describe('which roles manage authentication methods', () => {
  it.each([
    [['microsoft.directory/users/authenticationMethods/create'], true],
    [['microsoft.directory/users/authenticationMethods/delete'], true],
    [['microsoft.directory/users/authenticationMethods/basic/update'], true],
    [['microsoft.directory/users/allProperties/allTasks'], true],
    [['microsoft.directory/users/authenticationMethods/standard/read'], false],
    [['microsoft.directory/users/authenticationMethods/standard/restrictedRead'], false],
    [['microsoft.directory/users/password/update'], false],
    [['microsoft.directory/users/basic/update'], false],
  ])('%j → %s', (actions, expected) => {
    expect(managesAuthenticationMethods(role(actions))).toBe(expected);
  });
});

describe('readiness over edge cases', () => {
  const statusOf = (snapshot: ReadinessSnapshot, id: string): string | undefined => assessReadiness(snapshot).checks.find((c) => c.id === id)?.status;

  it('an empty registration report passes the user checks rather than dividing by zero', () => {
    const empty = { ...sampleSnapshot(), registrations: readable([]) };
    const checks = assessReadiness(empty).checks.filter((c) => c.id.startsWith('methods.') || c.id === 'mfa.capableShare');
    expect(checks.map((c) => [c.status, c.summary])).toEqual([
      ['pass', '0 of 0 users (0%) are MFA capable.'],
      ['pass', '0 of 0 users (0%) have fewer than two methods.'],
      ['pass', '0 of 0 users have no phishing-resistant method, 0 of them admins.'],
    ]);
  });

  it('a principal eligible and active for the same role is a PIM activation, not a standing assignment', () => {
    const snapshot: ReadinessSnapshot = {
      ...sampleSnapshot(),
      activeAssignments: readable([{ roleDefinitionId: ROLE.privilegedAuthenticationAdministrator, principalId: 'p' }]),
      eligibleAssignments: readable([{ roleDefinitionId: ROLE.privilegedAuthenticationAdministrator, principalId: 'p' }]),
    };
    expect(statusOf(snapshot, 'roles.authenticationAdmins')).toBe('pass');
    const standing = { ...snapshot, eligibleAssignments: readable([{ roleDefinitionId: ROLE.authenticationAdministrator, principalId: 'p' }]) };
    expect(statusOf(standing, 'roles.authenticationAdmins')).toBe('fail');
  });

  it('hard delete with a context but Conditional Access unreadable cannot be judged', () => {
    const snapshot: ReadinessSnapshot = {
      ...sampleSnapshot(),
      hardDeleteAction: readable({ name: 'microsoft.directory/deletedItems/delete', authenticationContextId: 'c1' }),
      conditionalAccess: { ok: false, reason: 'refused', needs: 'Policy.Read.All' },
    };
    expect(assessReadiness(snapshot).checks.find((c) => c.id === 'protectedActions.hardDelete')).toMatchObject({
      status: 'unreadable',
      summary: 'Cannot read: needs Policy.Read.All.',
    });
  });

  it('writes large counts with thousands separators', () => {
    expect([count(0), count(999), count(1000), count(10_000), count(1_234_567)]).toEqual(['0', '999', '1,000', '10,000', '1,234,567']);
  });
});

describe('changes since the last report', () => {
  const report = assessReadiness(sampleSnapshot());

  it('lists nothing when nothing moved', () => {
    expect(changesSince(digestOf(report), report)).toEqual([]);
  });

  it('lists a moved status with the old summary, a changed count under the same status, and a check that is new', () => {
    const previous = digestOf(report);
    const changed = {
      ...previous,
      checks: previous.checks
        .filter((c) => c.id !== 'tap.policy')
        .map((c) =>
          c.id === 'methods.twoOrMore' ? { ...c, status: 'pass' as const, summary: 'old' } : c.id === 'mfa.capableShare' ? { ...c, summary: 'older count' } : c,
        ),
    };
    const changes = changesSince(changed, report);
    expect(changes.map((c) => [c.id, c.from, c.to, c.was])).toEqual([
      ['mfa.capableShare', 'fail', 'fail', 'older count'],
      ['methods.twoOrMore', 'pass', 'fail', 'old'],
      ['tap.policy', undefined, 'warn', undefined],
    ]);
  });
});
