import type { FlaggedRisk } from './risk-types';
import type { PlanStep } from './plan';
import type { TargetSnapshot } from './target';
import type { VerificationDecision, VerificationEvidence } from './verified-id';
import type { AccountRecoveryStatus } from './account-recovery-outcome';
import type { Scenario, Triage } from './triage';

/** Where the case lives in Teams: replies and card updates go back to this thread. */
export interface ThreadRef {
  readonly tenantId: string;
  /** The conversation id, including `;messageid=` for a channel thread. */
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly channelId: string;
  /** A 1:1 chat between the bot and one person (an approver's request); absent for a channel thread. */
  readonly conversationType?: 'personal';
}

export interface Actor {
  /** Entra object id, from the activity (never from card data). */
  readonly aadObjectId: string;
  readonly name: string;
}

export type CaseState =
  | 'opened'
  | 'triaged'
  | 'planProposed'
  | 'awaitingApproval'
  | 'approved'
  | 'executing'
  | 'failed'
  | 'validating'
  | 'documented'
  | 'denied'
  | 'expired'
  | 'cancelled';

export const TERMINAL_STATES: ReadonlySet<CaseState> = new Set(['documented', 'denied', 'expired', 'cancelled']);

export interface ScenarioDecision {
  readonly value: Scenario;
  readonly by: Actor;
  readonly at: string;
  /** True when the agent chose differently from the recommendation; then `reason` is required. */
  readonly overridden: boolean;
  readonly reason?: string;
}

export interface Decision {
  readonly by: Actor;
  readonly decision: 'approve' | 'deny';
  readonly at: string;
  readonly comment?: string;
}

export interface ApprovalRequest {
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly required: number;
  readonly decisions: readonly Decision[];
  /** When the approvers were reminded (once per request). */
  readonly remindedAt?: string;
  /** When the request also went to the escalation groups (once per request; ESCALATE_AFTER_MINUTES). */
  readonly escalatedAt?: string;
}

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed';

export interface StepRun {
  readonly status: StepStatus;
  /** Graph request ids of the calls the step made, for Microsoft support and the record. */
  readonly requestIds: readonly string[];
  readonly detail?: string;
  readonly at?: string;
}

/**
 * How the caller's identity was established before any secret was revealed. `verifiedId`: the bot's own presentation
 * request passed every rule. `fallback`: a manual method with its evidence, accepted by one more approver (the
 * malicious playbook when Verified ID was not available or failed; flagged in the summary). `manual`: a manual method
 * recorded by the agent, accepted without approval only in the accidental playbook. `accountRecovery`: the user
 * recovered through Entra ID Account Recovery (government ID and Face Check), seen in the audit log and confirmed by
 * the new methods.
 */
export interface IdentityVerification {
  readonly by: Actor;
  readonly method: string;
  readonly note: string;
  readonly at: string;
  readonly kind?: 'manual' | 'verifiedId' | 'fallback' | 'accountRecovery';
  /** The approver who accepted a fallback. */
  readonly approvedBy?: Actor;
}

export type VerificationAttemptStatus = 'requested' | 'retrieved' | 'verified' | 'failed' | 'expired';

/**
 * One Verified ID presentation request (shared/spec/verified-id.md §7.2). Only hashes of the callback's secrets are kept:
 * the `state` the Request Service echoes and the `api-key` header it sends back. Never the link, the photo, the
 * subject DID or any claim value beyond what the evidence keeps.
 */
export interface VerificationAttempt {
  readonly attempt: number;
  readonly requestId: string;
  readonly stateHash: string;
  readonly apiKeyHash: string;
  readonly by: Actor;
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly threshold: number;
  /** The compromise start the decision used (triage's earliest suspicious change); absent when unknown. */
  readonly compromiseStartedAt?: string;
  readonly status: VerificationAttemptStatus;
  /** Every callback accepted for this attempt, by status and time. */
  readonly callbacks: readonly { readonly status: string; readonly at: string }[];
  readonly decision?: VerificationDecision;
  readonly evidence?: VerificationEvidence;
  /** Why it failed, for people: the failed rules, the service's error code, or the expiry. */
  readonly failure?: string;
}

/** A manual verification offered in place of Verified ID in the malicious playbook: it needs one more approval. */
export interface FallbackRequest {
  readonly by: Actor;
  readonly method: string;
  readonly note: string;
  readonly at: string;
}

/**
 * The hand-off to Entra ID Account Recovery (shared/spec/verified-id.md §6, §7.4): the user recovers on their own; the
 * bot records what it checked, then what the audit log shows (provisional event names) until it completes or fails.
 */
