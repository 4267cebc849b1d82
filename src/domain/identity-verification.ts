import type { AccountRecoveryStatus } from './account-recovery-outcome';
import type { AccountRecoveryHandOff, Actor, FallbackRequest, RecoveryCase, VerificationAttempt, VerificationRecord } from './case';
import { waitingIdentityStep, type IdentityVerifiedEvent, type StepCompletedEvent } from './case-steps';
import { ErrorCode, fail, ok, type Failure, type Result } from './errors';
import type { VerificationDecision, VerificationEvidence } from './verified-id';

/**
 * The identity step's rules (issue 17; shared/spec/verified-id.md §7.2, §7.3): the bot's own Verified ID presentation
 * requests, their callbacks and expiry, and the fallback a malicious recovery may take instead (a manual method that
 * one more approver accepts). Pure, like the rest of the workflow: the use cases pass in what the Request Service said
 * and what the directory says of the approver.
 *
 * Only a passed decision, an accepted fallback, or (accidental playbook) the agent's recorded method completes the
 * step; the password and TAP steps after it refuse to start until it is done (workflow `startStep`).
 */

/** A callback's status, as the Request Service sends it (spec §2.1); anything else is refused before it gets here. */
export type CallbackStatus = 'request_retrieved' | 'presentation_verified' | 'presentation_error';

/** After `expiresAt`, the service may still be finishing: a callback within this grace is taken (spec §7.3). */
export const CALLBACK_GRACE_MS = 60_000;

export type VerificationCommand =
  | {
      readonly type: 'requestVerification';
      readonly by: Actor;
      readonly requestId: string;
      readonly stateHash: string;
      readonly apiKeyHash: string;
      readonly expiresAt: string;
      readonly threshold: number;
      readonly compromiseStartedAt?: string;
      readonly maxAttempts: number;
    }
  | {
      readonly type: 'recordVerificationCallback';
      readonly requestId: string;
      readonly status: CallbackStatus;
      /** For `presentation_verified`: the bot's decision on the presented credential. */
      readonly decision?: VerificationDecision;
      readonly evidence?: VerificationEvidence;
      /** For `presentation_error`: the service's `error.code`. */
      readonly errorCode?: string;
    }
  | { readonly type: 'expireVerification'; readonly requestId: string }
  | { readonly type: 'requestFallback'; readonly by: Actor; readonly method: string; readonly note: string }
  /** Group membership (an approver of this target) is checked by the use case before. */
  | { readonly type: 'decideFallback'; readonly by: Actor; readonly decision: 'approve' | 'deny'; readonly reason?: string }
  /** The prerequisites were read and hold (the use case refuses otherwise); the user now recovers on their own. */
  | { readonly type: 'handOffToAccountRecovery'; readonly by: Actor; readonly checks: AccountRecoveryHandOff['checks']; readonly profile?: string }
  /**
   * What the audit log shows of the user's recovery since the hand-off. `confirmed`: with a completion, the user has a
   * newly registered method (listed by the use case), which is what completes the identity step.
   */
  | {
      readonly type: 'recordAccountRecovery';
      readonly status: AccountRecoveryStatus;
      readonly seen: AccountRecoveryHandOff['seen'];
      readonly failure?: string;
      readonly confirmed?: string;
    };

export type VerificationEvent =
  | { readonly type: 'verificationRequested'; readonly at: string; readonly attempt: VerificationAttempt; readonly maxAttempts: number }
  | { readonly type: 'verificationRetrieved'; readonly at: string; readonly requestId: string }
  | {
      readonly type: 'verificationDecided';
      readonly at: string;
      readonly requestId: string;
      readonly passed: boolean;
      readonly decision?: VerificationDecision;
      readonly evidence?: VerificationEvidence;
      readonly failure?: string;
    }
  | { readonly type: 'verificationExpired'; readonly at: string; readonly requestId: string; readonly lateCallback: boolean }
  | { readonly type: 'fallbackRequested'; readonly at: string; readonly fallback: FallbackRequest }
  | { readonly type: 'accountRecoveryHandedOff'; readonly at: string; readonly handOff: AccountRecoveryHandOff }
  | {
      readonly type: 'accountRecoveryProgressed';
      readonly at: string;
      readonly status: AccountRecoveryStatus;
      readonly seen: AccountRecoveryHandOff['seen'];
      readonly failure?: string;
    }
  | { readonly type: 'fallbackRefused'; readonly at: string; readonly by: Actor; readonly reason: string };

