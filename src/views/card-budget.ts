/**
 * Keeps cards inside Teams' limits whatever the directory returns: the activity must stay under 28 KB, and audit
 * logs, reasons and directory names have no useful upper bound. Cards show the start; the export shows everything.
 */

/** Timeline rows a card shows at most. */
export const TIMELINE_CARD_ROWS = 25;
/** UTF-8 bytes of row text a card may hold; with very long names, fewer than 25 rows fit. */
export const TIMELINE_TEXT_BUDGET = 6000;
/** Reasons a card shows: a takeover produces one per suspicious record. */
export const REASONS_CARD_ROWS = 6;
const REASON_CARD_CHARS = 300;
/** Entra display names can be 256 characters. */
export const NAME_CARD_CHARS = 100;
/** What people type (comments, reasons, lessons) and what Graph answers (step details). */
export const FREE_TEXT_CARD_CHARS = 500;

const utf8 = new TextEncoder();
const bytes = (text: string): number => utf8.encode(text).length;

export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The most recent rows that fit both the row cap and the text budget, oldest first; and how many were left out. */
export function fitNewest<T>(rows: readonly T[], textOf: (row: T) => string): { shown: T[]; hidden: number } {
  const shown: T[] = [];
  let used = 0;
  for (let i = rows.length - 1; i >= 0 && shown.length < TIMELINE_CARD_ROWS; i--) {
    const row = rows[i];
    if (row === undefined) break;
    used += bytes(textOf(row));
    if (used > TIMELINE_TEXT_BUDGET && shown.length > 0) break;
    shown.unshift(row);
  }
  return { shown, hidden: rows.length - shown.length };
}

export function cardReasons(reasons: readonly string[]): { reasons: { text: string }[]; hasMoreReasons: boolean; moreReasons: string } {
  const hidden = reasons.length - REASONS_CARD_ROWS;
  return {
    reasons: reasons.slice(0, REASONS_CARD_ROWS).map((text) => ({ text: shorten(text, REASON_CARD_CHARS) })),
    hasMoreReasons: hidden > 0,
    moreReasons: `and ${hidden} more reason(s) in the export`,
  };
}
