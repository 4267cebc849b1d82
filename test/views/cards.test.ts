import { join } from 'node:path';
import { approvalView } from '../../src/views/approval-view';
import { CardRenderer, type CardName } from '../../src/views/card-renderer';
import { helpView } from '../../src/views/help-view';
import { incidentView } from '../../src/views/incident-view';
import { completedIncident, sampleIncident } from '../helpers/sample-incident';
import { intakeView } from '../../src/views/intake-view';
import { planView } from '../../src/views/plan-view';
import { DEFAULT_PROGRESS_OPTIONS, progressView } from '../../src/views/progress-view';
import { verificationLinkView } from '../../src/views/verification-link-view';
import { readinessView } from '../../src/views/readiness-view';
import { isSecretStep, revealView } from '../../src/views/reveal-view';
import type { RecoveryCase } from '../../src/domain/case';
import { assessReadiness } from '../../src/domain/readiness-checks';
import { changesSince, digestOf } from '../../src/domain/readiness-changes';
import { secretView } from '../../src/views/secret-view';
import { summaryView } from '../../src/views/summary-view';
import { triageView } from '../../src/views/triage-view';
import { ALL_VERBS, Verb } from '../../src/views/verbs';
import { parseProblems, textsOf, verbsOf } from '../helpers/card-checks';
import { sampleCase } from '../helpers/sample-cases';
import { withEveryRisk } from '../helpers/sample-risks';
import { anyActionsOf } from './card-queries';
import * as S from './sample-states';
import { sampleSnapshot, unreadableSnapshot } from '../helpers/sample-readiness';
import { formView, type FormSlot } from '../../src/views/form-view';

const CARDS = join(__dirname, '..', '..', 'cards');
/** Action.Execute verbs the bot handles. */
const KNOWN_VERBS: readonly string[] = ALL_VERBS;
const MAX_ACTIVITY_BYTES = 28 * 1024;

const many = Array.from({ length: 14 }, (_, i) => ({
  id: `m${i}`,
  type: 'fido2' as const,
  detail: `Security key ${i} with a long descriptive name`,
  createdDateTime: '2026-01-01T00:00:00Z',
}));

