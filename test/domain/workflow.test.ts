import type { Actor, RecoveryCase } from '../../src/domain/case';
import { buildPlan } from '../../src/domain/plan';
import type { Triage } from '../../src/domain/triage';
import { apply, decide, type Command } from '../../src/domain/workflow';
import { sampleCase } from '../helpers/sample-cases';
import * as S from '../views/sample-states';

const NOW = new Date('2026-11-25T10:00:00Z');
const later = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);
const MEGAN: Actor = { aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' };
const ALEX: Actor = { aadObjectId: 'alex', name: 'Alex Wilber' };
const PATTI: Actor = { aadObjectId: 'patti', name: 'Patti Fernandez' };
const TARGET: Actor = { aadObjectId: '9a1b7c20-0004-4e8a-9c11-000000000004', name: 'Adele Vance' };
const TRIAGE: Triage = { timeline: [], recommendation: 'malicious', reasons: ['Unknown actor.'], nothingChanged: false };

/** Runs commands in order from a fresh case; throws on the first refusal so tables read as given-steps. */
function given(...commands: Array<[Command, Date?]>): RecoveryCase {
  return continueWith(sampleCase(), ...commands);
}

/** Applies the commands to a case, each of which must be accepted. */
function continueWith(start: RecoveryCase, ...commands: Array<[Command, Date?]>): RecoveryCase {
  let c = start;
  for (const [command, at] of commands) {
    const result = apply(c, command, at ?? NOW);
    if (!result.ok) throw new Error(`given step ${command.type} refused: ${result.message}`);
    c = result.value.case;
  }
  return c;
}

const plan = buildPlan({ scenario: 'malicious', account: sampleCase().intake.account, methods: sampleCase().intake.methods ?? [] });
const triaged: Array<[Command, Date?]> = [[{ type: 'recordTriage', triage: TRIAGE }]];
const planned: Array<[Command, Date?]> = [...triaged, [{ type: 'confirmScenario', by: MEGAN, scenario: 'malicious', plan }]];
const awaiting: Array<[Command, Date?]> = [...planned, [{ type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 }]];
const awaitingTwo: Array<[Command, Date?]> = [...planned, [{ type: 'requestApproval', by: MEGAN, required: 2, ttlMinutes: 60 }]];
const approved: Array<[Command, Date?]> = [...awaiting, [{ type: 'approve', by: ALEX }]];
const executing: Array<[Command, Date?]> = [...approved, [{ type: 'startExecution', by: MEGAN }]];

/**
 * The malicious playbook's identity step done the fallback way: it waits for the agent, the agent records a manual
 * method, and Patti (who did not approve the plan) accepts it, which completes the step.
 */
function identityByFallback(c: RecoveryCase): Array<[Command, Date?]> {
  const stepId = c.plan?.find((s) => s.kind === 'verifyIdentity')?.id ?? '';
  return [
    [{ type: 'waitForAgent', stepId, detail: 'Verify the caller' }],
    [{ type: 'requestFallback', by: MEGAN, method: 'Video call with manager', note: 'Manager Lynne confirmed on Teams video' }],
    [{ type: 'decideFallback', by: PATTI, decision: 'approve' }],
  ];
}

describe('workflow: given a case, when a command arrives, then', () => {
  const accepted: Array<[string, Array<[Command, Date?]>, Command, Date, string, string[]]> = [
    ['triage moves an opened case to triaged', [], { type: 'recordTriage', triage: TRIAGE }, NOW, 'triaged', ['triaged']],
    [
      'confirming the recommendation proposes the plan',
      triaged,
      { type: 'confirmScenario', by: MEGAN, scenario: 'malicious', plan },
      NOW,
      'planProposed',
      ['scenarioConfirmed'],
    ],
    [
      'overriding with a reason is accepted and recorded',
      triaged,
      { type: 'confirmScenario', by: MEGAN, scenario: 'accidental', reason: 'HR confirmed the offboarding script ran by mistake', plan },
      NOW,
      'planProposed',
      ['scenarioConfirmed'],
    ],
    [
      'the requester asks for approval',
      planned,
      { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 },
      NOW,
      'awaitingApproval',
      ['approvalRequested'],
    ],
    [
      'one approval reaches a quorum of one',
      awaiting,
      { type: 'approve', by: ALEX, comment: 'verified by phone' },
      NOW,
      'approved',
      ['approved', 'quorumReached'],
    ],
    ['the first of two approvals waits for the second', awaitingTwo, { type: 'approve', by: ALEX }, NOW, 'awaitingApproval', ['approved']],
    ['one deny ends the request', awaitingTwo, { type: 'deny', by: PATTI, reason: 'caller failed verification' }, NOW, 'denied', ['denied']],
    ['expiry after the deadline', awaiting, { type: 'expire' }, later(60), 'expired', ['expired']],
    ['expiry before the deadline does nothing', awaiting, { type: 'expire' }, later(59), 'awaitingApproval', []],
    ['the requester starts an approved case', approved, { type: 'startExecution', by: MEGAN }, NOW, 'executing', ['executionStarted']],
    ['the first step starts', executing, { type: 'startStep', stepId: 's01' }, NOW, 'executing', ['stepStarted']],
    [
      'a failed step stops the case (resumable)',
      executing,
      { type: 'failStep', stepId: 's01', requestIds: ['r1'], error: 'Graph 503' },
      NOW,
      'failed',
      ['stepFailed'],
    ],
    ['a planned case can be cancelled with a reason', planned, { type: 'cancel', by: MEGAN, reason: 'duplicate' }, NOW, 'cancelled', ['cancelled']],
  ];
  it.each(accepted)('%s', (_name, steps, command, at, state, events) => {
    const result = apply(given(...steps), command, at);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.case.state).toBe(state);
      expect(result.value.events.map((e) => e.type)).toEqual(events);
      expect(result.value.case.journal.length).toBe(given(...steps).journal.length + events.length);
    }
  });

  const refused: Array<[string, Array<[Command, Date?]>, Command, Date, string, RegExp]> = [
    [
      'an override without a reason',
      triaged,
      { type: 'confirmScenario', by: MEGAN, scenario: 'accidental', plan },
      NOW,
      'INPUT.REASON_REQUIRED',
      /needs a reason/,
    ],
    [
      'someone else confirming the scenario',
      triaged,
      { type: 'confirmScenario', by: ALEX, scenario: 'malicious', plan },
      NOW,
      'CASE.NOT_REQUESTER',
      /Only Megan Bowen/,
    ],
    [
      'approval requested before the plan',
      triaged,
      { type: 'requestApproval', by: MEGAN, required: 1, ttlMinutes: 60 },
      NOW,
      'CASE.WRONG_STATE',
      /cannot be sent for approval/,
    ],
    ['the requester approving her own case', awaiting, { type: 'approve', by: MEGAN }, NOW, 'APPROVAL.BY_REQUESTER', /cannot approve/],
    ['the target approving', awaiting, { type: 'approve', by: TARGET }, NOW, 'APPROVAL.BY_TARGET', /user being recovered/],
    [
      'a double click by the same approver',
      [...awaitingTwo, [{ type: 'approve', by: ALEX }]],
      { type: 'approve', by: ALEX },
      NOW,
      'CASE.ALREADY_DECIDED',
      /already decided .* approved at 2026-11-25T10:00:00.000Z/,
    ],
    ['an approval after the quorum', approved, { type: 'approve', by: PATTI }, NOW, 'CASE.ALREADY_DECIDED', /last decision was made by Alex Wilber/],
    ['an approval after expiry', awaiting, { type: 'approve', by: ALEX }, later(61), 'APPROVAL.EXPIRED', /expired/],
    ['a deny without a reason', awaiting, { type: 'deny', by: ALEX, reason: '  ' }, NOW, 'INPUT.REASON_REQUIRED', /needs a reason/],
    [
      'an approval on a denied case, telling who decided and when',
      [...awaiting, [{ type: 'deny', by: PATTI, reason: 'no' }]],
      { type: 'approve', by: ALEX },
      NOW,
      'CASE.ALREADY_DECIDED',
      /is denied; the last decision was made by Patti Fernandez at 2026-11-25T10:00:00.000Z/,
    ],
    ['starting before approval', awaiting, { type: 'startExecution', by: MEGAN }, NOW, 'CASE.WRONG_STATE', /cannot start/],
    ['an approver starting the case', approved, { type: 'startExecution', by: ALEX }, NOW, 'CASE.NOT_REQUESTER', /Only Megan Bowen/],
    ['a step out of order', executing, { type: 'startStep', stepId: 's02' }, NOW, 'STEP.OUT_OF_ORDER', /next is s01/],
    [
      'a step that is already running (a second click while the first is at Graph)',
      [...executing, [{ type: 'startStep', stepId: 's01' }]],
      { type: 'startStep', stepId: 's01' },
      NOW,
      'STEP.OUT_OF_ORDER',
      /already running/,
    ],
    ['a retry when nothing failed', executing, { type: 'retryStep', by: MEGAN, stepId: 's01' }, NOW, 'CASE.WRONG_STATE', /cannot retry/],
    ['a cancel without a reason', planned, { type: 'cancel', by: MEGAN, reason: '' }, NOW, 'INPUT.REASON_REQUIRED', /needs a reason/],
    ['a cancel while a step runs', executing, { type: 'cancel', by: MEGAN, reason: 'stop' }, NOW, 'CASE.WRONG_STATE', /while a step is running/],
    ['closing before validation', executing, { type: 'document', by: MEGAN, lessons: '' }, NOW, 'CASE.WRONG_STATE', /cannot be closed/],
  ];
  it.each(refused)('refuses %s, and changes nothing', (_name, steps, command, at, code, message) => {
    const before = given(...steps);
    const result = decide(before, command, at);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toMatch(message);
    }
  });

  it('malicious step 4: refuses to reveal a password or TAP before the identity verification is recorded', () => {
    let c = given(...executing);
    for (const step of c.plan ?? []) {
      if (step.kind === 'verifyIdentity') break;
      const done = apply(c, { type: 'completeStep', stepId: step.id, requestIds: [], detail: 'ok' }, NOW);
      if (!done.ok) throw new Error(done.message);
      c = done.value.case;
    }
    const verifyStep = c.plan?.find((s) => s.kind === 'verifyIdentity');
    const afterVerifyStep = apply(c, { type: 'completeStep', stepId: verifyStep!.id, requestIds: [], detail: 'skipped' }, NOW);
    if (!afterVerifyStep.ok) throw new Error(afterVerifyStep.message);
    const password = c.plan?.find((s) => s.kind === 'resetPassword');
    const waiting = apply(afterVerifyStep.value.case, { type: 'waitForAgent', stepId: password!.id, detail: 'Reveal' }, NOW);
    if (!waiting.ok) throw new Error(waiting.message);
    const refused = decide(waiting.value.case, { type: 'startStep', stepId: password!.id, by: MEGAN }, NOW);
    expect(refused).toMatchObject({ ok: false, code: 'STEP.IDENTITY_NOT_VERIFIED' });
    // Established the malicious playbook's way (here the fallback, accepted by one more approver), the Reveal starts.
    const verified = continueWith(c, ...identityByFallback(c), [{ type: 'waitForAgent', stepId: password!.id, detail: 'Reveal' }]);
    expect(decide(verified, { type: 'startStep', stepId: password!.id, by: MEGAN }, NOW).ok).toBe(true);
  });

  it('completing the last step moves the case to validation, then the summary closes it', () => {
    let c = given(...executing);
    for (const step of c.plan ?? []) {
      if (step.kind === 'verifyIdentity') {
        c = continueWith(c, ...identityByFallback(c));
        continue;
      }
      const done = apply(c, { type: 'completeStep', stepId: step.id, requestIds: [`req-${step.id}`], detail: 'ok' }, NOW);
      if (!done.ok) throw new Error(done.message);
      c = done.value.case;
    }
    expect(c.state).toBe('validating');
    const closed = apply(c, { type: 'document', by: MEGAN, lessons: 'Restrict HR app permissions' }, later(30));
    expect(closed.ok && closed.value.case.state).toBe('documented');
    expect(closed.ok && closed.value.case.closedAt).toBe(later(30).toISOString());
  });

  it('a retried step runs again from pending', () => {
    const failed = given(...executing, [{ type: 'failStep', stepId: 's01', requestIds: ['r1'], error: 'Graph 503' }]);
    const retried = apply(failed, { type: 'retryStep', by: MEGAN, stepId: 's01' }, NOW);
    expect(retried.ok && retried.value.case.state).toBe('executing');
    expect(retried.ok && retried.value.case.steps?.s01).toEqual({ status: 'pending', requestIds: ['r1'] });
  });
});

