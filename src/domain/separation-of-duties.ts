import type { Actor } from './case';
import { ErrorCode, fail, type Failure } from './errors';

/**
 * Separation of duties for every decision the bot collects, recovery cases and bulk incidents alike: the one home of
 * the rule. Nobody decides what they asked for, nobody decides about their own account, and nobody decides twice.
 * Group membership (may this person decide at all) is checked by the use cases through the directory.
 */
export interface DecisionParties {
  /** What is decided, as the sentence names it: "case RC-…", "incident IN-…". */
  readonly what: string;
  readonly requester: Actor;
  /** Object ids of the people the decision is about (the target; an incident's affected users). */
  readonly subjects: readonly string[];
  /** How a person among the subjects is named: "the user being recovered". */
  readonly subjectIs: string;
  /** Object ids of those who already decided. */
  readonly decided: readonly string[];
}

/** The refusal for `by`, or undefined when they may decide (membership aside). */
export function separationOfDuties(by: Actor, parties: DecisionParties): Failure | undefined {
  if (by.aadObjectId === parties.requester.aadObjectId) {
    return fail(ErrorCode.ApprovalBySelf, `You opened ${parties.what}, so you cannot approve or deny it. Another approver must decide.`);
  }
  if (parties.subjects.includes(by.aadObjectId))
    return fail(ErrorCode.ApprovalByTarget, `You are ${parties.subjectIs}, so you cannot decide on ${parties.what}.`);
  if (parties.decided.includes(by.aadObjectId)) return fail(ErrorCode.AlreadyDecided, `You already decided on ${parties.what}.`);
  return undefined;
}
