import { separationOfDuties } from './separation-of-duties';
import { TERMINAL_STATES, type Actor, type CaseState, type NoticeChannel, type RecoveryCase, type StepRun, type ValidationCheck } from './case';
import { risksNeedingOverride } from './helpdesk-risk';
import { ErrorCode, assertNever, fail, ok, type Failure, type Result } from './errors';
import type { PlanStep } from './plan';
import type { Scenario, Triage } from './triage';
import { nextStep, type IdentityVerifiedEvent, type StepCompletedEvent } from './case-steps';
import { contactText, type ApproverContact } from './approver-contact';
import { decideNoRecovery, evolveClosing, parseLessons, type ClosingEvent } from './closing';
import { decideAccountRecovery, decideHandOff } from './account-recovery-handoff';
import {
  decideFallback,
  decideRequestFallback,
  decideVerificationCallback,
  decideVerificationExpiry,
  decideVerificationRequest,
  evolveVerification,
  type VerificationCommand,
  type VerificationEvent,
} from './identity-verification';

/** What people and the executor ask of a case. Who is asking comes from the activity, never from card data. */
export type Command =
  | { readonly type: 'recordTriage'; readonly triage: Triage }
  | { readonly type: 'confirmScenario'; readonly by: Actor; readonly scenario: Scenario; readonly reason?: string; readonly plan: readonly PlanStep[] }
  | { readonly type: 'requestApproval'; readonly by: Actor; readonly required: number; readonly ttlMinutes: number }
  /** The requester accepts the helpdesk-attack risks that need an override (helpdesk-risk.ts), with a reason, once. */
  | { readonly type: 'overrideRisks'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'approve'; readonly by: Actor; readonly comment?: string }
  | { readonly type: 'deny'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'expire' }
  /** The reminder to the approvers: recorded once, so that of several instances with the timer exactly one posts it. */
  | { readonly type: 'remind' }
  /** The request also goes to the escalation groups: recorded once, like the reminder. */
  | { readonly type: 'escalate'; readonly groupIds: readonly string[] }
  /** Who the approval request reached in a 1:1 chat and who it could not reach, for the record (no case state changes). */
  | { readonly type: 'recordApproverContact'; readonly contact: ApproverContact }
  | { readonly type: 'cancel'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'startExecution'; readonly by: Actor }
  | { readonly type: 'startStep'; readonly stepId: string; readonly by?: Actor }
  | { readonly type: 'waitForAgent'; readonly stepId: string; readonly detail: string }
  | {
      readonly type: 'completeStep';
      readonly stepId: string;
      readonly requestIds: readonly string[];
      readonly detail: string;
      readonly by?: Actor;
      readonly newUserId?: string;
    }
  | { readonly type: 'failStep'; readonly stepId: string; readonly requestIds: readonly string[]; readonly error: string }
  | { readonly type: 'retryStep'; readonly by: Actor; readonly stepId: string }
  | { readonly type: 'recordIdentityVerification'; readonly by: Actor; readonly method: string; readonly note: string }
  | VerificationCommand
  | { readonly type: 'recordValidation'; readonly checks: readonly ValidationCheck[] }
  /** Closes a validated case: `lessons` must hold the lessons learned, or "none: " and why (closing.ts). */
  | { readonly type: 'document'; readonly by: Actor; readonly lessons: string }
  /** "No recovery needed" from the triage card, with a reason (closing.ts decides whether approvers must agree). */
  | { readonly type: 'closeNoRecovery'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'recordRefusal'; readonly by: Actor | undefined; readonly action: string; readonly code: string }
  /** How the real user was told out of band (notify-user.ts): journal only, once per channel, in any state. */
  | { readonly type: 'recordNotice'; readonly channel: NoticeChannel; readonly outcome: 'sent' | 'not sent'; readonly detail: string };

/** Refused attempts recorded per case; beyond this they are only logged. */
export const MAX_RECORDED_REFUSALS = 50;

