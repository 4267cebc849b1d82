import type { Actor, RecoveryCase } from '../../src/domain/case';
import type { FlaggedRisk } from '../../src/domain/helpdesk-risk';
import { buildPlan } from '../../src/domain/plan';
import type { Triage } from '../../src/domain/triage';
import { apply, type Command } from '../../src/domain/workflow';
import { sampleCase } from '../helpers/sample-cases';
import { TEST_NOW } from '../helpers/test-clock';

const MEGAN: Actor = { aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' };
const DIEGO: Actor = { aadObjectId: 'diego', name: 'Diego Siciliani' };
const TRIAGE: Triage = { timeline: [], recommendation: 'malicious', reasons: ['Unknown actor.'], nothingChanged: false };
const NIGHT: FlaggedRisk = { code: 'RISK.OUTSIDE_WORKING_HOURS', text: 'Requested outside working hours.', consequence: { kind: 'override' } };
const PRIVILEGED: FlaggedRisk = { code: 'RISK.PRIVILEGED_TARGET', text: 'The user is privileged.', consequence: { kind: 'show' } };
const plan = buildPlan({ scenario: 'malicious', account: sampleCase().intake.account, methods: sampleCase().intake.methods ?? [] });

function run(c: RecoveryCase, ...commands: Command[]): RecoveryCase {
  for (const command of commands) {
    const r = apply(c, command, TEST_NOW);
    if (!r.ok) throw new Error(`${command.type} refused: ${r.message}`);
    c = r.value.case;
  }
  return c;
}

const withRisks = (risks: readonly FlaggedRisk[]): RecoveryCase =>
  run({ ...sampleCase(), risks }, { type: 'recordTriage', triage: TRIAGE }, { type: 'confirmScenario', by: MEGAN, scenario: 'malicious', plan });
const request: Command = { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 };
const override = (by: Actor, reason: string): Command => ({ type: 'overrideRisks', by, reason });

describe('workflow: overriding helpdesk-attack risks', () => {
  it('approval cannot be requested until the requester overrides, with a reason; the override is journalled', () => {
    const c = withRisks([NIGHT, PRIVILEGED]);
    const refused = apply(c, request, TEST_NOW);
    expect(refused).toMatchObject({ ok: false, code: 'RISK.OVERRIDE_REQUIRED' });
    const overridden = run(c, override(MEGAN, '  On call: the CFO is locked out before the board meeting.  '));
    expect(overridden.riskOverride).toEqual({ by: MEGAN, at: TEST_NOW.toISOString(), reason: 'On call: the CFO is locked out before the board meeting.' });
    expect(overridden.journal.at(-1)).toEqual({
      at: TEST_NOW.toISOString(),
      by: 'Megan Bowen',
      event: 'Risks overridden: RISK.OUTSIDE_WORKING_HOURS',
      detail: 'On call: the CFO is locked out before the board meeting.',
    });
    expect(run(overridden, request).state).toBe('awaitingApproval');
  });

  it('a case whose risks are shown only needs no override, and refuses one', () => {
    const c = withRisks([PRIVILEGED]);
    expect(run(c, request).state).toBe('awaitingApproval');
    expect(apply(c, override(MEGAN, 'because'), TEST_NOW)).toMatchObject({ ok: false, code: 'RISK.NOTHING_TO_OVERRIDE' });
  });

  it('refuses someone else, an empty reason, a second override (double click) and an override after approval was requested', () => {
    const c = withRisks([NIGHT]);
    expect(apply(c, override(DIEGO, 'I say so'), TEST_NOW)).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect(apply(c, override(MEGAN, '   '), TEST_NOW)).toMatchObject({ ok: false, code: 'INPUT.REASON_REQUIRED' });
    const once = run(c, override(MEGAN, 'On call.'));
    expect(apply(once, override(MEGAN, 'On call.'), TEST_NOW)).toMatchObject({ ok: false, code: 'CASE.ALREADY_DECIDED' });
    const requested = run(once, request);
    expect(apply(requested, override(MEGAN, 'Another reason.'), TEST_NOW)).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
  });
});
