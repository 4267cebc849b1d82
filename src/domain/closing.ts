import type { Actor, RecoveryCase } from './case';
import { ErrorCode, fail, ok, type Result } from './errors';

/**
 * How a case ends on the record: closed with its lessons learned (or an explicit "none" with the reason), or closed
 * without a recovery when triage shows there is nothing to recover. The guidance's last step asks to document the
 * outcome and the lessons learned; a close with nothing written would leave the record silent on both.
 */

/** What the requester wrote in "Lessons learned": the lessons, or `none:` followed by why there are none. */
export type Lessons = { readonly kind: 'learned'; readonly text: string } | { readonly kind: 'none'; readonly reason: string };

/** The written form of "no lessons learned", shown on the summary card: `none: the reason there are none`. */
export const NO_LESSONS_PREFIX = 'none:';

const NONE = /^none\b\s*([:\u2013\u2014-]\s*)?/i;

/** Reads the lessons field: empty, or "none" without a reason, is refused with LESSONS.REQUIRED. */
export function parseLessons(raw: string): Result<Lessons> {
  const text = raw.trim();
  const none = NONE.exec(text);
  // "none" counts as the keyword only when it stands alone or is followed by a separator ("none: …", "none - …").
  if (none && (text.length === none[0].length || none[1] !== undefined)) {
    const reason = text.slice(none[0].length).trim();
    if (!reason)
      return fail(
        ErrorCode.LessonsRequired,
        `No lessons learned needs the reason, for the record: write "${NO_LESSONS_PREFIX} " and why there are none. The case was not closed.`,
      );
    return ok({ kind: 'none', reason });
  }
  if (!text)
    return fail(
      ErrorCode.LessonsRequired,
      `Write the lessons learned before closing (what caused this, what would prevent it), or "${NO_LESSONS_PREFIX} " and why there are none. The case was not closed.`,
    );
  return ok({ kind: 'learned', text });
}

/** The record's words for the lessons of a closed case (summary card and export). */
export function lessonsText(c: Pick<RecoveryCase, 'lessons' | 'noLessons'>): string | undefined {
  if (c.noLessons) return `No lessons learned. Reason: ${c.noLessons.reason}`;
  return c.lessons || undefined;
}

export type ClosingEvent =
  | { readonly type: 'noRecoveryProposed'; readonly at: string; readonly by: Actor; readonly reason: string }
  | { readonly type: 'closedNoRecovery'; readonly at: string; readonly by: Actor; readonly reason: string; readonly approved: boolean };

/**
 * "No recovery needed" from the triage card. The requester's, with a reason, before approval is requested. When triage
 * found no change in the audit window the reason alone closes the case; when it found any change, closing without a
 * recovery is a security decision like a recovery, so it goes to the same approvers (an empty plan: "close only").
 */
export function decideNoRecovery(c: RecoveryCase, command: { readonly by: Actor; readonly reason: string }, now: Date): Result<ClosingEvent[]> {
  const at = now.toISOString();
  if (c.noRecovery)
    return fail(
      ErrorCode.AlreadyDecided,
      `${c.noRecovery.by.name} already asked to close case ${c.id} without recovery at ${c.noRecovery.at}. Nothing was changed.`,
    );
  if (c.state !== 'triaged' && c.state !== 'planProposed')
    return fail(ErrorCode.CaseWrongState, `Case ${c.id} can be closed without recovery only after triage and before approval is requested.`);
  if (command.by.aadObjectId !== c.requester.aadObjectId)
    return fail(ErrorCode.CaseNotRequester, `Only ${c.requester.name}, who opened case ${c.id}, can close it without recovery.`);
  const reason = command.reason.trim();
  if (!reason) return fail(ErrorCode.ReasonRequired, 'Closing without a recovery needs a reason, for the record. Nothing was changed.');
  if (c.triage?.nothingChanged) return ok([{ type: 'closedNoRecovery', at, by: command.by, reason, approved: false }]);
  return ok([{ type: 'noRecoveryProposed', at, by: command.by, reason }]);
}

/** Applies a closing event (the version and the journal line are the caller's). */
export function evolveClosing(c: RecoveryCase, e: ClosingEvent): RecoveryCase {
  switch (e.type) {
    case 'noRecoveryProposed': {
      // The plan becomes "close only": no step, so nothing in the directory can change on this approval.
      const rest: RecoveryCase = { ...c };
      delete (rest as { scenario?: unknown }).scenario;
      return { ...rest, state: 'planProposed', plan: [], steps: {}, noRecovery: { by: e.by, at: e.at, reason: e.reason, changesSeen: true } };
    }
    case 'closedNoRecovery':
      return {
        ...c,
        state: 'documented',
        closedAt: e.at,
        noRecovery: c.noRecovery ?? { by: e.by, at: e.at, reason: e.reason, changesSeen: false },
      };
  }
}
