import { join } from 'node:path';
import type { RecoveryCase } from '../../src/domain/case';
import { nextStep } from '../../src/domain/workflow';
import { approvalView, MAX_REFRESH_USERS } from '../../src/views/approval-view';
import { CardRenderer } from '../../src/views/card-renderer';
import { planView } from '../../src/views/plan-view';
import { progressView } from '../../src/views/progress-view';
import { isSecretStep, revealView } from '../../src/views/reveal-view';
import { summaryView } from '../../src/views/summary-view';
import { triageView } from '../../src/views/triage-view';
import { Verb } from '../../src/views/verbs';
import { textsOf } from '../helpers/card-checks';
import { sampleCase } from '../helpers/sample-cases';
import { buttonsOf, factsOf, inputIdsOf, inputOf, verbsIn } from './card-queries';
import * as S from './sample-states';
import { formView, openForms, type FormSlot } from '../../src/views/form-view';

const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), false);
const triageCard = (c: RecoveryCase): Record<string, unknown> => cards.render('triage', triageView(c)).content;
const planCard = (c: RecoveryCase): Record<string, unknown> => cards.render('plan', planView(c)).content;
const approvalCard = (c: RecoveryCase, approvers = S.APPROVERS): Record<string, unknown> => cards.render('approval', approvalView(c, approvers)).content;
const progressCard = (c: RecoveryCase): Record<string, unknown> => cards.render('progress', progressView(c)).content;
const summaryCard = (c: RecoveryCase): Record<string, unknown> => cards.render('summary', summaryView(c)).content;
const text = (card: Record<string, unknown>): string => [...textsOf(card), ...factsOf(card)].join('\n');

describe('triage card buttons', () => {
  it.each<[string, () => RecoveryCase, string[]]>([
    ['opened (triage running)', () => sampleCase(), []],
    ['triaged', () => S.triaged(), [Verb.confirmScenario, Verb.closeNoRecovery]],
    ['planProposed (the scenario can still change)', () => S.planned(), [Verb.confirmScenario, Verb.closeNoRecovery]],
    ['awaitingApproval', () => S.awaiting(), []],
    ['executing', () => S.executing(), []],
  ])('%s', (_state, build, verbs) => {
    const card = triageCard(build());
    expect(verbsIn(card)).toEqual(verbs);
    expect(inputIdsOf(card)).toEqual(verbs.length ? ['scenario', 'reason', 'noRecoveryReason'] : []);
  });

  it('defaults the choice to the recommendation and asks for a reason only against it', () => {
    const accidental = triageCard(S.triaged(S.ACCIDENTAL_TRIAGE));
    expect(inputOf(accidental, 'scenario')?.value).toBe('accidental');
    expect(inputOf(accidental, 'reason')?.placeholder).toBe('Required if you choose against the recommendation');
    expect(inputOf(triageCard(S.triaged(S.MALICIOUS_TRIAGE)), 'scenario')?.value).toBe('malicious');
    expect(text(accidental)).toContain('Recommendation: **Accidental**');
    expect(text(accidental)).toContain('known automation');
  });

  it('says when nothing changed in the audit window, and still recommends malicious', () => {
    const card = text(triageCard(S.triaged(S.NOTHING_CHANGED_TRIAGE)));
    expect(card).toContain('Nothing changed in the audit window');
    expect(card).toContain('Recommendation: **Malicious**');
    expect(card).not.toContain('Timeline');
  });

  it('marks off-hours changes by unknown actors and names the actor with the IP', () => {
    const card = text(triageCard(S.triaged(S.MALICIOUS_TRIAGE)));
    expect(card).toContain('Ravi Sharma (ravi.admin@contoso.com), from 185.220.101.47');
    expect(card).toContain('⚠ outside working hours, unknown actor');
    expect(card).toContain('FIDO2 security key / passkey');
    expect(card).toContain('2026-11-24 02:14 UTC');
  });

  it('shows a confirmed override with its reason', () => {
    const card = text(triageCard(S.planned('accidental', { triage: S.MALICIOUS_TRIAGE, reason: 'HR confirmed the script' })));
    expect(card).toMatch(/Accidental, confirmed by Megan Bowen at .* against the malicious recommendation/);
    expect(card).toContain('Reason: HR confirmed the script');
  });
});

