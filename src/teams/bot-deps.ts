import type { Actor, RecoveryCase, ThreadRef } from '../domain/case';
import type { Result } from '../domain/errors';
import type { Logger } from '../ports/logger';
import type { ChainCheck } from '../ports/case-store';
import type { RevealedSecret } from '../app/agent-actions';
import type { CardRenderer } from '../views/card-renderer';
import type { CardSigner } from './card-signature';
import type { PostReadinessWhenRead } from './readiness-later';
import type { IncidentCase } from '../domain/incident';

/**
 * What the Teams shell needs, as use-case functions. The shell parses activities and renders replies; it never
 * reaches Graph or storage itself.
 */
export interface BotDeps {
  readonly openCase: (request: { rawTarget: string; requester: Actor | undefined; thread: ThreadRef }) => Promise<Result<RecoveryCase>>;
  readonly showCase: (request: { rawCaseId: string; requester: Actor | undefined; thread: ThreadRef; command?: 'status' | 'export' | 'verify' }) => Promise<Result<RecoveryCase>>;
  /** Recomputes a case's journal hash chain. */
  readonly checkJournal: (caseId: string) => Promise<ChainCheck | undefined>;
  /** The readiness report (the guidance's preparation and prevention): who may ask, and the read that follows the reply. */
  readonly readiness: {
    readonly authorize: (request: { requester: Actor | undefined; thread: ThreadRef }) => Promise<Result<true>>;
    readonly postWhenRead: PostReadinessWhenRead;
  };
  readonly cards: CardRenderer;
  /** Signs and checks the data on card buttons. */
  readonly signer: CardSigner;
  /** Case actions behind the cards; absent means the bot only opens cases (tests of the intake alone). */
  readonly actions?: CaseActions;
  /** Bulk incidents (`incident ...`); absent where they are not wired. */
  readonly incidents?: IncidentCommands;
  readonly logger: Logger;
  /** The only tenant the bot serves. */
  readonly tenantId: string;
}

type CaseRequest = { caseId: string; by: Actor };
type StepRequest = CaseRequest & { stepId: string };

/** The use cases behind the card buttons, bound to their dependencies in the composition root. */
export interface CaseActions {
  get(caseId: string): Promise<RecoveryCase | undefined>;
  confirmScenario(request: CaseRequest & { scenario: string; reason?: string }): Promise<Result<RecoveryCase>>;
  requestApproval(request: CaseRequest): Promise<Result<RecoveryCase>>;
  decide(request: CaseRequest & { decision: 'approve' | 'deny'; text?: string }): Promise<Result<RecoveryCase>>;
  start(request: CaseRequest): Promise<Result<RecoveryCase>>;
  confirmGuided(request: StepRequest): Promise<Result<RecoveryCase>>;
  recordIdentity(request: StepRequest & { method: string; note: string }): Promise<Result<RecoveryCase>>;
  reveal(request: StepRequest & { kind: 'password' | 'tap'; tapLifetimeInMinutes?: number; tapOneTime?: boolean }): Promise<Result<{ secret: RevealedSecret; case: RecoveryCase }>>;
  skip(request: StepRequest): Promise<Result<RecoveryCase>>;
  retry(request: StepRequest): Promise<Result<RecoveryCase>>;
  recheck(request: CaseRequest): Promise<Result<RecoveryCase>>;
  close(request: CaseRequest & { lessons: string }): Promise<Result<RecoveryCase>>;
  cancel(request: CaseRequest & { reason: string }): Promise<Result<RecoveryCase>>;
  recordRefusal(request: { caseId: string; by: Actor | undefined; action: string; code: string }): Promise<void>;
  /** Whether the approval card is for this person (its requester or an approver who may decide it): only they get it re-signed. */
  isApprovalAudience(c: RecoveryCase, by: Actor): Promise<boolean>;
  /** Work that must not hold up a click (Teams wants an invoke answered within about 5 s): triage, running steps. */
  background(caseId: string, work: 'triage' | 'run'): void;
  identityVerificationMethods: readonly string[];
  tap: { readonly lifetimeInMinutes: number; readonly isUsableOnce: boolean };
}

/** The bulk-incident use cases, bound in the composition root. */
export interface IncidentCommands {
  open(request: { text: string; requester: Actor | undefined; thread: ThreadRef }): Promise<Result<IncidentCase>>;
  decide(request: { id: string; by: Actor; decision: 'approve' | 'deny'; reason?: string }): Promise<Result<IncidentCase>>;
  start(request: { id: string; by: Actor }): Promise<Result<IncidentCase>>;
  retry(request: { id: string; by: Actor }): Promise<Result<IncidentCase>>;
  read(request: { rawId: string; requester: Actor | undefined }): Promise<Result<IncidentCase>>;
  /** Runs the restore after the message has been answered (it takes as long as Graph throttling needs). */
  runInBackground(id: string): void;
}