/** What happened. Events carry no secrets: "TAP issued, expires at T", never the pass. */
export type CaseEvent =
  | { readonly type: 'triaged'; readonly at: string; readonly triage: Triage }
  | {
      readonly type: 'scenarioConfirmed';
      readonly at: string;
      readonly by: Actor;
      readonly scenario: Scenario;
      readonly overridden: boolean;
      readonly reason?: string;
      readonly plan: readonly PlanStep[];
    }
  | { readonly type: 'approvalRequested'; readonly at: string; readonly by: Actor; readonly required: number; readonly expiresAt: string }
  | { readonly type: 'risksOverridden'; readonly at: string; readonly by: Actor; readonly reason: string; readonly codes: readonly string[] }
  | { readonly type: 'approved'; readonly at: string; readonly by: Actor; readonly comment?: string }
  | { readonly type: 'quorumReached'; readonly at: string }
  | { readonly type: 'denied'; readonly at: string; readonly by: Actor; readonly reason: string }
  | { readonly type: 'expired'; readonly at: string }
  | { readonly type: 'reminded'; readonly at: string }
  | { readonly type: 'escalated'; readonly at: string; readonly groupIds: readonly string[] }
  | { readonly type: 'approversContacted'; readonly at: string; readonly contact: ApproverContact }
  | { readonly type: 'cancelled'; readonly at: string; readonly by: Actor; readonly reason: string }
  | { readonly type: 'executionStarted'; readonly at: string; readonly by: Actor }
  | { readonly type: 'stepStarted'; readonly at: string; readonly stepId: string }
  | { readonly type: 'stepWaiting'; readonly at: string; readonly stepId: string; readonly detail: string }
  | StepCompletedEvent
  | { readonly type: 'stepFailed'; readonly at: string; readonly stepId: string; readonly requestIds: readonly string[]; readonly error: string }
  | { readonly type: 'stepRetried'; readonly at: string; readonly by: Actor; readonly stepId: string }
  | { readonly type: 'executionCompleted'; readonly at: string }
  | IdentityVerifiedEvent
  | VerificationEvent
  | { readonly type: 'validationRecorded'; readonly at: string; readonly checks: readonly ValidationCheck[] }
  | { readonly type: 'documented'; readonly at: string; readonly by: Actor; readonly lessons: string; readonly noLessonsReason?: string }
  | ClosingEvent
  | { readonly type: 'attemptRefused'; readonly at: string; readonly by: Actor | undefined; readonly action: string; readonly code: string }
  | { readonly type: 'noticeRecorded'; readonly at: string; readonly channel: NoticeChannel; readonly outcome: 'sent' | 'not sent'; readonly detail: string };

const wrongState = (c: RecoveryCase, action: string): Result<never> =>
  fail(ErrorCode.CaseWrongState, `Case ${c.id} is ${describeState(c.state)}, so it cannot ${action}.`);

export function describeState(state: CaseState): string {
  const words: Record<CaseState, string> = {
    opened: 'open (triage pending)',
    triaged: 'triaged (waiting for the agent to confirm the scenario)',
    planProposed: 'planned (approval not yet requested)',
    awaitingApproval: 'waiting for approval',
    approved: 'approved (not started)',
    executing: 'running',
    failed: 'stopped on a failed step',
    validating: 'in validation',
    documented: 'closed',
    denied: 'denied',
    expired: 'expired',
    cancelled: 'cancelled',
  };
  return words[state];
}