describe('issue 16: the domain decides who may act on a step for people', () => {
  /** A malicious case run up to its password step, which waits for the requester's Reveal. */
  function passwordWaiting(): { c: RecoveryCase; stepId: string } {
    let c = given(...executing);
    for (const step of c.plan ?? []) {
      if (step.kind === 'resetPassword') break;
      if (step.kind === 'verifyIdentity') {
        c = continueWith(c, ...identityByFallback(c));
        continue;
      }
      const done = apply(c, { type: 'completeStep', stepId: step.id, requestIds: [], detail: 'ok' }, NOW);
      if (!done.ok) throw new Error(done.message);
      c = done.value.case;
    }
    const stepId = c.plan?.find((s) => s.kind === 'resetPassword')?.id ?? '';
    const waiting = apply(c, { type: 'waitForAgent', stepId, detail: 'Reveal' }, NOW);
    if (!waiting.ok) throw new Error(waiting.message);
    return { c: waiting.value.case, stepId };
  }

  it('starts a secret step only for the requester, and only while it waits for them', () => {
    const { c, stepId } = passwordWaiting();
    expect(decide(c, { type: 'startStep', stepId, by: ALEX }, NOW)).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect(decide(c, { type: 'startStep', stepId }, NOW)).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect(decide(c, { type: 'startStep', stepId, by: MEGAN }, NOW).ok).toBe(true);
    const pending = apply(c, { type: 'startStep', stepId, by: MEGAN }, NOW);
    if (!pending.ok) throw new Error(pending.message);
    expect(decide(pending.value.case, { type: 'startStep', stepId, by: MEGAN }, NOW)).toMatchObject({ ok: false, code: 'STEP.OUT_OF_ORDER' });
  });

  it('completes a waiting or revealed step only for the requester; the executor completes its own steps', () => {
    const { c, stepId } = passwordWaiting();
    expect(decide(c, { type: 'completeStep', stepId, requestIds: [], detail: 'Not needed', by: ALEX }, NOW)).toMatchObject({
      ok: false,
      code: 'CASE.NOT_REQUESTER',
    });
    expect(decide(c, { type: 'completeStep', stepId, requestIds: [], detail: 'Not needed' }, NOW)).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    const running = apply(c, { type: 'startStep', stepId, by: MEGAN }, NOW);
    if (!running.ok) throw new Error(running.message);
    expect(decide(running.value.case, { type: 'completeStep', stepId, requestIds: ['r1'], detail: 'set', by: PATTI }, NOW)).toMatchObject({
      ok: false,
      code: 'CASE.NOT_REQUESTER',
    });
    expect(decide(running.value.case, { type: 'completeStep', stepId, requestIds: ['r1'], detail: 'set', by: MEGAN }, NOW).ok).toBe(true);
    const first = given(...executing);
    const automatic = first.plan?.[0]?.id ?? '';
    expect(decide(first, { type: 'completeStep', stepId: automatic, requestIds: ['r0'], detail: 'removed' }, NOW).ok).toBe(true);
  });
});

describe('a case whose recovery ran cannot be cancelled (found by the HTTP attacker suite)', () => {
  it.each([
    ['validating', S.validating()],
    ['documented', S.documented()],
  ])('refuses a cancel when %s: the record ends with the summary', (_state, c) => {
    expect(decide(c, { type: 'cancel', by: c.requester, reason: 'changed my mind' }, NOW)).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
  });
});
