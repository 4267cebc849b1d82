import type { Activity } from 'botbuilder';
import type { Actor, RecoveryCase, ThreadRef } from '../domain/case';
import type { Result } from '../domain/errors';
import type { Logger } from '../ports/logger';
import type { ChainCheck } from '../ports/case-store';
import type { CaseActions } from '../ports/case-actions';
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
  readonly showCase: (request: {
    rawCaseId: string;
    requester: Actor | undefined;
    thread: ThreadRef;
    command?: 'status' | 'export' | 'verify';
  }) => Promise<Result<RecoveryCase>>;
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
  /** Approvers' 1:1 chats with the bot (approver-chats.ts); absent where they are not wired. */
  readonly chats?: {
    /** Learns a person's 1:1 chat from an activity in the personal scope (install, message). */
    readonly remember: (activity: Activity) => Promise<void>;
    /** The chat the bot sent this person the case's request card to, if it did. */
    readonly requestChat: (caseId: string, aadObjectId: string) => Promise<ThreadRef | undefined>;
  };
  /** Bulk incidents (`incident ...`); absent where they are not wired. */
  readonly incidents?: IncidentCommands;
  readonly logger: Logger;
  /** The only tenant the bot serves. */
  readonly tenantId: string;
}

/** The bulk-incident use cases, bound in the composition root. */
export interface IncidentCommands {
  open(request: { text: string; requester: Actor | undefined; thread: ThreadRef }): Promise<Result<IncidentCase>>;
  decide(request: { id: string; by: Actor; decision: 'approve' | 'deny'; reason?: string }): Promise<Result<IncidentCase>>;
  start(request: { id: string; by: Actor }): Promise<Result<IncidentCase>>;
  retry(request: { id: string; by: Actor }): Promise<Result<IncidentCase>>;
  read(request: { rawId: string; requester: Actor | undefined }): Promise<Result<IncidentCase>>;
  /** The stored incident, unchecked: the card handler checks the conversation and version itself. */
  get(id: string): Promise<IncidentCase | undefined>;
  /** Journals a refused card click on the incident (who, which verb, the code). */
  recordRefusal(request: { id: string; by: Actor | undefined; action: string; code: string }): Promise<void>;
  /** The message that answered `incident <actor> …` shows the incident: later changes edit it in place. */
  cardShown(c: IncidentCase, activityId: string): Promise<void>;
  /** Runs the restore after the message has been answered (it takes as long as Graph throttling needs). */
  runInBackground(id: string): void;
}

export type { CaseActions };
