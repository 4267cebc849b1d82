import type { AuditEvent } from '../../src/domain/audit';
import { ACCOUNT_RECOVERY_EVENTS as E, accountRecoveryOutcome, PROVISIONAL_NOTE } from '../../src/domain/account-recovery-outcome';
import { TEST_NOW } from '../helpers/test-clock';

/**
 * Issue 17: the outcome of a user's Account Recovery read from the directory audit log after the hand-off (spec §6.3;
 * the event names are provisional). Minutes are counted from the hand-off at TEST_NOW.
 */
const at = (minutes: number): string => new Date(TEST_NOW.getTime() + minutes * 60_000).toISOString();
let n = 0;
const event = (activity: string, minutes: number, result = 'success'): AuditEvent => ({
  id: `a-${(n += 1)}`,
  at: at(minutes),
  activity,
  result,
  actor: { kind: 'user', id: 'u-1' },
  details: [],
  targetIds: ['u-1'],
});

const COMPLETED = [
  event(E.started, 1),
  event(E.issuanceStarted, 2),
  event(E.issuanceCompleted, 4),
  event(E.presentationCompleted, 5),
  event(E.accountMatched, 6),
  event(E.securityInfoRegistered, 7),
  event(E.completed, 8),
];

describe('accountRecoveryOutcome', () => {
  it('is notStarted with no event, or only unrelated ones', () => {
    expect(accountRecoveryOutcome([], TEST_NOW).status).toBe('notStarted');
    const unrelated = [event('Update user', 1), event('User registered security info', 2), event('Admin registered security info', 3)];
    const r = accountRecoveryOutcome(unrelated, TEST_NOW);
    expect(r.status).toBe('notStarted');
    expect(r.seen).toEqual([]);
  });

  it('is inProgress once the user started, until a terminal event', () => {
    expect(accountRecoveryOutcome(COMPLETED.slice(0, 4), TEST_NOW).status).toBe('inProgress');
  });

  it('is completed on "User completed account recovery", every step seen in order', () => {
    const r = accountRecoveryOutcome([...COMPLETED].reverse(), TEST_NOW);
    expect(r.status).toBe('completed');
    expect(r.seen.map((s) => s.activity)).toEqual(COMPLETED.map((e) => e.activity));
    expect(r.failure).toBeUndefined();
  });

  it.each([
    [E.faceCheckFailed, /face check/],
    [E.accountNotMatched, /names on the ID document/],
    [E.documentFailed, /could not validate the ID document/],
  ])('is failed on "%s", saying why', (activity, why) => {
    const r = accountRecoveryOutcome([event(E.started, 1), event(activity, 3, 'failure')], TEST_NOW);
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(why);
  });

  it('is completed when a failed attempt is followed by a completed one', () => {
    const later = COMPLETED.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + 3_600_000).toISOString() }));
    const r = accountRecoveryOutcome([event(E.started, 1), event(E.faceCheckFailed, 2, 'failure'), ...later], TEST_NOW);
    expect(r.status).toBe('completed');
  });

  it('stays failed when the failure comes after a completion', () => {
    expect(accountRecoveryOutcome([...COMPLETED, event(E.accountNotMatched, 20, 'failure')], TEST_NOW).status).toBe('failed');
  });

  it('does not count a completion whose result is failure', () => {
    expect(accountRecoveryOutcome([event(E.started, 1), event(E.completed, 2, 'failure')], TEST_NOW).status).toBe('failed');
  });

  it('ignores events before the hand-off, however they compare as text', () => {
    const before = [event(E.started, -30), event(E.completed, -20)];
    expect(accountRecoveryOutcome(before, TEST_NOW).status).toBe('notStarted');
    // Graph writes seven fractional digits: the same instant as the hand-off counts, one a tick earlier does not.
    const graphStyle = (iso: string): string => iso.replace('.000Z', '.0000000Z');
    expect(accountRecoveryOutcome([{ ...event(E.started, 0), at: graphStyle(TEST_NOW.toISOString()) }], TEST_NOW.toISOString()).status).toBe('inProgress');
    expect(accountRecoveryOutcome([{ ...event(E.started, 0), at: '2026-11-18T11:59:59.9990000Z' }], TEST_NOW).status).toBe('notStarted');
  });

  it('says the event names are provisional', () => {
    expect(accountRecoveryOutcome(COMPLETED, TEST_NOW).note).toBe(PROVISIONAL_NOTE);
    expect(PROVISIONAL_NOTE).toMatch(/provisional.*confirm in the audit log/);
  });
});