/** Steps for people are the requester's: anyone else (or nobody named) is refused. */
function byTheRequester(c: RecoveryCase, by: Actor | undefined, step: PlanStep): Failure | undefined {
  if (by?.aadObjectId === c.requester.aadObjectId) return undefined;
  return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name}, who opened case ${c.id}, can do "${step.title}".`);
}

/** A person's step can be acted on only while it waits for them. */
function waitingFor(c: RecoveryCase, step: PlanStep): Failure | undefined {
  if (c.steps?.[step.id]?.status === 'waiting') return undefined;
  return fail(ErrorCode.StepOutOfOrder, `Step "${step.title}" of case ${c.id} is not waiting for you now.`);
}

/**
 * What the bot itself must do next for a case, after any event, whoever caused it (a click, a restart, the sweep): the
 * one home of that decision. An approved case starts (the approvals were the last thing it waited for), an executing
 * one runs its steps until one needs a person, a validating one without results is validated. Anything else waits for
 * a person or is over.
 */
export function pendingWork(c: RecoveryCase): 'start' | 'run' | 'validate' | undefined {
  if (c.state === 'approved') return 'start';
  if (c.state === 'executing') return 'run';
  if (c.state === 'validating' && !c.validation) return 'validate';
  return undefined;
}

export { nextStep };

function requireNextStep(c: RecoveryCase, stepId: string): Result<PlanStep> {
  const next = nextStep(c);
  if (!next || next.id !== stepId)
    return fail(ErrorCode.StepOutOfOrder, `Step ${stepId} is not the next step of case ${c.id}${next ? ` (next is ${next.id}: ${next.title})` : ''}.`);
  return ok(next);
}

/**
 * The workflow's decision function: given a case, a command and the time, the events that follow, or why not.
 * Pure: no I/O, the clock is passed in. Authorisation that needs the directory (group membership) is checked by
 * the use case before; the rules that need only the case (requester, target, expiry, one decision each) are here.
 */
export function decide(c: RecoveryCase, command: Command, now: Date): Result<CaseEvent[]> {
  const at = now.toISOString();
  if (command.type === 'recordRefusal') {
    // Journal only: the case itself does not change, and a flood of refused clicks stops being recorded.
    return ok((c.refusals ?? 0) < MAX_RECORDED_REFUSALS ? [{ type: 'attemptRefused', at, by: command.by, action: command.action, code: command.code }] : []);
  }
  if (command.type === 'recordNotice') {
    // Journal only, like a refusal; a second record for the same channel (another instance, a retry) adds nothing.
    if (c.notices?.[command.channel]) return ok([]);
    return ok([{ type: 'noticeRecorded', at, channel: command.channel, outcome: command.outcome, detail: command.detail }]);
  }
  // A late approve or deny is told who decided and when, whatever state the case is in now.
  if (command.type === 'approve' || command.type === 'deny') return decideApproval(c, command, now);
  if (TERMINAL_STATES.has(c.state) && command.type !== 'recordValidation') return wrongState(c, 'change any more');
  switch (command.type) {
    case 'recordTriage':
      return c.state === 'opened' ? ok([{ type: 'triaged', at, triage: command.triage }]) : wrongState(c, 'be triaged again');
    case 'confirmScenario': {
      if (c.state !== 'triaged' && c.state !== 'planProposed') return wrongState(c, 'change its scenario');
      if (c.noRecovery)
        return fail(ErrorCode.AlreadyDecided, `${c.noRecovery.by.name} asked to close case ${c.id} without recovery; no scenario can be chosen now.`);
      if (command.by.aadObjectId !== c.requester.aadObjectId)
        return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name}, who opened case ${c.id}, can confirm its scenario.`);
      const overridden = command.scenario !== c.triage?.recommendation;
      const reason = command.reason?.trim();
      if (overridden && !reason)
        return fail(
          ErrorCode.ReasonRequired,
          `Choosing ${command.scenario} against the ${c.triage?.recommendation ?? 'missing'} recommendation needs a reason, for the record.`,
        );
      // The same choice again (a double click, or a burst reaching several instances) is not a second decision (issue 15).
      if (c.scenario && c.scenario.value === command.scenario && (c.scenario.reason ?? '') === (reason ?? '')) {
        return fail(
          ErrorCode.AlreadyDecided,
          `The scenario of case ${c.id} is already ${command.scenario}, confirmed by ${c.scenario.by.name} at ${c.scenario.at}. Nothing was changed.`,
        );
      }
      return ok([{ type: 'scenarioConfirmed', at, by: command.by, scenario: command.scenario, overridden, ...(reason ? { reason } : {}), plan: command.plan }]);
    }
    case 'requestApproval':
      if (c.state !== 'planProposed') return wrongState(c, 'be sent for approval');
      if (command.by.aadObjectId !== c.requester.aadObjectId)
        return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name} can send case ${c.id} for approval.`);
      // The helpdesk-attack risks are about handing a caller new credentials; a close without recovery hands out nothing.
      if (!c.noRecovery && risksNeedingOverride(c.risks ?? []).length > 0 && !c.riskOverride)
        return fail(
          ErrorCode.RiskOverrideRequired,
          `Case ${c.id} has risks that need your override with a reason before approval is requested: ${risksNeedingOverride(c.risks ?? [])
            .map((r) => r.code)
            .join(', ')}.`,
        );
      return ok([
        {
          type: 'approvalRequested',
          at,
          by: command.by,
          required: command.required,
          expiresAt: new Date(now.getTime() + command.ttlMinutes * 60_000).toISOString(),
        },
      ]);
    case 'overrideRisks':
      return decideOverride(c, command, now);
    case 'expire':
      if (c.state !== 'awaitingApproval' || !c.approval) return wrongState(c, 'expire');
      return now.getTime() >= Date.parse(c.approval.expiresAt) ? ok([{ type: 'expired', at }]) : ok([]);
    case 'remind':
      if (c.state !== 'awaitingApproval' || !c.approval || c.approval.remindedAt) return ok([]);
      return ok([{ type: 'reminded', at }]);
    case 'escalate':
      if (c.state !== 'awaitingApproval' || !c.approval || c.approval.escalatedAt || command.groupIds.length === 0) return ok([]);
      return ok([{ type: 'escalated', at, groupIds: command.groupIds }]);
    case 'recordApproverContact':
      if (command.contact.reached.length + command.contact.unreached.length === 0) return ok([]);
      return ok([{ type: 'approversContacted', at, contact: command.contact }]);
    case 'cancel':
      if (!command.reason.trim()) return fail(ErrorCode.ReasonRequired, 'Cancelling a case needs a reason, for the record.');
      if (c.state === 'executing') return wrongState(c, 'be cancelled while a step is running; wait for it to stop');
      // After the run the recovery has happened: the record ends with the summary and its validation, never as "cancelled".
      if (c.state === 'validating' || c.state === 'documented') return wrongState(c, 'be cancelled after the recovery ran; close it with the summary');
      return ok([{ type: 'cancelled', at, by: command.by, reason: command.reason.trim() }]);
    case 'startExecution':
      if (c.state !== 'approved') return wrongState(c, 'start');
      if (command.by.aadObjectId !== c.requester.aadObjectId) return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name} can start case ${c.id}.`);
      return ok([{ type: 'executionStarted', at, by: command.by }]);
    case 'startStep': {
      if (c.state !== 'executing') return wrongState(c, 'run a step');
      const step = requireNextStep(c, command.stepId);
      if (!step.ok) return step;
      // One run of a step at a time: a second Reveal click while the first is at Graph would make a second secret.
      if (c.steps?.[command.stepId]?.status === 'running')
        return fail(ErrorCode.StepOutOfOrder, `Step "${step.value.title}" of case ${c.id} is already running.`);
      if (step.value.kind === 'issueTap' || step.value.kind === 'resetPassword') {
        // A secret is made only when the requester clicks Reveal on the step that waits for them.
        const refused = byTheRequester(c, command.by, step.value) ?? waitingFor(c, step.value);
        if (refused) return refused;
        if (!c.identityVerification)
          return fail(
            ErrorCode.IdentityNotVerified,
            'Record how the caller\u2019s identity was verified before a password or Temporary Access Pass is revealed.',
          );
        // However it came to be recorded, a malicious recovery hands out no secret on the agent's word alone.
        if (c.scenario?.value === 'malicious' && (c.identityVerification.kind ?? 'manual') === 'manual')
          return fail(
            ErrorCode.VerificationRequired,
            'In a malicious recovery a password or TAP is revealed only after Verified ID passed or an approver accepted the fallback.',
          );
      }
      return ok([{ type: 'stepStarted', at, stepId: command.stepId }]);
    }
    case 'waitForAgent': {
      if (c.state !== 'executing') return wrongState(c, 'wait for the agent');
      const step = requireNextStep(c, command.stepId);
      return step.ok ? ok([{ type: 'stepWaiting', at, stepId: command.stepId, detail: command.detail }]) : step;
    }
    case 'completeStep': {
      if (c.state !== 'executing') return wrongState(c, 'complete a step');
      const step = requireNextStep(c, command.stepId);
      if (!step.ok) return step;
      // A step waiting for a person, or a secret the requester's Reveal started, is completed by the requester only.
      const status = c.steps?.[command.stepId]?.status;
      if (status === 'waiting' || (status === 'running' && 'secret' in step.value)) {
        const refused = byTheRequester(c, command.by, step.value);
        if (refused) return refused;
      }
      const events: CaseEvent[] = [
        {
          type: 'stepCompleted',
          at,
          stepId: command.stepId,
          requestIds: command.requestIds,
          detail: command.detail,
          ...(command.by ? { by: command.by } : {}),
          ...(command.newUserId ? { newUserId: command.newUserId } : {}),
        },
      ];
      const remaining = (c.plan ?? []).filter((s) => s.id !== command.stepId && c.steps?.[s.id]?.status !== 'done');
      if (remaining.length === 0) events.push({ type: 'executionCompleted', at });
      return ok(events);
    }
    case 'failStep': {
      if (c.state !== 'executing') return wrongState(c, 'fail a step');
      const step = requireNextStep(c, command.stepId);
      return step.ok ? ok([{ type: 'stepFailed', at, stepId: command.stepId, requestIds: command.requestIds, error: command.error }]) : step;
    }
    case 'retryStep': {
      if (c.state !== 'failed') return wrongState(c, 'retry a step');
      if (command.by.aadObjectId !== c.requester.aadObjectId)
        return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name} can retry steps of case ${c.id}.`);
      const step = requireNextStep(c, command.stepId);
      return step.ok ? ok([{ type: 'stepRetried', at, by: command.by, stepId: command.stepId }]) : step;
    }
    case 'recordIdentityVerification':
      if (c.state !== 'executing') return wrongState(c, 'record identity verification');
      if (command.by.aadObjectId !== c.requester.aadObjectId)
        return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name} can record the identity verification of case ${c.id}.`);
      if (!command.method.trim() || !command.note.trim())
        return fail(ErrorCode.ReasonRequired, 'Say how the identity was verified and add a note (who, when, what was checked).');
      // A takeover is what a social engineer on the phone claims to recover from: the agent's word alone is not enough.
      if (c.scenario?.value === 'malicious')
        return fail(
          ErrorCode.VerificationRequired,
          `In a malicious recovery the caller is verified with Verified ID, or a manual method is accepted by one more approver: use "Verify with Verified ID" or "Ask for fallback approval" on case ${c.id}. Nothing was recorded.`,
        );
      // Recorded once: a second click (a double click, or a burst reaching several instances) must not add a second record.
      if (c.identityVerification) {
        const done = c.identityVerification;
        return fail(
          ErrorCode.StepOutOfOrder,
          `The identity verification of case ${c.id} was already recorded by ${done.by.name} at ${done.at} (${done.method}). Nothing was changed.`,
        );
      }
      return ok([{ type: 'identityVerified', at, by: command.by, method: command.method.trim(), note: command.note.trim(), kind: 'manual' }]);
    case 'requestVerification':
      return decideVerificationRequest(c, command, now);
    case 'recordVerificationCallback':
      return decideVerificationCallback(c, command, now);
    case 'expireVerification':
      return decideVerificationExpiry(c, command, now);
    case 'requestFallback':
      return decideRequestFallback(c, command, now);
    case 'decideFallback':
      return decideFallback(c, command, now);
    case 'handOffToAccountRecovery':
      return decideHandOff(c, command, now);
    case 'recordAccountRecovery':
      return decideAccountRecovery(c, command, now);
    case 'recordValidation':
      if (c.state !== 'validating' && c.state !== 'documented') return wrongState(c, 'be validated');
      return ok([{ type: 'validationRecorded', at, checks: command.checks }]);
    case 'document':
      if (c.state !== 'validating') return wrongState(c, 'be closed');
      if (command.by.aadObjectId !== c.requester.aadObjectId) return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name} can close case ${c.id}.`);
      {
        const lessons = parseLessons(command.lessons);
        if (!lessons.ok) return lessons;
        return ok([
          lessons.value.kind === 'learned'
            ? { type: 'documented', at, by: command.by, lessons: lessons.value.text }
            : { type: 'documented', at, by: command.by, lessons: '', noLessonsReason: lessons.value.reason },
        ]);
      }
    case 'closeNoRecovery':
      return decideNoRecovery(c, command, now);
    default:
      return assertNever(command);
  }
}

/** Overriding the risks: the requester's, once, with a reason, before approval is requested, and only when a risk needs it. */
function decideOverride(c: RecoveryCase, command: Extract<Command, { type: 'overrideRisks' }>, now: Date): Result<CaseEvent[]> {
  if (c.state !== 'opened' && c.state !== 'triaged' && c.state !== 'planProposed') return wrongState(c, 'have its risks overridden (approval was requested)');
  if (command.by.aadObjectId !== c.requester.aadObjectId)
    return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name}, who opened case ${c.id}, can override its risks.`);
  const needing = risksNeedingOverride(c.risks ?? []);
  if (needing.length === 0) return fail(ErrorCode.RiskNothingToOverride, `Case ${c.id} has no risk that needs an override.`);
  if (c.riskOverride)
    return fail(
      ErrorCode.AlreadyDecided,
      `The risks of case ${c.id} were already overridden by ${c.riskOverride.by.name} at ${c.riskOverride.at}. Nothing was changed.`,
    );
  const reason = command.reason.trim();
  if (!reason) return fail(ErrorCode.ReasonRequired, 'Overriding a risk needs a reason, for the record and the approvers.');
  return ok([{ type: 'risksOverridden', at: now.toISOString(), by: command.by, reason, codes: needing.map((r) => r.code) }]);
}

