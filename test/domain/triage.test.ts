import type { AuditActor, AuditEvent, SignInEvent } from '../../src/domain/audit';
import { isOutsideWorkingHours, triage, type TriageContext } from '../../src/domain/triage';

const TARGET = 'target-id';
const HR_APP: AuditActor = { kind: 'app', appId: 'hr-app', displayName: 'Contoso HR Provisioning' };
const GRADY: AuditActor = { kind: 'user', id: 'grady', displayName: 'Grady Archie', userPrincipalName: 'grady@contoso.com', ipAddress: '10.0.0.5' };
const RAVI: AuditActor = { kind: 'user', id: 'ravi', displayName: 'Ravi Sharma', userPrincipalName: 'ravi.admin@contoso.com', ipAddress: '185.220.101.47' };
const SELF: AuditActor = { kind: 'user', id: TARGET, userPrincipalName: 'adele@contoso.com' };

const context: TriageContext = {
  targetId: TARGET,
  automationAppIds: new Set(['hr-app']),
  trustedUserIds: new Set(['grady']),
  workingHours: { timeZone: 'UTC', startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5] },
  reAddWindowMinutes: 60,
};

let n = 0;
function event(activity: string, at: string, actor: AuditActor, extra: Partial<AuditEvent> = {}): AuditEvent {
  return { id: `e${++n}`, at, activity, result: 'success', actor, details: [], targetIds: [TARGET], ...extra };
}
// 2026-11-24 is a Tuesday.
const TUESDAY_10 = '2026-11-24T10:05:00Z';
const TUESDAY_0214 = '2026-11-24T02:14:00Z';
const TUESDAY_0219 = '2026-11-24T02:19:00Z';
const SATURDAY_11 = '2026-11-21T11:00:00Z';

