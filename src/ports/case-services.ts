import type { RecoveryCase } from '../domain/case';
import type { CaseStore } from './case-store';
import type { Clock } from './clock';
import type { Directory } from './directory';
import type { Logger } from './logger';
import type { VerifiedIdDeps } from './verified-id';

/** Generates the temporary password. Lives outside the core because it needs a cryptographic random source. */
export interface SecretGenerator {
  password(): string;
}

/** Told after every saved change to a case, so the shell can update the thread's cards. */
export interface CaseObserver {
  caseChanged(c: RecoveryCase): Promise<void>;
  /** A plain message into the case's thread (reminders, expiry). */
  notify(c: RecoveryCase, text: string): Promise<void>;
  /**
   * The pending request was reminded or escalated (recorded without a case change the cards show): the approvers'
   * 1:1 chats hear of it. Absent where there are no chats (tests of the thread alone).
   */
  approversNudged?(c: RecoveryCase): void;
}

/**
 * Runs something later. In-process timers for now: a restart forgets pending reminders and expiries, though an
 * expired request is still refused on the next click (the workflow checks the deadline itself).
 */
export interface Scheduler {
  at(when: Date, work: () => Promise<void>): void;
}

/** What triage treats as known automation and as working hours. */
export interface TriageSettings {
  /** App ids whose changes count as known automation (provisioning, sync, this bot). */
  readonly automationAppIds: readonly string[];
  readonly timeZone: string;
  readonly startHour: number;
  readonly endHour: number;
  /** ISO weekdays, 1 = Monday. */
  readonly days: readonly number[];
  readonly reAddWindowMinutes: number;
}

export interface CaseSettings {
  readonly tenantId: string;
  readonly auditWindowDays: number;
  readonly helpdeskGroupIds: readonly string[];
  readonly approverGroupIds: readonly string[];
  readonly privilegedApproverGroupIds: readonly string[];
  readonly triage: TriageSettings;
  readonly approvalTtlMinutes: number;
  /** Minutes after the request when the thread is reminded of a pending approval. */
  readonly approvalReminderMinutes: number;
  /** Where a request still short of approvals goes after a while, and when; absent when ESCALATION_GROUP_IDS is not set. */
  readonly escalation?: { readonly groupIds: readonly string[]; readonly afterMinutes: number };
  readonly tap: { readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean };
  readonly identityVerificationMethods: readonly string[];
  /** How long one automatic step may take, Graph retries included, before it is recorded as failed (default 120 s). */
  readonly stepDeadlineMs?: number;
}

/** Everything the case use cases need, passed in from the composition root. */
export interface CaseDeps {
  readonly directory: Directory;
  readonly cases: CaseStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly secrets: SecretGenerator;
  readonly observer: CaseObserver;
  readonly settings: CaseSettings;
  /** Verified ID, when configured: the identity step can then run a presentation request with Face Check. */
  readonly verifiedId?: VerifiedIdDeps;
}