function decideApproval(c: RecoveryCase, command: Extract<Command, { type: 'approve' | 'deny' }>, now: Date): Result<CaseEvent[]> {
  const at = now.toISOString();
  const earlier = c.approval?.decisions.find((d) => d.by.aadObjectId === command.by.aadObjectId);
  if (earlier)
    return fail(ErrorCode.AlreadyDecided, `You already decided on case ${c.id}: ${earlier.decision === 'approve' ? 'approved' : 'denied'} at ${earlier.at}.`);
  if (c.state !== 'awaitingApproval' || !c.approval) {
    const last = c.approval?.decisions[c.approval.decisions.length - 1];
    return fail(
      ErrorCode.AlreadyDecided,
      `Case ${c.id} is ${describeState(c.state)}${last ? `; the last decision was made by ${last.by.name} at ${last.at}` : ''}.`,
    );
  }
  if (now.getTime() >= Date.parse(c.approval.expiresAt))
    return fail(ErrorCode.ApprovalExpired, `The approval request for case ${c.id} expired at ${c.approval.expiresAt}. The agent can request approval again.`);
  const duty = separationOfDuties(command.by, {
    what: 'this case',
    requester: c.requester,
    subjects: [c.target.id],
    subjectIs: 'the user being recovered',
    decided: [],
  });
  if (duty) return duty;
  if (command.type === 'deny') {
    const reason = command.reason.trim();
    if (!reason) return fail(ErrorCode.ReasonRequired, 'A denial needs a reason, for the record.');
    return ok([{ type: 'denied', at, by: command.by, reason }]);
  }
  const comment = command.comment?.trim();
  const events: CaseEvent[] = [{ type: 'approved', at, by: command.by, ...(comment ? { comment } : {}) }];
  const approvals = c.approval.decisions.filter((d) => d.decision === 'approve').length + 1;
  if (approvals >= c.approval.required) {
    events.push({ type: 'quorumReached', at });
    // A close without recovery ends with its approval: there is nothing to run.
    if (c.noRecovery) events.push({ type: 'closedNoRecovery', at, by: c.noRecovery.by, reason: c.noRecovery.reason, approved: true });
  }
  return ok(events);
}

