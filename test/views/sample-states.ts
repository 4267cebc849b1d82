import type { AuditActor, AuditEvent } from '../../src/domain/audit';
import type { Actor, RecoveryCase } from '../../src/domain/case';
import { buildPlan } from '../../src/domain/plan';
import type { AccountState, AuthMethod } from '../../src/domain/target';
import { triage, type Scenario, type Triage, type TriageContext } from '../../src/domain/triage';
import { apply, nextStep, type Command } from '../../src/domain/workflow';
import { SAMPLE_METHODS, sampleCase } from '../helpers/sample-cases';

/**
 * Cases in every state the cards show, built the way the bot builds them: real audit records through triage, a
 * plan from buildPlan, and every change through the workflow (apply), one minute apart.
 */

export const MEGAN: Actor = { aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' };
export const ALEX: Actor = { aadObjectId: '9a1b7c20-0002-4e8a-9c11-000000000002', name: 'Alex Wilber' };
export const PATTI: Actor = { aadObjectId: '9a1b7c20-0003-4e8a-9c11-000000000003', name: 'Patti Fernandez' };
/** An approver who did not decide on the plan: the one more approval a fallback needs. */
export const NESTOR: Actor = { aadObjectId: '9a1b7c20-0007-4e8a-9c11-000000000007', name: 'Nestor Wilke' };
export const APPROVERS = [
  { id: ALEX.aadObjectId, name: ALEX.name },
  { id: PATTI.aadObjectId, name: PATTI.name },
];

const TARGET_ID = sampleCase().target.id;
const START = Date.parse('2026-11-25T10:00:00Z');
const HR_APP: AuditActor = { kind: 'app', appId: 'hr-app', displayName: 'Contoso HR Provisioning' };
const RAVI: AuditActor = { kind: 'user', id: 'ravi', displayName: 'Ravi Sharma', userPrincipalName: 'ravi.admin@contoso.com', ipAddress: '185.220.101.47' };
const CONTEXT: TriageContext = {
  targetId: TARGET_ID,
  automationAppIds: new Set(['hr-app']),
  trustedUserIds: new Set(),
  workingHours: { timeZone: 'UTC', startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5] },
  reAddWindowMinutes: 60,
};

let n = 0;
function event(activity: string, at: string, actor: AuditActor, details: string[] = []): AuditEvent {
  return { id: `e${++n}`, at, activity, result: 'success', actor, details, targetIds: [TARGET_ID] };
}

/** The HR provisioning app removed two methods in office hours. */
export const ACCIDENTAL_TRIAGE: Triage = triage(
  [
    event('Admin deleted security info', '2026-11-24T10:05:00Z', HR_APP, ['Microsoft Authenticator']),
    event('Admin deleted security info', '2026-11-24T10:06:00Z', HR_APP, ['mobile phone']),
  ],
  [],
  CONTEXT,
);
/** The Lee Gu story: an unknown admin removes a key at 02:14 and adds a phone at 02:19. */
export const MALICIOUS_TRIAGE: Triage = triage(
  [
    event('Delete FIDO2 security key(s)', '2026-11-24T02:14:00Z', RAVI),
    event('Admin registered security info', '2026-11-24T02:19:00Z', RAVI, ['mobile phone +44 7700 900123']),
  ],
  [{ at: '2026-11-24T02:10:00Z', success: true, riskLevel: 'high', ipAddress: '185.220.101.47' }],
  CONTEXT,
);
export const NOTHING_CHANGED_TRIAGE: Triage = triage([], [], CONTEXT);
/** A noisy month: more records than the card shows, with long names (Entra allows 256 characters). */
export function longTriage(
  count: number,
  displayName = 'Ravi Sharma (contractor, external identity administration team, EMEA)',
  userPrincipalName = 'ravi.sharma.contractor@contoso.com',
): Triage {
  const actor: AuditActor = { kind: 'user', id: 'ravi', displayName, userPrincipalName, ipAddress: '185.220.101.47' };
  const events = Array.from({ length: count }, (_, i) =>
    event(
      i % 2 ? 'Admin registered security info' : 'Admin deleted security info',
      new Date(Date.parse('2026-11-01T01:00:00Z') + i * 3_600_000).toISOString(),
      actor,
      ['Microsoft Authenticator'],
    ),
  );
  return triage(events, [], CONTEXT);
}

/** Applies commands one minute apart; a refused command is a broken sample, so it throws. */
export function given(c: RecoveryCase, ...commands: Command[]): RecoveryCase {
  let current = c;
  for (const command of commands) {
    const minutes = current.journal.length;
    const result = apply(current, command, new Date(START + minutes * 60_000));
    if (!result.ok) throw new Error(`sample step ${command.type} refused: ${result.message}`);
    current = result.value.case;
  }
  return current;
}