export type Decided = Result<(VerificationEvent | IdentityVerifiedEvent | StepCompletedEvent)[]>;

export const VERIFIED_ID_METHOD = 'Verified ID with Face Check';

const attempts = (c: RecoveryCase): readonly VerificationAttempt[] => c.verification?.attempts ?? [];

/** An attempt still waiting for the user: requested or opened, and not past its expiry and the grace. */
export function isOpenAttempt(a: VerificationAttempt, now: Date): boolean {
  return (a.status === 'requested' || a.status === 'retrieved') && now.getTime() < Date.parse(a.expiresAt) + CALLBACK_GRACE_MS;
}

/** The attempt waiting for the user, if any. */
export function openAttempt(c: RecoveryCase, now: Date): VerificationAttempt | undefined {
  return attempts(c).find((a) => isOpenAttempt(a, now));
}

/** Attempts still marked open whose time is up: recorded as expired before anything else happens to the case. */
function overdue(c: RecoveryCase, now: Date, at: string): VerificationEvent[] {
  return attempts(c)
    .filter((a) => (a.status === 'requested' || a.status === 'retrieved') && !isOpenAttempt(a, now))
    .map((a) => ({ type: 'verificationExpired', at, requestId: a.requestId, lateCallback: false }));
}

/** Why the identity step cannot take a new action from `by` now, or undefined. Shared by the request and the fallback. */
export function identityStepRefusal(c: RecoveryCase, by: Actor, action: string): Failure | undefined {
  if (!waitingIdentityStep(c))
    return fail(ErrorCode.StepOutOfOrder, `Case ${c.id} is not waiting for the caller's identity to be verified, so it cannot ${action}.`);
  if (by.aadObjectId !== c.requester.aadObjectId) return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name}, who opened case ${c.id}, can ${action}.`);
  if (c.identityVerification)
    return fail(ErrorCode.StepOutOfOrder, `The identity for case ${c.id} was already established (${c.identityVerification.method}). Nothing was changed.`);
  return undefined;
}

/**
 * Whether `by` may start a presentation request now: checked before the Request Service is called (so a refused click
 * costs no request and no Face Check), and again when the request is recorded.
 */
export function verificationRequestRefusal(c: RecoveryCase, by: Actor, now: Date, maxAttempts: number): Failure | undefined {
  const refused = identityStepRefusal(c, by, 'start a Verified ID request');
  if (refused) return refused;
  const open = openAttempt(c, now);
  if (open)
    return fail(
      ErrorCode.VerificationPending,
      `Verified ID request ${open.attempt} of case ${c.id} is still open until ${open.expiresAt}: the user can still present, so no new request was made.`,
    );
  if (attempts(c).length >= maxAttempts)
    return fail(
      ErrorCode.VerificationAttemptsExhausted,
      `Case ${c.id} has used all ${maxAttempts} Verified ID attempts. Ask for fallback approval (a manual method accepted by one more approver), or cancel the case.`,
    );
  return undefined;
}

export function decideVerificationRequest(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'requestVerification' }>, now: Date): Decided {
  const at = now.toISOString();
  const refused = verificationRequestRefusal(c, command.by, now, command.maxAttempts);
  if (refused) return refused;
  if (attempts(c).some((a) => a.requestId === command.requestId))
    return fail(ErrorCode.VerificationPending, `Verified ID request ${command.requestId} is already recorded for case ${c.id}.`);
  const attempt: VerificationAttempt = {
    attempt: attempts(c).length + 1,
    requestId: command.requestId,
    stateHash: command.stateHash,
    apiKeyHash: command.apiKeyHash,
    by: command.by,
    requestedAt: at,
    expiresAt: command.expiresAt,
    threshold: command.threshold,
    ...(command.compromiseStartedAt ? { compromiseStartedAt: command.compromiseStartedAt } : {}),
    status: 'requested',
    callbacks: [],
  };
  return ok([...overdue(c, now, at), { type: 'verificationRequested', at, attempt, maxAttempts: command.maxAttempts }]);
}

/** What the thread and the record say of a passed presentation: checked facts, no personal values. */
function passedNote(evidence: VerificationEvidence | undefined, decision: VerificationDecision): string {
  return [
    evidence ? `${evidence.type.filter((t) => t !== 'VerifiableCredential').join(', ')} from ${evidence.issuer}` : '',
    ...decision.rules.map((r) => r.detail),
  ]
    .filter(Boolean)
    .join('; ');
}

function failedNote(decision: VerificationDecision): string {
  return decision.rules
    .filter((r) => !r.passed)
    .map((r) => r.detail)
    .join('; ');
}

/**
 * One callback for an attempt. Refused (and so only logged or journaled by the caller): an unknown request, a status
 * already seen, anything after a final status. A callback after the expiry and its grace closes the attempt as expired
 * and is otherwise ignored (spec §7.3).
 */
export function decideVerificationCallback(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'recordVerificationCallback' }>, now: Date): Decided {
  const at = now.toISOString();
  const attempt = attempts(c).find((a) => a.requestId === command.requestId);
  if (!attempt) return fail(ErrorCode.VerificationCallbackRefused, `No Verified ID request ${command.requestId} belongs to case ${c.id}.`);
  if (attempt.status !== 'requested' && attempt.status !== 'retrieved')
    return fail(
      ErrorCode.VerificationCallbackRefused,
      `Verified ID request ${attempt.attempt} of case ${c.id} is already ${attempt.status}; the callback was ignored.`,
    );
  if (!isOpenAttempt(attempt, now)) return ok([{ type: 'verificationExpired', at, requestId: attempt.requestId, lateCallback: true }]);
  if (command.status === 'request_retrieved') {
    if (attempt.status === 'retrieved')
      return fail(ErrorCode.VerificationCallbackRefused, `Verified ID request ${attempt.attempt} of case ${c.id} was already opened; the repeat was ignored.`);
    return ok([{ type: 'verificationRetrieved', at, requestId: attempt.requestId }]);
  }
  if (command.status === 'presentation_error') {
    const code = command.errorCode ?? 'unknown';
    const failure =
      code === 'claimValidationError'
        ? 'the Request Service refused the presentation (claimValidationError: for example a face match below the threshold)'
        : `the Request Service reported an error (${code})`;
    return ok([{ type: 'verificationDecided', at, requestId: attempt.requestId, passed: false, failure }]);
  }
  const decision = command.decision;
  if (!decision) return fail(ErrorCode.InputMalformed, 'A presented credential arrived without a decision.');
  const decided: VerificationEvent = {
    type: 'verificationDecided',
    at,
    requestId: attempt.requestId,
    passed: decision.passed,
    decision,
    ...(command.evidence ? { evidence: command.evidence } : {}),
    ...(decision.passed ? {} : { failure: failedNote(decision) }),
  };
  const step = waitingIdentityStep(c);
  if (!decision.passed || !step || c.identityVerification) return ok([decided]);
  const note = passedNote(command.evidence, decision);
  return ok([
    decided,
    { type: 'identityVerified', at, by: attempt.by, method: VERIFIED_ID_METHOD, note, kind: 'verifiedId' },
    {
      type: 'stepCompleted',
      at,
      stepId: step.id,
      requestIds: [],
      detail: `${VERIFIED_ID_METHOD} passed (request ${attempt.attempt}): ${note}`,
      by: attempt.by,
    },
  ]);
}

/** The expiry timer (or any later look at the case): an attempt past its expiry and grace is closed. */
export function decideVerificationExpiry(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'expireVerification' }>, now: Date): Decided {
  const attempt = attempts(c).find((a) => a.requestId === command.requestId);
  if (!attempt || isOpenAttempt(attempt, now) || (attempt.status !== 'requested' && attempt.status !== 'retrieved')) return ok([]);
  return ok([{ type: 'verificationExpired', at: now.toISOString(), requestId: attempt.requestId, lateCallback: false }]);
}

/** The malicious playbook's way past a verification that is unavailable or failed: one more approver must accept it. */
export function decideRequestFallback(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'requestFallback' }>, now: Date): Decided {
  const refused = identityStepRefusal(c, command.by, 'ask for fallback approval');
  if (refused) return refused;
  if (c.scenario?.value !== 'malicious')
    return fail(
      ErrorCode.StepOutOfOrder,
      `Case ${c.id} is an accidental recovery: record how the identity was verified instead; no fallback approval is needed.`,
    );
  const method = command.method.trim();
  const note = command.note.trim();
  if (!method || !note)
    return fail(ErrorCode.ReasonRequired, 'Say which manual method you used and add the evidence (who, when, what was checked): the approver decides on it.');
  const pending = c.verification?.fallback;
  if (pending)
    return fail(
      ErrorCode.VerificationPending,
      `A fallback for case ${c.id} (${pending.method}) already waits for an approver since ${pending.at}. Nothing was changed.`,
    );
  return ok([{ type: 'fallbackRequested', at: now.toISOString(), fallback: { by: command.by, method, note, at: now.toISOString() } }]);
}

/**
 * Who may not decide on the fallback, whatever their groups. "One more approval": not the requester, not the user being
 * recovered, and not an approver who already approved the plan, so the fallback always adds a person to the decision.
 */
export function fallbackDeciderRefusal(c: RecoveryCase, by: Actor): Failure | undefined {
  if (!c.verification?.fallback || !waitingIdentityStep(c) || c.identityVerification)
    return fail(
      ErrorCode.AlreadyDecided,
      `No fallback of case ${c.id} waits for a decision${c.identityVerification ? `: the identity was established (${c.identityVerification.method})` : ''}.`,
    );
  if (by.aadObjectId === c.requester.aadObjectId)
    return fail(ErrorCode.ApprovalBySelf, `You asked for the fallback of case ${c.id}, so you cannot accept or refuse it. Another approver must decide.`);
  if (by.aadObjectId === c.target.id || by.aadObjectId === c.recreatedUserId)
    return fail(ErrorCode.ApprovalByTarget, `You are the user being recovered, so you cannot decide on the fallback of case ${c.id}.`);
  const planApprover = c.approval?.decisions.find((d) => d.by.aadObjectId === by.aadObjectId && d.decision === 'approve');
  if (planApprover)
    return fail(
      ErrorCode.AlreadyDecided,
      `You approved the plan of case ${c.id} at ${planApprover.at}; the fallback needs one more approver, someone who has not decided on this case.`,
    );
  return undefined;
}

/** An approver (membership checked by the use case) accepts the fallback, which completes the identity step, or refuses it. */
export function decideFallback(c: RecoveryCase, command: Extract<VerificationCommand, { type: 'decideFallback' }>, now: Date): Decided {
  const at = now.toISOString();
  const refused = fallbackDeciderRefusal(c, command.by);
  if (refused) return refused;
  const pending = c.verification?.fallback;
  const step = waitingIdentityStep(c);
  if (!pending || !step) return fail(ErrorCode.AlreadyDecided, `No fallback of case ${c.id} waits for a decision.`);
  if (command.decision === 'deny') {
    const reason = command.reason?.trim();
    if (!reason) return fail(ErrorCode.ReasonRequired, 'Refusing a fallback needs a reason, for the record.');
    return ok([{ type: 'fallbackRefused', at, by: command.by, reason }]);
  }
  return ok([
    { type: 'identityVerified', at, by: pending.by, method: pending.method, note: pending.note, kind: 'fallback', approvedBy: command.by },
    {
      type: 'stepCompleted',
      at,
      stepId: step.id,
      requestIds: [],
      detail: `Fallback without Verified ID: ${pending.method} (asked by ${pending.by.name}, accepted by ${command.by.name}; the evidence note is in the journal)`,
      by: command.by,
    },
  ]);
}

function withAttempt(v: VerificationRecord | undefined, requestId: string, change: (a: VerificationAttempt) => VerificationAttempt): VerificationRecord {
  return { ...(v ?? { attempts: [] }), attempts: (v?.attempts ?? []).map((a) => (a.requestId === requestId ? change(a) : a)) };
}

/** Applies a verification event to `next` (the case one version up); `journal` is the journal before it. */
export function evolveVerification(next: RecoveryCase, e: VerificationEvent, journal: RecoveryCase['journal']): RecoveryCase {
  const line = (by: string, event: string, detail?: string): RecoveryCase['journal'] => [...journal, { at: e.at, by, event, ...(detail ? { detail } : {}) }];
  const v = next.verification;
  switch (e.type) {
    case 'verificationRequested':
      return {
        ...next,
        verification: { ...(v ?? { attempts: [] }), attempts: [...(v?.attempts ?? []), e.attempt] },
        journal: line(
          e.attempt.by.name,
          `Verified ID request sent (attempt ${e.attempt.attempt} of ${e.maxAttempts})`,
          `Request ${e.attempt.requestId}, expires at ${e.attempt.expiresAt}; Face Check threshold ${e.attempt.threshold}. The link went to the agent only.`,
        ),
      };
    case 'verificationRetrieved':
      return {
        ...next,
        verification: withAttempt(v, e.requestId, (a) => ({
          ...a,
          status: 'retrieved',
          callbacks: [...a.callbacks, { status: 'request_retrieved', at: e.at }],
        })),
        journal: line('Verified ID', 'The user opened the Verified ID request'),
      };
    case 'verificationDecided':
      return {
        ...next,
        verification: withAttempt(v, e.requestId, (a) => ({
          ...a,
          status: e.passed ? 'verified' : 'failed',
          callbacks: [...a.callbacks, { status: e.decision ? 'presentation_verified' : 'presentation_error', at: e.at }],
          ...(e.decision ? { decision: e.decision } : {}),
          ...(e.evidence ? { evidence: e.evidence } : {}),
          ...(e.failure ? { failure: e.failure } : {}),
        })),
        journal: e.passed
          ? line('bot', 'Verified ID passed', e.decision ? passedNote(e.evidence, e.decision) : undefined)
          : line('bot', 'Verified ID failed', e.failure),
      };
    case 'verificationExpired':
      return {
        ...next,
        verification: withAttempt(v, e.requestId, (a) => ({ ...a, status: 'expired', failure: `no answer by ${a.expiresAt}` })),
        journal: line('bot', 'Verified ID request expired', e.lateCallback ? 'A callback arrived after the expiry and was ignored.' : undefined),
      };
    case 'fallbackRequested':
      return {
        ...next,
        verification: { ...(v ?? { attempts: [] }), fallback: e.fallback },
        journal: line(e.fallback.by.name, `Fallback approval asked: ${e.fallback.method}`, e.fallback.note),
      };
    case 'accountRecoveryHandedOff':
      return {
        ...next,
        verification: { ...(v ?? { attempts: [] }), accountRecovery: e.handOff },
        journal: line(
          e.handOff.by.name,
          'Handed to Entra ID Account Recovery',
          `${e.handOff.profile ? `Profile ${e.handOff.profile}. ` : ''}Checks: ${e.handOff.checks.map((k) => `${k.name} ${k.outcome}`).join(', ')}.`,
        ),
      };
    case 'accountRecoveryProgressed': {
      const h = v?.accountRecovery;
      return {
        ...next,
        verification: {
          ...(v ?? { attempts: [] }),
          ...(h ? { accountRecovery: { ...h, status: e.status, seen: e.seen, ...(e.failure ? { failure: e.failure } : {}) } } : {}),
        },
        journal: line(
          'bot',
          `Account Recovery: ${e.status === 'inProgress' ? 'in progress' : e.status}`,
          [e.failure, e.seen.map((s) => `${s.activity} (${s.at})`).join('; ')].filter(Boolean).join(' ') || undefined,
        ),
      };
    }
    case 'fallbackRefused': {
      const pending = v?.fallback;
      return {
        ...next,
        verification: {
          attempts: v?.attempts ?? [],
          refusedFallbacks: [...(v?.refusedFallbacks ?? []), ...(pending ? [{ ...pending, refusedBy: e.by, reason: e.reason, refusedAt: e.at }] : [])],
        },
        journal: line(e.by.name, 'Fallback refused', e.reason),
      };
    }
  }
}