describe('plan card buttons', () => {
  it.each<[string, () => RecoveryCase, string[]]>([
    ['planProposed', () => S.planned(), [Verb.requestApproval, Verb.cancel]],
    ['awaitingApproval', () => S.awaiting(), []],
    ['approved', () => S.approved(), []],
    ['cancelled', () => S.cancelled(), []],
  ])('%s', (_state, build, verbs) => {
    const card = planCard(build());
    expect(verbsIn(card)).toEqual(verbs);
    expect(inputIdsOf(card)).toEqual(verbs.length ? ['cancelReason'] : []);
  });

  it('lists every step with its exact Graph request and marks destructive, secret and guided steps', () => {
    const malicious = text(planCard(S.planned('malicious')));
    expect(malicious).toContain('DELETE /v1.0/users/9a1b7c20-0004-4e8a-9c11-000000000004/authentication/fido2Methods/f1');
    expect(malicious).toContain('POST /v1.0/users/9a1b7c20-0004-4e8a-9c11-000000000004/revokeSignInSessions');
    expect(malicious).toContain('Destructive · Secret: shown only to the requesting agent');
    const accidental = text(planCard(S.planned('accidental')));
    expect(accidental).toContain('Guided: done by a person in the admin center');
    expect(accidental).toContain('POST /v1.0/directory/recovery/snapshots/{snapshotId}/recoveryJobs');
  });

  it('shows what a recreation creates', () => {
    const hardDeleted = S.planned('accidental', { account: S.HARD_DELETED_ISAIAH });
    const card = text(planCard(hardDeleted));
    expect(card).toContain('POST /v1.0/users');
    expect(card).toContain('Creates Isaiah Langer (isaiah@contoso.com, mail nickname isaiah)');
  });

  it('lists at most 15 DELETEs, then how many more', () => {
    const card = text(planCard(S.planned('malicious', { methods: S.MANY_METHODS })));
    expect(card.match(/^DELETE /gm)).toHaveLength(15);
    expect(card).toContain('and 9 more DELETE request(s)');
  });

  it('shows who confirmed the scenario, and an override with its reason', () => {
    expect(text(planCard(S.planned()))).toMatch(/Confirmed by Megan Bowen at 2026-11-25/);
    expect(text(planCard(S.planned('accidental', { triage: S.MALICIOUS_TRIAGE, reason: 'HR confirmed the script' })))).toContain(
      'Chosen against the malicious recommendation. Reason: HR confirmed the script',
    );
  });
});