export interface AccountRecoveryHandOff {
  readonly by: Actor;
  readonly handedOffAt: string;
  readonly profile?: string;
  readonly checks: readonly { readonly name: string; readonly outcome: 'pass' | 'fail' | 'unknown'; readonly detail: string }[];
  readonly status: AccountRecoveryStatus;
  readonly seen: readonly { readonly activity: string; readonly at: string; readonly result: string }[];
  readonly failure?: string;
}

export interface VerificationRecord {
  readonly attempts: readonly VerificationAttempt[];
  /** The latest hand-off to Account Recovery; a failed one may be followed by another path. */
  readonly accountRecovery?: AccountRecoveryHandOff;
  /** The pending fallback, cleared when an approver accepts or refuses it. */
  readonly fallback?: FallbackRequest;
  /** Refused fallbacks, for the record. */
  readonly refusedFallbacks?: readonly (FallbackRequest & { readonly refusedBy: Actor; readonly reason: string; readonly refusedAt: string })[];
}

export interface ValidationCheck {
  readonly name: string;
  readonly outcome: 'pass' | 'fail' | 'pending' | 'info';
  readonly detail: string;
}

/**
 * A recovery case: the thread's record from `recover` to the summary. Changed only through the workflow's events,
 * each of which is also a journal line. It never holds a secret.
 */
export interface RecoveryCase {
  readonly id: string;
  readonly version: number;
  readonly state: CaseState;
  /** The version at which the case entered its current state: a card rendered before it is stale. */
  readonly stateVersion?: number;
  /** Refused clicks recorded in the journal, counted so a flood cannot grow the record without bound. */
  readonly refusals?: number;
  readonly openedAt: string;
  readonly requester: Actor;
  readonly thread: ThreadRef;
  readonly target: { readonly id: string; readonly userPrincipalName: string; readonly displayName: string };
  readonly intake: TargetSnapshot;
  /** The helpdesk-attack risks found when the case opened (helpdesk-risk.ts); absent on cases stored before them. */
  readonly risks?: readonly FlaggedRisk[];
  /** How the real user was told out of band, per channel, once each (notify-user.ts): journal lines, kept here to dedupe. */
  readonly notices?: Readonly<Partial<Record<NoticeChannel, { readonly outcome: 'sent' | 'not sent'; readonly detail: string; readonly at: string }>>>;
  /** The requester's override of the risks that need one, with the reason: required before approval is requested. */
  readonly riskOverride?: { readonly by: Actor; readonly at: string; readonly reason: string };
  readonly triage?: Triage;
  readonly scenario?: ScenarioDecision;
  readonly plan?: readonly PlanStep[];
  readonly approval?: ApprovalRequest;
  readonly steps?: Readonly<Record<string, StepRun>>;
  readonly identityVerification?: IdentityVerification;
  /** Verified ID attempts and the fallback, while the identity step runs and afterwards for the record. */
  readonly verification?: VerificationRecord;
  /** A hard-deleted user comes back with a new object id; later steps act on it. */
  readonly recreatedUserId?: string;
  readonly executionStartedAt?: string;
  /** When the last step was done: the test sign-in must come after it (not the TAP sign-in used to re-register). */
  readonly executionCompletedAt?: string;
  readonly validation?: readonly ValidationCheck[];
  /** The lessons learned, written when the case was closed (absent when there were none: see `noLessons`). */
  readonly lessons?: string;
  /** Closed with no lessons learned: the requester said why ("none: <reason>" on the summary card). */
  readonly noLessons?: { readonly reason: string };
  /** Closed without a recovery (the triage card's "No recovery needed"): who asked, when, why, and whether approvers had to agree. */
  readonly noRecovery?: NoRecoveryClose;
  readonly closedAt?: string;
  readonly journal: readonly JournalEntry[];
}

export interface JournalEntry {
  readonly at: string;
  readonly by: string;
  readonly event: string;
  readonly detail?: string;
  /**
   * Hash of this entry chained to the one before (sealed by the case store on save): an edited, removed or reordered
   * entry breaks the chain, which `verify <case id>` reports.
   */
  readonly hash?: string;
}

/**
 * A close without recovery. `changesSeen`: triage found changes in the audit window, so the close went to the same
 * approvers a recovery of this user would need; otherwise the requester's reason alone closes the case.
 */
export interface NoRecoveryClose {
  readonly by: Actor;
  readonly at: string;
  readonly reason: string;
  readonly changesSeen: boolean;
}

/** Where the out-of-band notice of a recovery goes: the target's manager (1:1 chat) and its alternate email. */
export type NoticeChannel = 'manager' | 'email';

/** Case ids are short enough to type (`status RC-7K2M9Q`) and carry no meaning. */
export function isCaseId(value: string): boolean {
  return /^RC-[0-9A-HJKMNP-TV-Z]{8}$/.test(value);
}

/** The object id steps act on: the recreated user's once a hard-deleted user has been recreated. */
export function effectiveUserId(c: RecoveryCase): string {
  return c.recreatedUserId ?? c.target.id;
}
