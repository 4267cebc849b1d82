import type { FlaggedRisk } from './risk-types';
import type { PlanStep } from './plan';
import type { TargetSnapshot } from './target';
import type { Scenario, Triage } from './triage';

/** Where the case lives in Teams: replies and card updates go back to this thread. */
export interface ThreadRef {
  readonly tenantId: string;
  /** The conversation id, including `;messageid=` for a channel thread. */
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly channelId: string;
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
}

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed';

export interface StepRun {
  readonly status: StepStatus;
  /** Graph request ids of the calls the step made, for Microsoft support and the record. */
  readonly requestIds: readonly string[];
  readonly detail?: string;
  readonly at?: string;
}

export interface IdentityVerification {
  readonly by: Actor;
  readonly method: string;
  readonly note: string;
  readonly at: string;
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
  /** A hard-deleted user comes back with a new object id; later steps act on it. */
  readonly recreatedUserId?: string;
  readonly executionStartedAt?: string;
  /** When the last step was done: the test sign-in must come after it (not the TAP sign-in used to re-register). */
  readonly executionCompletedAt?: string;
  readonly validation?: readonly ValidationCheck[];
  readonly lessons?: string;
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
