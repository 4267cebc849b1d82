import type { Actor, RecoveryCase } from '../domain/case';
import type { Result } from '../domain/errors';

/** A secret for the requesting agent only: returned to the caller, never stored, logged or posted. */
export interface RevealedSecret {
  readonly kind: 'password' | 'tap';
  readonly value: string;
  readonly expiresAt?: string;
  readonly isUsableOnce?: boolean;
  readonly caseId: string;
  readonly userPrincipalName: string;
}

/** The Verified ID link for the requesting agent only, to hand to the user out of band: never stored, posted or logged. */
export interface VerificationLink {
  readonly caseId: string;
  readonly requestId: string;
  readonly userPrincipalName: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly attempt: number;
}

type CaseRequest = { caseId: string; by: Actor };
type StepRequest = CaseRequest & { stepId: string };

/**
 * The use cases behind the card buttons, as the Teams shell calls them: declared once, here, and implemented by
 * `bindCaseActions` (src/app/case-actions.ts), which the composition root binds to its dependencies.
 */
export interface CaseActions {
  get(caseId: string): Promise<RecoveryCase | undefined>;
  confirmScenario(request: CaseRequest & { scenario: string; reason?: string }): Promise<Result<RecoveryCase>>;
  requestApproval(request: CaseRequest): Promise<Result<RecoveryCase>>;
  decide(request: CaseRequest & { decision: 'approve' | 'deny'; text?: string }): Promise<Result<RecoveryCase>>;
  start(request: CaseRequest): Promise<Result<RecoveryCase>>;
  confirmGuided(request: StepRequest): Promise<Result<RecoveryCase>>;
  recordIdentity(request: StepRequest & { method: string; note: string }): Promise<Result<RecoveryCase>>;
  reveal(
    request: StepRequest & { kind: 'password' | 'tap'; tapLifetimeInMinutes?: number; tapOneTime?: boolean },
  ): Promise<Result<{ secret: RevealedSecret; case: RecoveryCase }>>;
  /** The bot's own identity check: a Verified ID presentation request; the link comes back for the clicker only. */
  verifyWithVerifiedId(request: StepRequest): Promise<Result<{ case: RecoveryCase; link: VerificationLink }>>;
  requestFallback(request: StepRequest & { method: string; note: string }): Promise<Result<RecoveryCase>>;
  /** Hands the user to Entra ID Account Recovery (prerequisites read first); the bot then watches the audit log. */
  handOffToAccountRecovery(request: StepRequest): Promise<Result<RecoveryCase>>;
  /** Looks at the user's recovery now (requester). */
  checkAccountRecovery(request: StepRequest): Promise<Result<RecoveryCase>>;
  decideFallback(request: CaseRequest & { decision: 'approve' | 'deny'; reason?: string }): Promise<Result<RecoveryCase>>;
  skip(request: StepRequest): Promise<Result<RecoveryCase>>;
  retry(request: StepRequest): Promise<Result<RecoveryCase>>;
  recheck(request: CaseRequest): Promise<Result<RecoveryCase>>;
  /** Closes with the lessons learned, or "none: " and why there are none (domain/closing.ts). */
  close(request: CaseRequest & { lessons: string }): Promise<Result<RecoveryCase>>;
  /** "No recovery needed" with a reason: closes the case, or sends the close to the approvers when triage saw changes. */
  closeNoRecovery(request: CaseRequest & { reason: string }): Promise<Result<RecoveryCase>>;
  cancel(request: CaseRequest & { reason: string }): Promise<Result<RecoveryCase>>;
  /** The requester's override of the helpdesk-attack risks that need one, with a reason (before approval is requested). */
  overrideRisks(request: CaseRequest & { reason: string }): Promise<Result<RecoveryCase>>;
  recordRefusal(request: { caseId: string; by: Actor | undefined; action: string; code: string }): Promise<void>;
  /** Whether the approval card is for this person (its requester or an approver who may decide it): only they get it re-signed. */
  isApprovalAudience(c: RecoveryCase, by: Actor): Promise<boolean>;
  /** After a click changed a case: whatever the bot must do next (start, run, validate) runs in the background. */
  followUp(c: RecoveryCase): void;
  /** Work that must not hold up a click (Teams wants an invoke answered within about 5 s): triage, running steps. */
  background(caseId: string, work: 'triage' | 'run'): void;
  identityVerificationMethods: readonly string[];
  tap: { readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean };
  /** Present when Verified ID is configured. */
  verifiedId?: { readonly maxAttempts: number };
  /** The helpdesk's time zone (HELPDESK_TIME_ZONE): times on cards and in messages are shown in it. */
  timeZone: string;
  /** The bot's clock, for cards that show whether a request is still open. */
  now(): Date;
}