describe('approval card buttons and refresh', () => {
  const oneDecision = (): RecoveryCase => S.given(S.awaiting(), { type: 'approve', by: S.ALEX, comment: 'Checked with the manager' });
  const refreshOf = (card: Record<string, unknown>): { action: { verb: string; data: Record<string, unknown> }; userIds: string[] } =>
    card.refresh as { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };

  it.each<[string, () => RecoveryCase, string[]]>([
    ['awaitingApproval with no decision', () => S.awaiting(), [Verb.approve, Verb.deny]],
    ['awaitingApproval with one of two decisions', oneDecision, [Verb.approve, Verb.deny]],
    ['approved (quorum reached)', () => S.approved(), []],
    ['denied', () => S.denied(), []],
    ['expired', () => S.expired(), []],
    ['executing', () => S.executing(), []],
  ])('%s', (_state, build, verbs) => {
    const card = approvalCard(build());
    expect(verbsIn(card)).toEqual(verbs);
    expect(inputIdsOf(card)).toEqual(verbs.length ? ['comment', 'denyReason'] : []);
  });

  it('refreshes for the approvers still to decide, and for nobody once the request is decided', () => {
    expect(refreshOf(approvalCard(S.awaiting())).userIds).toEqual([S.ALEX.aadObjectId, S.PATTI.aadObjectId]);
    expect(refreshOf(approvalCard(oneDecision())).userIds).toEqual([S.PATTI.aadObjectId]);
    for (const decided of [S.approved(), S.denied(), S.expired()]) expect(refreshOf(approvalCard(decided)).userIds).toEqual([]);
    const refresh = refreshOf(approvalCard(S.awaiting()));
    expect(refresh.action.verb).toBe(Verb.refreshApproval);
    expect(refresh.action.data).toEqual({ caseId: 'RC-7K2M9QXA', version: S.awaiting().version, sig: '' });
  });

  it('never lists more than 60 users to refresh, and never the requester or the target', () => {
    const many = Array.from({ length: 65 }, (_, i) => ({ id: `29:approver-${i}`, name: `Approver ${i}` }));
    const requesterAndTarget = [
      { id: S.MEGAN.aadObjectId, name: S.MEGAN.name },
      { id: sampleCase().target.id, name: 'Adele Vance' },
    ];
    const ids = refreshOf(approvalCard(S.awaiting(), [...requesterAndTarget, ...many])).userIds;
    expect(ids).toHaveLength(MAX_REFRESH_USERS);
    expect(ids).not.toContain(S.MEGAN.aadObjectId);
    expect(ids).not.toContain(sampleCase().target.id);
  });

  it('drops an approver who decided, matched by Entra object id when the mention id is a Teams id', () => {
    const approvers = [
      { id: '29:alex', name: S.ALEX.name, aadObjectId: S.ALEX.aadObjectId },
      { id: '29:patti', name: S.PATTI.name, aadObjectId: S.PATTI.aadObjectId },
    ];
    expect(refreshOf(approvalCard(oneDecision(), approvers)).userIds).toEqual(['29:patti']);
  });

  it('mentions the pending approvers with entities whose text appears in the card', () => {
    const card = approvalCard(S.awaiting());
    const entities = (card.msteams as { entities: Array<{ type: string; text: string; mentioned: { id: string; name: string } }> }).entities;
    expect(entities).toEqual([
      { type: 'mention', text: '<at>Alex Wilber</at>', mentioned: { id: S.ALEX.aadObjectId, name: 'Alex Wilber' } },
      { type: 'mention', text: '<at>Patti Fernandez</at>', mentioned: { id: S.PATTI.aadObjectId, name: 'Patti Fernandez' } },
    ]);
    for (const e of entities) expect(text(card)).toContain(e.text);
    expect((approvalCard(S.approved()).msteams as { entities: unknown[] }).entities).toEqual([]);
  });

  it('shows the request, the decisions so far and the outcome', () => {
    const pending = text(approvalCard(oneDecision()));
    expect(pending).toContain('Requested by: Megan Bowen');
    expect(pending).toContain('Approvals needed: 2 (1 so far)');
    expect(pending).toContain('Alex Wilber');
    expect(pending).toContain('Comment: Checked with the manager');
    expect(text(approvalCard(S.approved()))).toContain('Approved by Alex Wilber and Patti Fernandez');
    expect(text(approvalCard(S.denied()))).toMatch(/Denied by Patti Fernandez at .*Nothing was changed/);
    expect(text(approvalCard(S.denied()))).toContain('Reason: The caller failed the callback check');
    expect(text(approvalCard(S.expired()))).toMatch(/expired at .* Nothing was changed/);
  });
});