const SAMPLES: Record<CardName, Array<[string, object]>> = {
  intake: [
    ['an active user', intakeView(sampleCase())],
    ['an active user with many methods', intakeView(sampleCase(undefined, many))],
    ['a user with no methods', intakeView(sampleCase(undefined, []))],
    ['a user with every helpdesk-attack risk flagged', intakeView(withEveryRisk(sampleCase(undefined, many), false))],
    [
      'a soft-deleted user',
      intakeView(
        sampleCase({
          kind: 'softDeleted',
          deletedDateTime: '2026-11-22T08:00:00Z',
          user: { id: 'd', displayName: 'Diego Siciliani', userPrincipalName: 'diego@contoso.com' },
        }),
      ),
    ],
    [
      'a hard-deleted user',
      intakeView(
        sampleCase({
          kind: 'hardDeleted',
          id: 'i',
          displayName: 'Isaiah Langer',
          userPrincipalName: 'isaiah@contoso.com',
          hardDeletedDateTime: '2026-11-15T08:00:00Z',
        }),
      ),
    ],
  ],
  help: [['the command list', helpView()]],
  incident: [
    ['an incident waiting for approval', incidentView(sampleIncident(30))],
    [
      'an incident of 1,000 users with long names',
      incidentView(sampleIncident(1000, { actor: { kind: 'userPrincipalName', value: `${'s'.repeat(60)}@contoso.onmicrosoft.com` } })),
    ],
    ['a run in progress', incidentView({ ...sampleIncident(1000), state: 'executing', runs: 1 }, { answered: 420, total: 998 })],
    ['a run with failed users', incidentView(completedIncident(30))],
    ['a denied incident', incidentView(sampleIncident(3, { state: 'denied', otherChanges: [] }))],
  ],
  triage: [
    ['a case still being triaged', triageView(sampleCase())],
    ['an accidental recommendation', triageView(S.triaged(S.ACCIDENTAL_TRIAGE))],
    ['a malicious recommendation', triageView(S.triaged(S.MALICIOUS_TRIAGE))],
    ['nothing changed in the audit window', triageView(S.triaged(S.NOTHING_CHANGED_TRIAGE))],
    ['a timeline longer than the card', triageView(S.triaged(S.longTriage(80)))],
    ['a long timeline with 256-character names', triageView(S.triaged(S.longTriage(200, '名'.repeat(256))))],
    [
      'a confirmed override',
      triageView(S.planned('accidental', { triage: S.MALICIOUS_TRIAGE, reason: 'HR confirmed the offboarding script ran against the wrong user' })),
    ],
    ['a case past planning', triageView(S.awaiting())],
  ],
  plan: [
    ['a malicious plan', planView(S.planned('malicious'))],
    ['an accidental plan (point-in-time restore)', planView(S.planned('accidental'))],
    ['an override with a reason', planView(S.planned('accidental', { triage: S.MALICIOUS_TRIAGE, reason: 'HR confirmed the script' }))],
    ['a malicious plan with many methods', planView(S.planned('malicious', { methods: S.MANY_METHODS }))],
    [
      'a soft-deleted user',
      planView(
        S.planned('malicious', {
          account: {
            kind: 'softDeleted',
            deletedDateTime: '2026-11-22T08:00:00Z',
            user: { id: 'd', displayName: 'Diego Siciliani', userPrincipalName: 'diego@contoso.com' },
          },
        }),
      ),
    ],
    [
      'a hard-deleted user',
      planView(
        S.planned('accidental', {
          account: {
            kind: 'hardDeleted',
            id: 'i',
            displayName: 'Isaiah Langer',
            userPrincipalName: 'isaiah@contoso.com',
            hardDeletedDateTime: '2026-11-15T08:00:00Z',
          },
        }),
      ),
    ],
    ['a plan sent for approval', planView(S.awaiting())],
  ],
  approval: [
    ['a request with no decisions', approvalView(S.awaiting(), S.APPROVERS)],
    ['a request raised by every helpdesk-attack risk', approvalView(withEveryRisk(S.awaiting('malicious', 3)), S.APPROVERS)],
    [
      'a request with one of two decisions',
      approvalView(S.given(S.awaiting(), { type: 'approve', by: S.ALEX, comment: 'Checked with the manager' }), S.APPROVERS),
    ],
    ['an approved request', approvalView(S.approved(), S.APPROVERS)],
    ['a denied request', approvalView(S.denied(), S.APPROVERS)],
    ['an expired request', approvalView(S.expired(), S.APPROVERS)],
    [
      'sixty-five approvers',
      approvalView(
        S.awaiting(),
        Array.from({ length: 65 }, (_, i) => ({ id: `29:approver-${i}`, name: `Approver ${i}` })),
      ),
    ],
  ],
  progress: [
    ['an approved case not started', progressView(S.approved())],
    ['a guided step waiting for the agent', progressView(S.waitingOn('accidental', 'pointInTimeRestore'))],
    ['the identity step', progressView(S.waitingOn('malicious', 'verifyIdentity'))],
    [
      'the identity step with Verified ID',
      progressView(S.waitingOn('malicious', 'verifyIdentity'), { ...DEFAULT_PROGRESS_OPTIONS, verifiedId: { maxAttempts: 3 } }),
    ],
    ['a Verified ID request open', progressView(S.verificationRequested(), { ...DEFAULT_PROGRESS_OPTIONS, verifiedId: { maxAttempts: 3 } })],
    ['a Verified ID that failed its rules', progressView(S.verificationFailed(), { ...DEFAULT_PROGRESS_OPTIONS, verifiedId: { maxAttempts: 3 } })],
    ['a hand-off to Account Recovery under way', progressView(S.handedToAccountRecovery(), { ...DEFAULT_PROGRESS_OPTIONS, verifiedId: { maxAttempts: 3 } })],
    ['a fallback waiting for an approver', progressView(S.fallbackPending(), { ...DEFAULT_PROGRESS_OPTIONS, verifiedId: { maxAttempts: 3 } })],
    ['the password reveal', progressView(S.executingUntil('malicious', 'resetPassword'))],
    ['the TAP reveal (accidental, optional)', progressView(S.executingUntil('accidental', 'issueTap'))],
    ['a running step', progressView(S.given(S.executing(), { type: 'startStep', stepId: 's01' }))],
    ['a failed step', progressView(S.failed())],
    ['a case in validation', progressView(S.validating())],
  ],
  reveal: [
    ['the password, waiting for the requester', revealOf(S.executingUntil('malicious', 'resetPassword'), 'resetPassword')],
    ['the TAP, waiting for the requester', revealOf(S.executingUntil('accidental', 'issueTap'), 'issueTap')],
    ['a revealed password, once the case is over', revealOf({ ...S.executingUntil('malicious', 'issueTap'), state: 'documented' }, 'resetPassword')],
  ],
  secret: [
    [
      'a Temporary Access Pass',
      secretView(S.executing(), { kind: 'temporaryAccessPass', value: 'Zk7#pQ2*wR_9x', expiresAt: '2026-11-25T12:00:00Z', isUsableOnce: true }),
    ],
    ['a temporary password', secretView(S.executing(), { kind: 'password', value: 'Vq3!mK8_tL*2pZ' })],
  ],
  'verification-link': [
    [
      'a Verified ID link for the agent',
      verificationLinkView(S.verificationRequested(), {
        caseId: 'RC-7K2M9QXA',
        requestId: 'vid-req-1',
        userPrincipalName: 'adele@contoso.com',
        url: `openid-vc://?request_uri=https://verifiedid.did.msidentity.com/v1.0/${'0'.repeat(36)}/verifiableCredentials/presentationRequests/vid-req-1`,
        expiresAt: '2026-11-25T10:30:00.000Z',
        attempt: 1,
      }),
    ],
  ],
  summary: [
    ['a case whose fallback was accepted', summaryView(S.given(S.fallbackPending(), { type: 'decideFallback', by: S.NESTOR, decision: 'approve' }))],
    ['a case in validation', summaryView(S.validating())],
    ['a closed case', summaryView(S.documented())],
    ['a closed case with every helpdesk-attack risk', summaryView(withEveryRisk(S.documented()))],
    ['an accidental case in validation', summaryView(S.validating('accidental'))],
    ['a denied case', summaryView(S.denied())],
    ['a cancelled case', summaryView(S.cancelled())],
    ['an override', summaryView(S.planned('accidental', { triage: S.MALICIOUS_TRIAGE, reason: 'HR confirmed the script' }))],
  ],
  form: [
    [
      'the identity check, accidental',
      formView(S.waitingOn('accidental', 'verifyIdentity'), identityForm(S.waitingOn('accidental', 'verifyIdentity')), ['Video call with manager']),
    ],
    [
      'the identity check, malicious (fallback)',
      formView(S.waitingOn('malicious', 'verifyIdentity'), identityForm(S.waitingOn('malicious', 'verifyIdentity')), ['Video call with manager']),
    ],
    ['the fallback decision', formView(S.fallbackPending(), { kind: 'fallback', stepId: identityForm(S.fallbackPending()).stepId ?? '', round: 0 }, [])],
    ['the close form', formView(S.validating(), { kind: 'close', round: 0 }, [])],
    ['the close form, closed', formView(S.documented(), { kind: 'close', round: 0 }, [])],
  ],
  refusal: [
    [
      'a card from another conversation',
      {
        title: 'Not done',
        text: 'This card belongs to case RC-7K2M9QXA, which lives in another conversation or thread; it works only there. Nothing was changed. (CARD.INVALID)',
        note: 'Only you see this answer.',
      },
    ],
  ],
  readiness: [
    ['a small tenant with gaps in every check', readinessView(assessReadiness(sampleSnapshot()))],
    ['10,000 users and 256-character names', readinessView(assessReadiness(sampleSnapshot(10_000, true)))],
    ['every source refused', readinessView(assessReadiness(unreadableSnapshot()))],
    [
      'a scheduled post where every check changed, 10,000 users',
      readinessView(assessReadiness(sampleSnapshot(10_000, true)), {
        readAt: '2026-11-18T16:00:00.000Z',
        changes: changesSince(digestOf(assessReadiness(unreadableSnapshot())), assessReadiness(sampleSnapshot(10_000, true))),
      }),
    ],
    ['a scheduled post with no change', readinessView(assessReadiness(sampleSnapshot()), { readAt: '2026-11-18T16:00:00.000Z', changes: [] })],
  ],
};