/** A user deleted past the 30 days of soft deletion: the plan recreates them (the same account in every sample). */
export const HARD_DELETED_ISAIAH: AccountState = {
  kind: 'hardDeleted',
  id: 'i',
  displayName: 'Isaiah Langer',
  userPrincipalName: 'isaiah@contoso.com',
  hardDeletedDateTime: '2026-11-15T08:00:00Z',
};

export function triaged(t: Triage = MALICIOUS_TRIAGE, account?: AccountState): RecoveryCase {
  return given(sampleCase(account), { type: 'recordTriage', triage: t });
}

export function planFor(
  scenario: Scenario,
  methods: readonly AuthMethod[] = SAMPLE_METHODS,
  account: AccountState = sampleCase().intake.account,
): ReturnType<typeof buildPlan> {
  return buildPlan({ scenario, account, methods, firstChangeAt: '2026-11-24T02:14:00Z' });
}

export function planned(
  scenario: Scenario = 'malicious',
  options: { reason?: string; triage?: Triage; methods?: readonly AuthMethod[]; account?: AccountState } = {},
): RecoveryCase {
  const c = triaged(options.triage ?? (scenario === 'malicious' ? MALICIOUS_TRIAGE : ACCIDENTAL_TRIAGE), options.account);
  return given(c, {
    type: 'confirmScenario',
    by: MEGAN,
    scenario,
    ...(options.reason ? { reason: options.reason } : {}),
    plan: planFor(scenario, options.methods, c.intake.account),
  });
}

export function awaiting(scenario: Scenario = 'malicious', required = 2): RecoveryCase {
  return given(planned(scenario), { type: 'requestApproval', by: MEGAN, required, ttlMinutes: 240 });
}

export function approved(scenario: Scenario = 'malicious'): RecoveryCase {
  return given(awaiting(scenario), { type: 'approve', by: ALEX, comment: 'Called Adele back on her desk phone' }, { type: 'approve', by: PATTI });
}

export function executing(scenario: Scenario = 'malicious'): RecoveryCase {
  return given(approved(scenario), { type: 'startExecution', by: MEGAN });
}

/** Runs steps as the executor would until the next step is of `kind` (identity recorded on the way). */
export function executingUntil(scenario: Scenario, kind: string): RecoveryCase {
  let c = executing(scenario);
  for (let step = nextStep(c); step && step.kind !== kind; step = nextStep(c)) {
    if (step.kind === 'verifyIdentity' && scenario === 'malicious') {
      // A malicious recovery takes no manual method without one more approval: the fallback, accepted by Nestor.
      c = given(
        c,
        { type: 'waitForAgent', stepId: step.id, detail: 'Waiting for the agent' },
        { type: 'requestFallback', by: MEGAN, method: 'Video call with manager', note: 'Manager Patti confirmed on video; badge matched' },
        { type: 'decideFallback', by: NESTOR, decision: 'approve' },
      );
      continue;
    }
    if (step.kind === 'verifyIdentity')
      c = given(c, {
        type: 'recordIdentityVerification',
        by: MEGAN,
        method: 'Video call with manager',
        note: 'Manager Patti confirmed on video; badge matched',
      });
    // A secret step waits for the requester's Reveal, as the executor leaves it; the others the executor runs itself.
    if ('secret' in step) c = given(c, { type: 'waitForAgent', stepId: step.id, detail: 'Waiting for the agent' });
    c = given(
      c,
      { type: 'startStep', stepId: step.id, by: MEGAN },
      { type: 'completeStep', stepId: step.id, requestIds: [`req-${step.id}`], detail: `${step.kind} done`, by: MEGAN },
    );
  }
  return c;
}

/** The next step waits for the agent, as the executor leaves it. */
export function waitingOn(scenario: Scenario, kind: string): RecoveryCase {
  const c = executingUntil(scenario, kind);
  const step = nextStep(c);
  if (!step) throw new Error(`no ${kind} step`);
  return given(c, { type: 'waitForAgent', stepId: step.id, detail: 'Waiting for the agent' });
}

export function failed(): RecoveryCase {
  const c = executing('malicious');
  const step = nextStep(c);
  if (!step) throw new Error('no step');
  return given(
    c,
    { type: 'startStep', stepId: step.id },
    { type: 'failStep', stepId: step.id, requestIds: ['req-fail-1'], error: 'Graph answered 503 Service Unavailable (request id req-fail-1)' },
  );
}