describe('progress card buttons', () => {
  const stepIdsOf = (card: Record<string, unknown>): string[] => [
    ...new Set(buttonsOf(card).flatMap((b) => (typeof b.data.stepId === 'string' ? [b.data.stepId] : []))),
  ];

  it.each<[string, () => RecoveryCase, string[], string[]]>([
    ['awaitingApproval', () => S.awaiting(), [], []],
    ['approved: only Start', () => S.approved(), [Verb.start], []],
    ['a step running', () => S.given(S.executing(), { type: 'startStep', stepId: 's01' }), [], []],
    ['an automatic step next', () => S.executing(), [], []],
    ['a guided restore waiting', () => S.waitingOn('accidental', 'pointInTimeRestore'), [Verb.confirmGuided], []],
    // Without Verified ID configured, a malicious recovery's only way on is the fallback one more approver accepts.
    // The sample target is privileged (two approvals): Entra ID Account Recovery is offered as the better path.
    ['identity (malicious: required)', () => S.waitingOn('malicious', 'verifyIdentity'), [Verb.accountRecovery], []],
    ['identity (accidental: optional)', () => S.waitingOn('accidental', 'verifyIdentity'), [Verb.accountRecovery, Verb.skipStep], []],
    // The Reveal buttons are on their own message (see the reveal card below); the progress card says where.
    ['password (malicious: required)', () => S.executingUntil('malicious', 'resetPassword'), [], []],
    ['password (accidental: optional)', () => S.executingUntil('accidental', 'resetPassword'), [Verb.skipStep], []],
    ['TAP (malicious: required)', () => S.executingUntil('malicious', 'issueTap'), [], []],
    ['TAP (accidental: optional)', () => S.executingUntil('accidental', 'issueTap'), [Verb.skipStep], []],
    ['a failed step: only Retry', () => S.failed(), [Verb.retryStep], []],
    ['validating', () => S.validating(), [], []],
    ['documented', () => S.documented(), [], []],
  ])('%s', (_state, build, verbs, inputs) => {
    const c = build();
    const card = progressCard(c);
    expect(verbsIn(card)).toEqual(verbs);
    expect(inputIdsOf(card)).toEqual(inputs);
    const stepIds = stepIdsOf(card);
    // Only the next step ever has actions.
    expect(stepIds).toEqual(stepIds.length ? [nextStep(c)?.id] : []);
  });

  it.each<[string, () => RecoveryCase]>([
    ['password', () => S.executingUntil('malicious', 'resetPassword')],
    ['TAP', () => S.executingUntil('malicious', 'issueTap')],
  ])('a %s step waiting tells the requester where its Reveal button is', (_what, build) => {
    expect(text(progressCard(build()))).toContain('Megan Bowen: reveal it on its own message in this thread');
  });

  it('offers the configured identity methods (on the identity form) and TAP lifetime', () => {
    const waiting = S.waitingOn('malicious', 'verifyIdentity');
    const [form] = openForms(waiting);
    if (!form) throw new Error('no identity form open');
    const identity = cards.render('form', formView(waiting, form, ['Verified ID', 'Manager video call'])).content;
    expect((inputOf(identity, 'identityMethod')?.choices as Array<{ value: string }>).map((c) => c.value)).toEqual(['Verified ID', 'Manager video call']);
    const c = S.executingUntil('malicious', 'issueTap');
    const step = c.plan?.find(isSecretStep);
    const tapStep = c.plan?.find((s) => s.kind === 'issueTap');
    if (!step || !tapStep || !isSecretStep(tapStep)) throw new Error('no secret step');
    const tap = cards.render(
      'reveal',
      revealView(c, tapStep, { identityVerificationMethods: [], tap: { lifetimeInMinutes: 120, isUsableOnce: false } }),
    ).content;
    expect(inputOf(tap, 'tapLifetime')).toMatchObject({ value: 120, min: 60, max: 480 });
    expect(inputOf(tap, 'tapOneTime')).toMatchObject({ value: 'false' });
  });
});