function setStep(c: RecoveryCase, stepId: string, run: StepRun): Readonly<Record<string, StepRun>> {
  return { ...(c.steps ?? {}), [stepId]: run };
}

function stepTitle(c: RecoveryCase, stepId: string): string {
  return c.plan?.find((s) => s.id === stepId)?.title ?? stepId;
}

/**
 * Applies one event: the new case, one version up (a refused attempt only adds its journal line), with the version at
 * which the state last changed kept for stale-card checks.
 */
export function evolve(c: RecoveryCase, e: CaseEvent): RecoveryCase {
  if (e.type === 'attemptRefused') {
    return {
      ...c,
      refusals: (c.refusals ?? 0) + 1,
      journal: [...c.journal, { at: e.at, by: e.by?.name ?? 'unknown sender', event: `Refused: ${e.action}`, detail: e.code }],
    };
  }
  if (e.type === 'noticeRecorded') {
    // Not a change of the case people act on: no new version, so no card becomes stale.
    const who = e.channel === 'manager' ? 'the user\u2019s manager (1:1 chat)' : 'the user\u2019s alternate email';
    return {
      ...c,
      notices: { ...(c.notices ?? {}), [e.channel]: { outcome: e.outcome, detail: e.detail, at: e.at } },
      journal: [...c.journal, { at: e.at, by: 'bot', event: `User told out of band via ${who}: ${e.outcome}`, detail: e.detail }],
    };
  }
  const evolved = applyEvent(c, e);
  return evolved.state === c.state ? evolved : { ...evolved, stateVersion: evolved.version };
}