export function validating(scenario: Scenario = 'malicious'): RecoveryCase {
  const c = executingUntil(scenario, 'none');
  return given(c, {
    type: 'recordValidation',
    checks: [
      { name: 'Methods registered', outcome: 'pass', detail: 'FIDO2 security key registered at 11:02 UTC' },
      { name: 'Test sign-in', outcome: 'pending', detail: 'Waiting for the user to sign in' },
      { name: 'Conditional Access', outcome: 'info', detail: 'Require phishing-resistant MFA applies' },
    ],
  });
}

export function documented(): RecoveryCase {
  return given(validating(), {
    type: 'document',
    by: MEGAN,
    lessons: 'Ravi’s account had Authentication Administrator without PIM.\nMove it to PIM with approval.',
  });
}

export function denied(): RecoveryCase {
  return given(awaiting(), { type: 'deny', by: PATTI, reason: 'The caller failed the callback check' });
}

export function expired(): RecoveryCase {
  const c = awaiting();
  const result = apply(c, { type: 'expire' }, new Date(Date.parse(c.approval?.expiresAt ?? '') + 60_000));
  if (!result.ok) throw new Error(result.message);
  return result.value.case;
}

export function cancelled(): RecoveryCase {
  return given(planned(), { type: 'cancel', by: MEGAN, reason: 'Duplicate of RC-8M3N0RYB' });
}

export const MANY_METHODS: AuthMethod[] = [
  ...SAMPLE_METHODS,
  ...Array.from({ length: 22 }, (_, i) => ({ id: `fido-${i}`, type: 'fido2' as const, detail: `Security key ${i}` })),
];

/** The identity step of a malicious case with a Verified ID request sent by Megan (the link went to her only). */
export function verificationRequested(requestId = 'vid-req-1'): RecoveryCase {
  return given(waitingOn('malicious', 'verifyIdentity'), {
    type: 'requestVerification',
    by: MEGAN,
    requestId,
    stateHash: 'a'.repeat(64),
    apiKeyHash: 'b'.repeat(64),
    expiresAt: '2026-11-25T10:30:00.000Z',
    threshold: 85,
    compromiseStartedAt: '2026-11-24T02:10:00Z',
    maxAttempts: 3,
  });
}

/** A presentation that failed several rules: a card issued during the compromise, a low face match. */
export function verificationFailed(): RecoveryCase {
  return given(verificationRequested(), {
    type: 'recordVerificationCallback',
    requestId: 'vid-req-1',
    status: 'presentation_verified',
    decision: {
      passed: false,
      rules: [
        { rule: 'credentialType', passed: true, detail: 'a VerifiedEmployee credential' },
        { rule: 'issuer', passed: true, detail: 'issued by an accepted issuer' },
        { rule: 'revocation', passed: true, detail: 'not revoked' },
        { rule: 'linkedDomain', passed: true, detail: 'linked domain contoso.com' },
        { rule: 'validity', passed: true, detail: 'valid until 2027-05-24T02:15:00Z' },
        {
          rule: 'issuedBeforeCompromise',
          passed: false,
          detail: 'issued during or after the compromise: whoever held the account could have issued it',
        },
        { rule: 'faceMatch', passed: true, detail: 'face match 91 (threshold 85)' },
        { rule: 'userMatch', passed: true, detail: 'the credential names the user being recovered' },
      ],
    },
    evidence: { type: ['VerifiableCredential', 'VerifiedEmployee'], issuer: 'did:web:verifiedid.contoso.com', claimNames: ['displayName', 'revocationId'] },
  });
}

/** After a failed Verified ID, the agent asks for the fallback; it waits for an approver. */
export function fallbackPending(): RecoveryCase {
  return given(verificationFailed(), {
    type: 'requestFallback',
    by: MEGAN,
    method: 'Video call with manager',
    note: 'Manager Patti confirmed on video; badge matched',
  });
}

/** The identity step handed to Entra ID Account Recovery, the user's recovery under way. */
export function handedToAccountRecovery(): RecoveryCase {
  return given(
    waitingOn('malicious', 'verifyIdentity'),
    {
      type: 'handOffToAccountRecovery',
      by: MEGAN,
      profile: 'Contoso recovery',
      checks: [
        { name: 'profileEnabled', outcome: 'pass', detail: 'Profile "Contoso recovery" is enabled.' },
        { name: 'licence', outcome: 'unknown', detail: 'Not readable app-only: confirm in the Microsoft Entra admin center.' },
      ],
    },
    {
      type: 'recordAccountRecovery',
      status: 'inProgress',
      seen: [{ activity: 'User started account recovery', at: '2026-11-25T10:20:00Z', result: 'success' }],
    },
  );
}