describe('reveal message', () => {
  const reveal = (c: RecoveryCase, kind: 'resetPassword' | 'issueTap'): Record<string, unknown> => {
    const step = c.plan?.find((s) => s.kind === kind);
    if (!step || !isSecretStep(step)) throw new Error(`no ${kind} step`);
    return cards.render('reveal', revealView(c, step)).content;
  };

  it('offers the requester the one Reveal button of the waiting step (with the TAP choices for a TAP)', () => {
    const password = reveal(S.executingUntil('malicious', 'resetPassword'), 'resetPassword');
    expect(verbsIn(password)).toEqual([Verb.revealPassword]);
    expect(inputIdsOf(password)).toEqual([]);
    const tap = reveal(S.executingUntil('malicious', 'issueTap'), 'issueTap');
    expect(verbsIn(tap)).toEqual([Verb.revealTap]);
    expect(inputIdsOf(tap)).toEqual(['tapLifetime', 'tapOneTime']);
    expect(text(tap)).toContain('Megan Bowen: reveal the Temporary Access Pass');
  });

  it('once the case is over: no button, and what happened (never the value)', () => {
    const over = { ...S.executingUntil('malicious', 'issueTap'), state: 'documented' as const };
    const password = reveal(over, 'resetPassword');
    expect(verbsIn(password)).toEqual([]);
    expect(inputIdsOf(password)).toEqual([]);
    expect(text(password)).toMatch(/Revealed to Megan Bowen .*the value was not kept/);
    expect(verbsIn(reveal(over, 'issueTap'))).toEqual([]);
    expect(text(reveal(over, 'issueTap'))).toContain('No Temporary Access Pass was issued: the case is closed.');
  });

  it('shows each step’s status, Graph request ids and failure, and where secrets go', () => {
    const failed = text(progressCard(S.failed()));
    expect(failed).toContain('❌ failed');
    expect(failed).toContain('Graph answered 503 Service Unavailable');
    expect(failed).toContain('Graph request id(s): req-fail-1');
    const identity = text(progressCard(S.waitingOn('malicious', 'verifyIdentity')));
    expect(identity).toContain('✅ done');
    expect(identity).toContain('👉 needs you');
    expect(identity).toContain('⏳ waiting');
    expect(identity).toContain('Secrets are shown only to Megan Bowen, never in this thread.');
  });
});

describe('summary card', () => {
  it.each<[string, () => RecoveryCase, string[]]>([
    ['validating', () => S.validating(), [Verb.recheck]],
    ['documented', () => S.documented(), []],
    ['executing', () => S.executing(), []],
    ['denied', () => S.denied(), []],
  ])('%s', (_state, build, verbs) => {
    const card = summaryCard(build());
    expect(verbsIn(card)).toEqual(verbs);
    // The lessons are typed on the close form, a message of its own: validation edits this card.
    expect(inputIdsOf(card)).toEqual([]);
  });

  it('shows the approvers, every step with its result, identity verification, validation and lessons', () => {
    const c = S.documented();
    const card = text(summaryCard(c));
    expect(card).toContain('Summary of case RC-7K2M9QXA');
    expect(card).toContain('Alex Wilber');
    expect(card).toContain('Comment: Called Adele back on her desk phone');
    expect(card).toContain('Patti Fernandez');
    for (const step of c.plan ?? []) expect(card).toContain(step.title);
    expect(card).toContain('Graph request id(s): req-s01');
    // A malicious recovery without Verified ID: the fallback, flagged, with who accepted it.
    expect(card).toMatch(/WITHOUT Verified ID \(fallback\): Video call with manager, recorded by Megan Bowen, accepted by Nestor Wilke at 2026-11-25/);
    // The agent's free-text note stays in the journal and the export, not on the thread's card.
    expect(card).not.toContain('badge matched');
    expect(card).toContain('Methods registered');
    expect(card).toContain('FIDO2 security key registered at 11:02 UTC');
    expect(card).toContain('Lessons learned');
    expect(card).toContain('Move it to PIM with approval.');
    expect(card).toMatch(/Recommended: Malicious/);
    expect(card).toMatch(/Duration: \d+ min/);
  });
});

