import type { Actor, RecoveryCase } from '../../src/domain/case';
import { lessonsText, parseLessons } from '../../src/domain/closing';
import type { Triage } from '../../src/domain/triage';
import { apply, decide, pendingWork, type Command } from '../../src/domain/workflow';
import { sampleCase } from '../helpers/sample-cases';
import * as S from '../views/sample-states';

const NOW = new Date('2026-11-25T10:00:00Z');
const MEGAN: Actor = { aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' };
const ALEX: Actor = { aadObjectId: 'alex', name: 'Alex Wilber' };
const GRADY: Actor = { aadObjectId: 'grady', name: 'Grady Archie' };
const NOTHING: Triage = { timeline: [], recommendation: 'malicious', reasons: ['No change.'], nothingChanged: true };
const CHANGED: Triage = { timeline: [], recommendation: 'malicious', reasons: ['Unknown actor.'], nothingChanged: false };

function run(c: RecoveryCase, ...commands: Command[]): RecoveryCase {
  for (const command of commands) {
    const r = apply(c, command, NOW);
    if (!r.ok) throw new Error(`${command.type} refused: ${r.message}`);
    c = r.value.case;
  }
  return c;
}
const triagedWith = (t: Triage): RecoveryCase => run(sampleCase(), { type: 'recordTriage', triage: t });
const noRecovery = (by: Actor, reason: string): Command => ({ type: 'closeNoRecovery', by, reason });

describe('closing needs lessons learned, or "none:" with the reason', () => {
  it.each([
    ['', 'LESSONS.REQUIRED'],
    ['   \n\t ', 'LESSONS.REQUIRED'],
    ['none', 'LESSONS.REQUIRED'],
    ['None:   ', 'LESSONS.REQUIRED'],
    ['none -', 'LESSONS.REQUIRED'],
  ])('%j is refused with %s and the case stays in validation', (lessons, code) => {
    const c = S.validating();
    const refused = decide(c, { type: 'document', by: MEGAN, lessons }, NOW);
    expect(refused).toMatchObject({ ok: false, code });
    expect(!refused.ok && refused.message).toMatch(/none: /);
  });

  it('"none: <reason>" closes with no lessons and the reason on the record', () => {
    const closed = run(S.validating(), { type: 'document', by: MEGAN, lessons: '  NONE:  a routine mistake, already covered by training ' });
    expect(closed).toMatchObject({ state: 'documented', lessons: '', noLessons: { reason: 'a routine mistake, already covered by training' } });
    expect(lessonsText(closed)).toBe('No lessons learned. Reason: a routine mistake, already covered by training');
    expect(closed.journal[closed.journal.length - 1]).toMatchObject({
      event: 'Case closed with the summary',
      detail: 'No lessons learned: a routine mistake, already covered by training',
    });
  });

  it('lessons that merely start with the word "none" are lessons', () => {
    expect(parseLessons('None of the admins had PIM; move them to PIM.')).toEqual({
      ok: true,
      value: { kind: 'learned', text: 'None of the admins had PIM; move them to PIM.' },
    });
    expect(parseLessons('Nonexistent alerting on deletions')).toMatchObject({ value: { kind: 'learned' } });
  });

  it('written lessons close the case as before', () => {
    const closed = run(S.validating(), { type: 'document', by: MEGAN, lessons: ' Alert on deletions. ' });
    expect(closed).toMatchObject({ state: 'documented', lessons: 'Alert on deletions.' });
    expect(closed.noLessons).toBeUndefined();
  });
});

describe('"No recovery needed": nothing changed closes, anything changed needs the approvers', () => {
  it('nothing changed in the audit window: the requester\u2019s reason closes the case, with nothing to run', () => {
    const closed = run(triagedWith(NOTHING), noRecovery(MEGAN, ' The user had Caps Lock on; sign-in works. '));
    expect(closed).toMatchObject({
      state: 'documented',
      closedAt: NOW.toISOString(),
      noRecovery: { by: MEGAN, reason: 'The user had Caps Lock on; sign-in works.', changesSeen: false },
    });
    expect(closed.approval).toBeUndefined();
    expect(pendingWork(closed)).toBeUndefined();
    expect(closed.journal[closed.journal.length - 1]).toMatchObject({ by: 'Megan Bowen', event: 'Closed: no recovery needed' });
  });

  it('something changed: the close becomes an empty plan that needs the approval quorum, then closes on it', () => {
    const proposed = run(triagedWith(CHANGED), noRecovery(MEGAN, 'The changes were the user\u2019s own new phone.'));
    expect(proposed).toMatchObject({ state: 'planProposed', plan: [], noRecovery: { changesSeen: true } });
    expect(proposed.closedAt).toBeUndefined();
    const awaiting = run(proposed, { type: 'requestApproval', by: MEGAN, required: 2, ttlMinutes: 60 });
    expect(awaiting.state).toBe('awaitingApproval');
    const once = run(awaiting, { type: 'approve', by: ALEX });
    expect(once.state).toBe('awaitingApproval');
    const closed = run(once, { type: 'approve', by: GRADY });
    expect(closed).toMatchObject({ state: 'documented', closedAt: NOW.toISOString() });
    expect(pendingWork(closed)).toBeUndefined();
    expect(closed.journal.map((j) => j.event).slice(-3)).toEqual(['Approved', 'Approval quorum reached', 'Closed: no recovery needed']);
  });

  it('a denied close without recovery ends denied, not closed', () => {
    const awaiting = run(triagedWith(CHANGED), noRecovery(MEGAN, 'x'), { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 });
    expect(run(awaiting, { type: 'deny', by: ALEX, reason: 'The changes came from an unknown IP.' }).state).toBe('denied');
  });

  it('after a scenario was chosen (plan proposed) the close drops the plan and the scenario', () => {
    const planned = run(triagedWith(CHANGED), { type: 'confirmScenario', by: MEGAN, scenario: 'malicious', plan: [] });
    const proposed = run(planned, noRecovery(MEGAN, 'false alarm'));
    expect(proposed.scenario).toBeUndefined();
    expect(decide(proposed, { type: 'confirmScenario', by: MEGAN, scenario: 'accidental', reason: 'r', plan: [] }, NOW)).toMatchObject({
      ok: false,
      code: 'CASE.ALREADY_DECIDED',
    });
  });

  it.each<[string, () => RecoveryCase, Command, string]>([
    ['an empty reason', () => triagedWith(NOTHING), noRecovery(MEGAN, '  '), 'INPUT.REASON_REQUIRED'],
    ['anyone but the requester', () => triagedWith(NOTHING), noRecovery(ALEX, 'not mine to close'), 'CASE.NOT_REQUESTER'],
    ['before triage', () => sampleCase(), noRecovery(MEGAN, 'r'), 'CASE.WRONG_STATE'],
    [
      'once approval was requested',
      () =>
        run(
          triagedWith(CHANGED),
          { type: 'confirmScenario', by: MEGAN, scenario: 'malicious', plan: [] },
          { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 },
        ),
      noRecovery(MEGAN, 'r'),
      'CASE.WRONG_STATE',
    ],
    ['a second time', () => run(triagedWith(CHANGED), noRecovery(MEGAN, 'r')), noRecovery(MEGAN, 'r'), 'CASE.ALREADY_DECIDED'],
    ['after it closed', () => run(triagedWith(NOTHING), noRecovery(MEGAN, 'r')), noRecovery(MEGAN, 'r'), 'CASE.WRONG_STATE'],
  ])('refuses %s, changing nothing', (_name, start, command, code) => {
    const c = start();
    expect(decide(c, command, NOW)).toMatchObject({ ok: false, code });
  });

  it('a helpdesk-attack risk that would need an override does not hold up the close: it hands out nothing', () => {
    const risky: RecoveryCase = {
      ...triagedWith(CHANGED),
      risks: [{ code: 'RISK.REQUESTER_IS_MANAGER', text: 'Megan is the target\u2019s manager.', consequence: { kind: 'override' } }],
    };
    // Proven against the same case recovering: there the override is required first.
    const planned = run(risky, { type: 'confirmScenario', by: MEGAN, scenario: 'malicious', plan: [] });
    expect(decide(planned, { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 }, NOW)).toMatchObject({ code: 'RISK.OVERRIDE_REQUIRED' });
    const proposed = run(risky, noRecovery(MEGAN, 'r'));
    expect(decide(proposed, { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 }, NOW).ok).toBe(true);
  });
});
