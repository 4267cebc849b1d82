import type { RecoveryCase } from '../../src/domain/case';
import { assessReadiness } from '../../src/domain/readiness-checks';
import { changesSince, digestOf } from '../../src/domain/readiness-changes';
import { approvalChatView, approvalView } from '../../src/views/approval-view';
import type { CardName } from '../../src/views/card-renderer';
import { helpView } from '../../src/views/help-view';
import { incidentView } from '../../src/views/incident-view';
import { intakeView } from '../../src/views/intake-view';
import { planView } from '../../src/views/plan-view';
import { DEFAULT_PROGRESS_OPTIONS, progressView } from '../../src/views/progress-view';
import { formView, type FormSlot } from '../../src/views/form-view';
import { readinessView } from '../../src/views/readiness-view';
import { isSecretStep, revealView } from '../../src/views/reveal-view';
import { secretView } from '../../src/views/secret-view';
import { statusView } from '../../src/views/status-view';
import { summaryView } from '../../src/views/summary-view';
import { triageView } from '../../src/views/triage-view';
import { verificationLinkView } from '../../src/views/verification-link-view';
import { sampleCase } from '../helpers/sample-cases';
import { completedIncident, sampleIncident } from '../helpers/sample-incident';
import { sampleSnapshot, unreadableSnapshot } from '../helpers/sample-readiness';
import { withEveryRisk } from '../helpers/sample-risks';
import * as S from './sample-states';

/**
 * Every card template with data for every state that changes what it shows, built by the real view code. One list
 * for the card tests (test/views/cards.test.ts: valid, under the size limit, verbs known) and the browser test that
 * checks each card fits at the widths Teams uses (test/e2e/card-fit.test.ts). A state added here is checked by both.
 */

const many = Array.from({ length: 14 }, (_, i) => ({
  id: `m${i}`,
  type: 'fido2' as const,
  detail: `Security key ${i} with a long descriptive name`,
  createdDateTime: '2026-01-01T00:00:00Z',
}));

/**
 * The longest UPN Entra allows: 64 characters, "@", a 48-character domain (113 in all). Its hyphens are where a line
 * may break; a UPN with none cannot wrap inside a RichTextBlock (the triage timeline's "who", kept free of Markdown).
 */
export const LONG_UPN = 'adele.vance.external-contractor.identity-operations.emea-team.01@contoso-internationalholdings-eu.onmicrosoft.com';
/** A long display name: Entra allows 256 characters; the views cut names at NAME_CARD_CHARS. */
const LONG_NAME = 'Adele Vance-Montgomery-Fitzgerald (External Contractor, Identity Operations, EMEA Helpdesk Escalations Team, Dublin)';
const LONG_ACCOUNT = { kind: 'active', user: { id: '9a1b7c20-0004-4e8a-9c11-000000000004', displayName: LONG_NAME, userPrincipalName: LONG_UPN } } as const;
const LONG_APPROVERS = [
  { id: S.ALEX.aadObjectId, name: 'Alexander Wilberforce-Montgomery (Security Operations Centre, Tier 3 Incident Response)' },
  { id: S.PATTI.aadObjectId, name: 'Patricia Fernandez de la Cruz (Privileged Identity Management, Global Administrators)' },
];

/** A Temporary Access Pass of `length` characters, with the characters Markdown would eat. */
function tapOf(length: number): { kind: 'temporaryAccessPass'; value: string; expiresAt: string; isUsableOnce: boolean } {
  return {
    kind: 'temporaryAccessPass',
    value: 'Zk7#pQ2*wR_9xL4!vB8@nT3$mH6%cJ1^dF5&gS0*kP2#qW7y'.slice(0, length),
    expiresAt: '2026-11-25T12:00:00Z',
    isUsableOnce: true,
  };
}

