import type { TargetSnapshot } from './target';

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

/**
 * A recovery case. This scope is the opened case with its intake snapshot; the workflow states
 * (triage, plan, approval, execution, validation, record) extend it.
 */
export interface RecoveryCase {
  readonly id: string;
  readonly version: number;
  readonly state: 'opened';
  readonly openedAt: string;
  readonly requester: Actor;
  readonly thread: ThreadRef;
  readonly target: { readonly id: string; readonly userPrincipalName: string; readonly displayName: string };
  readonly intake: TargetSnapshot;
  readonly journal: readonly JournalEntry[];
}

export interface JournalEntry {
  readonly at: string;
  readonly by: string;
  readonly event: string;
  readonly detail?: string;
}

/** Case ids are short enough to type (`status RC-7K2M9Q`) and carry no meaning. */
export function isCaseId(value: string): boolean {
  return /^RC-[0-9A-HJKMNP-TV-Z]{8}$/.test(value);
}