function applyEvent(c: RecoveryCase, e: Exclude<CaseEvent, { type: 'attemptRefused' | 'noticeRecorded' }>): RecoveryCase {
  const journal = (by: string, event: string, detail?: string): RecoveryCase['journal'] => [
    ...c.journal,
    { at: e.at, by, event, ...(detail ? { detail } : {}) },
  ];
  const next = { ...c, version: c.version + 1 };
  switch (e.type) {
    case 'triaged':
      return {
        ...next,
        state: 'triaged',
        triage: e.triage,
        journal: journal('bot', 'Triaged', `Recommendation: ${e.triage.recommendation}. ${e.triage.reasons.join(' ')}`),
      };
    case 'scenarioConfirmed':
      return {
        ...next,
        state: 'planProposed',
        scenario: { value: e.scenario, by: e.by, at: e.at, overridden: e.overridden, ...(e.reason ? { reason: e.reason } : {}) },
        plan: e.plan,
        steps: Object.fromEntries(e.plan.map((s) => [s.id, { status: 'pending', requestIds: [] } satisfies StepRun])),
        journal: journal(e.by.name, e.overridden ? `Scenario overridden to ${e.scenario}` : `Scenario confirmed: ${e.scenario}`, e.reason),
      };
    case 'approvalRequested':
      return {
        ...next,
        state: 'awaitingApproval',
        approval: { requestedAt: e.at, expiresAt: e.expiresAt, required: e.required, decisions: [] },
        journal: journal(e.by.name, 'Approval requested', `${e.required} approval(s) needed by ${e.expiresAt}`),
      };
    case 'risksOverridden':
      return {
        ...next,
        riskOverride: { by: e.by, at: e.at, reason: e.reason },
        journal: journal(e.by.name, `Risks overridden: ${e.codes.join(', ')}`, e.reason),
      };
    case 'approved':
      return {
        ...next,
        approval: c.approval && {
          ...c.approval,
          decisions: [...c.approval.decisions, { by: e.by, decision: 'approve', at: e.at, ...(e.comment ? { comment: e.comment } : {}) }],
        },
        journal: journal(e.by.name, 'Approved', e.comment),
      };
    case 'quorumReached':
      return { ...next, state: 'approved', journal: journal('bot', 'Approval quorum reached') };
    case 'denied':
      return {
        ...next,
        state: 'denied',
        closedAt: e.at,
        approval: c.approval && { ...c.approval, decisions: [...c.approval.decisions, { by: e.by, decision: 'deny', at: e.at, comment: e.reason }] },
        journal: journal(e.by.name, 'Denied', e.reason),
      };
    case 'expired':
      return { ...next, state: 'expired', closedAt: e.at, journal: journal('bot', 'Approval request expired') };
    case 'reminded':
      return { ...next, ...(c.approval ? { approval: { ...c.approval, remindedAt: e.at } } : {}), journal: journal('bot', 'Approvers reminded') };
    case 'escalated':
      return {
        ...next,
        ...(c.approval ? { approval: { ...c.approval, escalatedAt: e.at } } : {}),
        journal: journal('bot', 'Approval request escalated', `to the escalation group(s) ${e.groupIds.join(', ')}`),
      };
    case 'approversContacted':
      return {
        ...next,
        journal: journal('bot', e.contact.escalation ? 'Escalation sent to 1:1 chats' : 'Approval request sent to 1:1 chats', contactText(e.contact)),
      };
    case 'cancelled':
      return { ...next, state: 'cancelled', closedAt: e.at, journal: journal(e.by.name, 'Cancelled', e.reason) };
    case 'executionStarted':
      return { ...next, state: 'executing', executionStartedAt: e.at, journal: journal(e.by.name, 'Execution started') };
    case 'stepStarted':
      return {
        ...next,
        steps: setStep(c, e.stepId, { status: 'running', requestIds: c.steps?.[e.stepId]?.requestIds ?? [], at: e.at }),
        journal: journal('bot', `Step started: ${stepTitle(c, e.stepId)}`),
      };
    case 'stepWaiting':
      return {
        ...next,
        steps: setStep(c, e.stepId, { status: 'waiting', requestIds: c.steps?.[e.stepId]?.requestIds ?? [], detail: e.detail, at: e.at }),
        journal: journal('bot', `Waiting for the agent: ${stepTitle(c, e.stepId)}`, e.detail),
      };
    case 'stepCompleted':
      return {
        ...next,
        steps: setStep(c, e.stepId, { status: 'done', requestIds: [...(c.steps?.[e.stepId]?.requestIds ?? []), ...e.requestIds], detail: e.detail, at: e.at }),
        ...(e.newUserId ? { recreatedUserId: e.newUserId } : {}),
        journal: journal(
          e.by?.name ?? 'bot',
          `Step done: ${stepTitle(c, e.stepId)}`,
          `${e.detail}${e.requestIds.length ? ` (Graph request ids: ${e.requestIds.join(', ')})` : ''}`,
        ),
      };
    case 'stepFailed':
      return {
        ...next,
        state: 'failed',
        steps: setStep(c, e.stepId, { status: 'failed', requestIds: [...(c.steps?.[e.stepId]?.requestIds ?? []), ...e.requestIds], detail: e.error, at: e.at }),
        journal: journal('bot', `Step failed: ${stepTitle(c, e.stepId)}`, e.error),
      };
    case 'stepRetried':
      return {
        ...next,
        state: 'executing',
        steps: setStep(c, e.stepId, { status: 'pending', requestIds: c.steps?.[e.stepId]?.requestIds ?? [] }),
        journal: journal(e.by.name, `Step retried: ${stepTitle(c, e.stepId)}`),
      };
    case 'executionCompleted':
      return { ...next, state: 'validating', executionCompletedAt: e.at, journal: journal('bot', 'All steps done; validation started') };
    case 'identityVerified':
      return {
        ...next,
        identityVerification: {
          by: e.by,
          method: e.method,
          note: e.note,
          at: e.at,
          ...(e.kind ? { kind: e.kind } : {}),
          ...(e.approvedBy ? { approvedBy: e.approvedBy } : {}),
        },
        journal: journal(
          e.approvedBy?.name ?? e.by.name,
          e.kind === 'fallback' ? `Identity accepted without Verified ID (fallback): ${e.method}` : `Identity verified: ${e.method}`,
          e.note,
        ),
      };
    case 'verificationRequested':
    case 'verificationRetrieved':
    case 'verificationDecided':
    case 'verificationExpired':
    case 'fallbackRequested':
    case 'fallbackRefused':
    case 'accountRecoveryHandedOff':
    case 'accountRecoveryProgressed':
      return evolveVerification(next, e, c.journal);
    case 'validationRecorded':
      return { ...next, validation: e.checks, journal: journal('bot', 'Validation recorded', e.checks.map((k) => `${k.name}: ${k.outcome}`).join('; ')) };
    case 'documented':
      return {
        ...next,
        state: 'documented',
        lessons: e.lessons,
        ...(e.noLessonsReason ? { noLessons: { reason: e.noLessonsReason } } : {}),
        closedAt: e.at,
        journal: journal(e.by.name, 'Case closed with the summary', e.noLessonsReason ? `No lessons learned: ${e.noLessonsReason}` : e.lessons || undefined),
      };
    case 'noRecoveryProposed':
      return {
        ...evolveClosing(next, e),
        journal: journal(
          e.by.name,
          'No recovery needed: asked to close without recovery',
          `${e.reason} (the audit log shows changes, so the approvers decide)`,
        ),
      };
    case 'closedNoRecovery':
      return {
        ...evolveClosing(next, e),
        journal: journal(e.approved ? 'bot' : e.by.name, 'Closed: no recovery needed', e.approved ? `Approved. Reason: ${e.reason}` : e.reason),
      };
    default:
      return assertNever(e);
  }
}

/** decide, then evolve: the new case and the events, or why not. */
export function apply(c: RecoveryCase, command: Command, now: Date): Result<{ case: RecoveryCase; events: CaseEvent[] }> {
  const decided = decide(c, command, now);
  if (!decided.ok) return decided;
  return ok({ case: decided.value.reduce(evolve, c), events: decided.value });
}