/** The identity step's form of a case. */
function identityForm(c: RecoveryCase): FormSlot {
  const stepId = c.plan?.find((s) => s.kind === 'verifyIdentity')?.id;
  return { kind: 'identity', stepId: stepId ?? '', round: 0 };
}

/** The reveal message of a case's secret step of that kind. */
function revealOf(c: RecoveryCase, kind: 'resetPassword' | 'issueTap'): ReturnType<typeof revealView> {
  const step = c.plan?.find((s) => s.kind === kind);
  if (!step || !isSecretStep(step)) throw new Error(`the sample case has no ${kind} step`);
  return revealView(c, step);
}

describe('card templates', () => {
  const demo = new CardRenderer(CARDS, true);
  const production = new CardRenderer(CARDS, false);

  it('has sample data for every template in cards/', () => {
    expect(demo.templateNames().sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  const cases = Object.entries(SAMPLES).flatMap(([name, samples]) => samples.map(([label, data]) => [name as CardName, label, data] as const));

  it.each(cases)('%s renders for %s as a valid version 1.5 card under 28 KB', (name, _label, data) => {
    const attachment = demo.render(name, data);
    const json = JSON.stringify({ type: 'message', attachments: [attachment] });
    expect(attachment.content.version).toBe('1.5');
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(json).not.toContain('${');
    expect(parseProblems(attachment.content)).toEqual([]);
    for (const verb of verbsOf(attachment.content)) expect(KNOWN_VERBS).toContain(verb);
  });

  it.each(cases)('%s for %s says SIMULATED TENANT in demo mode only', (name, _label, data) => {
    expect(textsOf(demo.render(name, data).content)[0]).toMatch(/^SIMULATED TENANT/);
    expect(textsOf(production.render(name, data).content).join('\n')).not.toContain('SIMULATED TENANT');
  });

  const STEP_VERBS: readonly string[] = [
    Verb.confirmGuided,
    Verb.recordIdentity,
    Verb.verifiedId,
    Verb.requestFallback,
    Verb.approveFallback,
    Verb.refuseFallback,
    Verb.accountRecovery,
    Verb.checkAccountRecovery,
    Verb.revealPassword,
    Verb.revealTap,
    Verb.skipStep,
    Verb.retryStep,
  ];
  it.each(cases)('%s for %s: action data carries only the case id, its version, its signature and, for step actions, the step id', (name, _label, data) => {
    const card = production.render(name, data).content;
    for (const action of anyActionsOf(card)) {
      const payload = action.data as Record<string, unknown>;
      const stepAction = STEP_VERBS.includes(action.verb as string);
      expect(Object.keys(payload).sort()).toEqual(stepAction ? ['caseId', 'sig', 'stepId', 'version'] : ['caseId', 'sig', 'version']);
      expect(payload.caseId).toBe('RC-7K2M9QXA');
      expect(typeof payload.version).toBe('number');
      if (stepAction) expect(payload.stepId).toMatch(/^s\d{2}$/);
    }
  });

  it('the parser check can fail: an unknown element is reported', () => {
    expect(parseProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'NotAnElement' }] }).length).toBeGreaterThan(0);
  });

  it('shows the intake facts a helpdesk agent needs', () => {
    const texts = textsOf(production.render('intake', intakeView(sampleCase())).content).join('\n');
    expect(texts).toContain('Recovery case RC-7K2M9QXA');
    expect(texts).toContain('Adele Vance (adele@contoso.com)');
    expect(texts).toContain('FIDO2 security key / passkey');
    expect(texts).toContain('YubiKey 5 NFC');
    expect(texts).toContain('Privileged target');
    const soft = textsOf(
      production.render(
        'intake',
        intakeView(
          sampleCase({
            kind: 'softDeleted',
            deletedDateTime: '2026-11-22T08:00:00Z',
            user: { id: 'd', displayName: 'Diego', userPrincipalName: 'diego@contoso.com' },
          }),
        ),
      ).content,
    ).join('\n');
    expect(soft).toContain('Soft-deleted on 2026-11-22 08:00 UTC');
    expect(soft).toContain('cannot be read until the user is restored');
  });
});