/** The case with the longest names a tenant can hold for its target and requester. */
function withLongNames(c: RecoveryCase): RecoveryCase {
  return {
    ...c,
    target: { ...c.target, displayName: LONG_NAME, userPrincipalName: LONG_UPN },
    requester: { ...c.requester, name: 'Megan Bowen-Castellanos (Helpdesk Tier 2, Identity and Access Support)' },
  };
}

export const SAMPLES: Record<CardName, Array<[string, object]>> = {
  intake: [
    ['a 113-character UPN, a 256-character name and many methods', intakeView(withLongNames(sampleCase(LONG_ACCOUNT, many)))],
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
    ['a hard-deleted user', intakeView(sampleCase(S.HARD_DELETED_ISAIAH))],
  ],
  help: [['the command list', helpView()]],
  incident: [
    ['an incident by an actor with a 113-character UPN', incidentView(sampleIncident(30, { actor: { kind: 'userPrincipalName', value: LONG_UPN } }))],
    ['an incident waiting for approval', incidentView(sampleIncident(30))],
    [
      'an incident of 1,000 users with long names',
      incidentView(sampleIncident(1000, { actor: { kind: 'userPrincipalName', value: `${'s'.repeat(60)}@contoso.onmicrosoft.com` } })),
    ],
    [
      'an approved incident with comments (the Start button)',
      incidentView(
        sampleIncident(30, {
          state: 'approved',
          approvals: [
            { by: { aadObjectId: 'a', name: 'Alex Wilber' }, at: '2026-11-25T10:05:00.000Z', comment: 'Confirmed with the directory sync team' },
            { by: { aadObjectId: 'p', name: 'Patti Fernandez' }, at: '2026-11-25T10:06:00.000Z' },
          ],
        }),
      ),
    ],
    ['a run in progress', incidentView({ ...sampleIncident(1000), state: 'executing', runs: 1 }, { answered: 420, total: 998 })],
    ['a run with failed users', incidentView(completedIncident(30))],
    ['a denied incident', incidentView(sampleIncident(3, { state: 'denied', otherChanges: [] }))],
  ],
  triage: [
    ['a timeline by an admin with a 113-character UPN', triageView(withLongNames(S.triaged(S.longTriage(30, 'Ravi Sharma', LONG_UPN))))],
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
    ['a 113-character UPN, many methods', planView(withLongNames(S.planned('malicious', { methods: S.MANY_METHODS, account: LONG_ACCOUNT })))],
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
    ['a hard-deleted user', planView(S.planned('accidental', { account: S.HARD_DELETED_ISAIAH }))],
    ['a plan sent for approval', planView(S.awaiting())],
  ],
  approval: [
    ['long names everywhere, every risk', approvalView(withLongNames(withEveryRisk(S.awaiting('malicious', 3))), LONG_APPROVERS)],
    ['a request with no decisions', approvalView(S.awaiting(), S.APPROVERS)],
    ['a request raised by every helpdesk-attack risk', approvalView(withEveryRisk(S.awaiting('malicious', 3)), S.APPROVERS)],
    [
      'a request with one of two decisions',
      approvalView(S.given(S.awaiting(), { type: 'approve', by: S.ALEX, comment: 'Checked with the manager' }), S.APPROVERS),
    ],
    ['an approved request', approvalView(S.approved(), S.APPROVERS)],
    ['in an approver\u2019s 1:1 chat, long names, every risk', approvalChatView(withLongNames(withEveryRisk(S.awaiting('malicious', 3))), S.PATTI.aadObjectId)],
    ['in the 1:1 chat of the approver who decided', approvalChatView(S.given(S.awaiting('malicious', 2), { type: 'approve', by: S.ALEX }), S.ALEX.aadObjectId)],
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
    ['long names, a failed step', progressView(withLongNames(S.failed()))],
    [
      'long names, the fallback waiting for an approver',
      progressView(withLongNames(S.fallbackPending()), { ...DEFAULT_PROGRESS_OPTIONS, verifiedId: { maxAttempts: 3 } }),
    ],
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
    ['long names, the TAP', revealOf(withLongNames(S.executingUntil('accidental', 'issueTap')), 'issueTap')],
    ['the password, waiting for the requester', revealOf(S.executingUntil('malicious', 'resetPassword'), 'resetPassword')],
    ['the TAP, waiting for the requester', revealOf(S.executingUntil('accidental', 'issueTap'), 'issueTap')],
    ['a revealed password, once the case is over', revealOf({ ...S.executingUntil('malicious', 'issueTap'), state: 'documented' }, 'resetPassword')],
  ],
  secret: [
    // A tenant's TAP policy sets the length, 8 to 48 characters
    // (https://learn.microsoft.com/en-us/graph/api/resources/temporaryAccessPassAuthenticationMethodConfiguration);
    // 17, 23, 30 and 35 are the longest of each text size (secretSize).
    ...[17, 23, 30, 35, 48].map((n): [string, object] => [`a ${n}-character Temporary Access Pass`, secretView(S.executing(), tapOf(n))]),
    [
      'long names, a TAP',
      secretView(withLongNames(S.executing()), { kind: 'temporaryAccessPass', value: 'Zk7#pQ2*wR_9x', expiresAt: '2026-11-25T12:00:00Z', isUsableOnce: true }),
    ],
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
  status: [
    ['long names, a closed case', statusView(withLongNames(withEveryRisk(S.documented())))],
    ['a fresh case', statusView(sampleCase())],
    ['a triaged case', statusView(S.triaged())],
    ['a case waiting for approval', statusView(S.awaiting())],
    ['a running case', statusView(S.executing())],
    ['a failed case', statusView(S.failed())],
    ['a case in validation', statusView(S.validating())],
    ['a closed case', statusView(S.documented())],
    ['a denied case', statusView(S.denied())],
    ['a case closed without recovery', statusView(S.given(S.triaged(S.NOTHING_CHANGED_TRIAGE), { type: 'closeNoRecovery', by: S.MEGAN, reason: 'Caps Lock' }))],
  ],
  summary: [
    ['long names, a closed case', summaryView(withLongNames(withEveryRisk(S.documented())))],
    ['a case whose fallback was accepted', summaryView(S.given(S.fallbackPending(), { type: 'decideFallback', by: S.NESTOR, decision: 'approve' }))],
    ['a case in validation', summaryView(S.validating())],
    ['a closed case', summaryView(S.documented())],
    [
      'a case closed without recovery',
      summaryView(S.given(S.triaged(S.NOTHING_CHANGED_TRIAGE), { type: 'closeNoRecovery', by: S.MEGAN, reason: 'Caps Lock' })),
    ],
    ['a case closed with no lessons', summaryView(S.given(S.validating(), { type: 'document', by: S.MEGAN, lessons: 'none: routine' }))],
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
    [
      'the identity check of a long-named user',
      formView(withLongNames(S.waitingOn('malicious', 'verifyIdentity')), identityForm(S.waitingOn('malicious', 'verifyIdentity')), [
        'Video call with manager',
      ]),
    ],
    ['the fallback decision', formView(S.fallbackPending(), identityForm(S.fallbackPending(), 'fallback'), [])],
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

/** The reveal message of a case's secret step of that kind. */
/** The identity step's form (or its fallback decision) of a case. */
function identityForm(c: RecoveryCase, kind: 'identity' | 'fallback' = 'identity'): FormSlot {
  return { kind, stepId: c.plan?.find((s) => s.kind === 'verifyIdentity')?.id ?? '', round: 0 };
}

function revealOf(c: RecoveryCase, kind: 'resetPassword' | 'issueTap'): ReturnType<typeof revealView> {
  const step = c.plan?.find((s) => s.kind === kind);
  if (!step || !isSecretStep(step)) throw new Error(`the sample case has no ${kind} step`);
  return revealView(c, step);
}