describe('triage: given the audit records and sign-ins, when triaged, then', () => {
  const table: Array<[string, AuditEvent[], SignInEvent[], 'accidental' | 'malicious', RegExp]> = [
    [
      'deletions by the HR provisioning app in office hours → accidental',
      [
        event('Admin deleted security info', TUESDAY_10, HR_APP, { resultReason: 'Microsoft Authenticator' }),
        event('Admin deleted security info', TUESDAY_10, HR_APP, { details: ['mobile phone'] }),
      ],
      [],
      'accidental',
      /known automation/,
    ],
    [
      'a deletion by a helpdesk member in office hours → accidental',
      [event('Admin deleted security info', TUESDAY_10, GRADY)],
      [],
      'accidental',
      /helpdesk members \(Grady Archie/,
    ],
    [
      'a deletion by an unknown admin → malicious',
      [event('Admin deleted security info', TUESDAY_10, RAVI)],
      [],
      'malicious',
      /Ravi Sharma .* is neither a known automation identity nor a helpdesk member/,
    ],
    ['a helpdesk change at night → malicious', [event('Admin deleted security info', TUESDAY_0214, GRADY)], [], 'malicious', /outside working hours/],
    ['a helpdesk change on a Saturday → malicious', [event('Admin deleted security info', SATURDAY_11, GRADY)], [], 'malicious', /outside working hours/],
    [
      'automation at night stays accidental (batch jobs run at night)',
      [event('Admin deleted security info', TUESDAY_0214, HR_APP)],
      [],
      'accidental',
      /known automation/,
    ],
    [
      'a method added minutes after a deletion → malicious',
      [
        event('Admin deleted security info', TUESDAY_10, GRADY),
        event('Admin registered security info', '2026-11-24T10:20:00Z', GRADY, { details: ['mobile phone'] }),
      ],
      [],
      'malicious',
      /within 60 minutes of a removal/,
    ],
    [
      'a risky sign-in → malicious even with a trusted actor',
      [event('Admin deleted security info', TUESDAY_10, HR_APP)],
      [{ at: TUESDAY_10, success: true, riskLevel: 'high', ipAddress: '185.220.101.47' }],
      'malicious',
      /high-risk sign-in .* from 185\.220\.101\.47/,
    ],
    [
      'a change from the user’s own account → malicious (unclear)',
      [event('User deleted security info', TUESDAY_10, SELF)],
      [],
      'malicious',
      /user’s own account/,
    ],
    ['an unrecorded actor → malicious', [event('Delete user', TUESDAY_10, { kind: 'unknown' })], [], 'malicious', /unrecorded actor/],
    [
      'an unknown app → malicious',
      [event('Admin deleted security info', TUESDAY_10, { kind: 'app', appId: 'x', displayName: 'Mystery app' })],
      [],
      'malicious',
      /app Mystery app/,
    ],
    [
      'the Lee Gu story: deletions at 02:14 by Ravi and a new phone at 02:19 → malicious',
      [
        event('Admin deleted security info', TUESDAY_0214, RAVI),
        event('Admin registered security info', TUESDAY_0219, RAVI, { details: ['mobile phone +44 7700 900123'] }),
      ],
      [],
      'malicious',
      /account takeover/,
    ],
    ['nothing changed in the window → malicious by default, and says so', [], [], 'malicious', /No change .* unclear/],
    ['only failed attempts → nothing changed', [event('Admin deleted security info', TUESDAY_10, RAVI, { result: 'failure' })], [], 'malicious', /No change/],
    [
      'a user registering her own key on a Saturday weeks ago is routine; the HR app’s deletions decide',
      [
        event('User registered security info', SATURDAY_11, SELF, { details: ['FIDO2 security key'] }),
        event('Admin deleted security info', TUESDAY_10, HR_APP),
      ],
      [],
      'accidental',
      /known automation/,
    ],
    [
      'a self-registration right after a helpdesk removal is still the takeover pattern',
      [
        event('Admin deleted security info', TUESDAY_10, GRADY),
        event('User registered security info', '2026-11-24T10:30:00Z', SELF, { details: ['mobile phone'] }),
      ],
      [],
      'malicious',
      /within 60 minutes of a removal/,
    ],
    [
      'the user re-registering after automation (a recovery by the bot) removed the methods is how a recovery ends',
      [
        event('Admin deleted security info', TUESDAY_10, HR_APP),
        event('User registered security info', '2026-11-24T10:30:00Z', SELF, { details: ['FIDO2 security key'] }),
      ],
      [],
      'accidental',
      /known automation/,
    ],
    [
      'records about other users are ignored',
      [event('Admin deleted security info', TUESDAY_10, RAVI, { targetIds: ['someone-else'] })],
      [],
      'malicious',
      /No change/,
    ],
  ];

  it.each(table)('%s', (_name, events, signIns, expected, reason) => {
    const result = triage(events, signIns, context);
    expect(result.recommendation).toBe(expected);
    expect(result.reasons.join('\n')).toMatch(reason);
  });

  it('orders the timeline oldest first and recognises method types', () => {
    const result = triage(
      [
        event('Admin registered security info', TUESDAY_10, GRADY, { resultReason: 'Admin registered temporary access pass method for user' }),
        event('Delete FIDO2 security key(s)', TUESDAY_0214, RAVI),
        event('Admin deleted security info', TUESDAY_0219, RAVI, { details: ['Microsoft Authenticator (Pixel 8)'] }),
        event('Delete user', TUESDAY_10, GRADY),
      ],
      [],
      context,
    );
    expect(result.timeline.map((t) => [t.activity, t.methodType ?? null])).toEqual([
      ['Delete FIDO2 security key(s)', 'fido2'],
      ['Admin deleted security info', 'microsoftAuthenticator'],
      ['Admin registered security info', 'temporaryAccessPass'],
      ['Delete user', null],
    ]);
    expect(result.timeline[0]).toMatchObject({ actorTrust: 'unknown', outsideWorkingHours: true });
  });

  it('marks where the incident starts: the first disruptive change, not an earlier self-registration', () => {
    const result = triage([event('User registered security info', SATURDAY_11, SELF), event('Admin deleted security info', TUESDAY_10, HR_APP)], [], context);
    expect(result.incidentStart).toBe(TUESDAY_10);
  });

  it('also understands the guidance’s activity names', () => {
    const result = triage([event('Delete user authentication method', TUESDAY_10, HR_APP, { details: ['Phone'] })], [], context);
    expect(result.timeline[0]).toMatchObject({ change: 'methodRemoved', methodType: 'phone' });
    expect(result.recommendation).toBe('accidental');
  });
});

describe('isOutsideWorkingHours', () => {
  it.each([
    ['2026-11-24T06:59:00Z', 'UTC', true],
    ['2026-11-24T07:00:00Z', 'UTC', false],
    ['2026-11-24T18:59:00Z', 'UTC', false],
    ['2026-11-24T19:00:00Z', 'UTC', true],
    ['2026-11-24T06:30:00Z', 'Europe/Berlin', false],
    ['2026-11-22T12:00:00Z', 'UTC', true],
  ])('%s in %s → %s', (iso, timeZone, outside) => {
    expect(isOutsideWorkingHours(iso, { timeZone, startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5] })).toBe(outside);
  });
});