describe('form messages: the inputs of the cards the bot edits as a case runs, on messages of their own', () => {
  const formCard = (c: RecoveryCase, f: FormSlot): Record<string, unknown> => cards.render('form', formView(c, f, ['Video call with manager'])).content;
  const identityOf = (c: RecoveryCase): string => c.plan?.find((s) => s.kind === 'verifyIdentity')?.id ?? '';

  it.each<[string, () => RecoveryCase, string[]]>([
    ['identity, accidental', () => S.waitingOn('accidental', 'verifyIdentity'), [Verb.recordIdentity]],
    ['identity, malicious', () => S.waitingOn('malicious', 'verifyIdentity'), [Verb.requestFallback]],
  ])('the %s identity form: method, note and one button; final once the check is recorded', (_name, build, verbs) => {
    const c = build();
    const form = { kind: 'identity' as const, stepId: identityOf(c), round: 0 };
    expect(openForms(c)).toEqual([form]);
    expect(verbsIn(formCard(c, form))).toEqual(verbs);
    expect(inputIdsOf(formCard(c, form))).toEqual(['identityMethod', 'identityNote']);
    const done =
      verbs[0] === Verb.recordIdentity
        ? S.given(c, { type: 'recordIdentityVerification', by: S.MEGAN, method: 'Video call with manager', note: 'seen' })
        : S.given(c, { type: 'requestFallback', by: S.MEGAN, method: 'Video call with manager', note: 'seen' });
    expect(verbsIn(formCard(done, form))).toEqual([]);
    expect(inputIdsOf(formCard(done, form))).toEqual([]);
    expect(text(formCard(done, form))).toMatch(
      verbs[0] === Verb.recordIdentity ? /Identity verified by Megan Bowen/ : /Asked for fallback approval by Megan Bowen/,
    );
  });

  it('the fallback form: reason, accept and refuse; a refusal opens the next identity form, and the refused one says so', () => {
    const pending = S.fallbackPending();
    const form = { kind: 'fallback' as const, stepId: identityOf(pending), round: 0 };
    expect(openForms(pending)).toEqual([form]);
    expect(verbsIn(formCard(pending, form))).toEqual([Verb.approveFallback, Verb.refuseFallback]);
    expect(inputIdsOf(formCard(pending, form))).toEqual(['fallbackReason']);
    const refused = S.given(pending, { type: 'decideFallback', by: S.NESTOR, decision: 'deny', reason: 'Manager not reachable' });
    expect(text(formCard(refused, form))).toMatch(/refused by Nestor Wilke .*: Manager not reachable/);
    expect(verbsIn(formCard(refused, form))).toEqual([]);
    expect(openForms(refused)).toEqual([{ kind: 'identity', stepId: identityOf(pending), round: 1 }]);
  });

  it('the close form: lessons and Close while validating; closed, it names who closed', () => {
    const close = { kind: 'close' as const, round: 0 };
    expect(verbsIn(formCard(S.validating(), close))).toEqual([Verb.close]);
    expect(inputIdsOf(formCard(S.validating(), close))).toEqual(['lessons']);
    expect(verbsIn(formCard(S.documented(), close))).toEqual([]);
    expect(text(formCard(S.documented(), close))).toMatch(/Closed by Megan Bowen at .*; the lessons learned are on the summary card\./);
  });

  it.each(['executing', 'failed', 'validating', 'documented'] as const)('the progress and summary cards have no input in state %s (or any other)', () => {
    for (const c of [
      S.waitingOn('accidental', 'verifyIdentity'),
      S.waitingOn('malicious', 'verifyIdentity'),
      S.fallbackPending(),
      S.failed(),
      S.validating(),
      S.documented(),
    ]) {
      expect(inputIdsOf(progressCard(c))).toEqual([]);
      expect(inputIdsOf(summaryCard(c))).toEqual([]);
    }
  });
});
