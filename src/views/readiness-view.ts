import { assertNever } from '../domain/errors';
import { GUIDANCE_URL, type CheckStatus, type ReadinessReport } from '../domain/readiness';
import type { ReadinessChange } from '../domain/readiness-changes';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { formatUtc } from './format';

export interface ReadinessView {
  readAt: string;
  /** Scheduled posts only: what moved since the previous report. */
  since?: { heading: string; changes: { text: string }[] };
  counts: { title: string; value: string }[];
  checks: { label: string; color: string; title: string; summary: string; fixLine: string }[];
  guidanceUrl: string;
}

export function statusLabel(status: CheckStatus): string {
  switch (status) {
    case 'pass':
      return '✅ Pass';
    case 'warn':
      return '⚠️ Warn';
    case 'fail':
      return '❌ Fail';
    case 'unreadable':
      return '🔒 Cannot read';
    case 'manual':
      return '📝 Check by hand';
    default:
      return assertNever(status);
  }
}

const COLORS: Record<CheckStatus, string> = { pass: 'Good', warn: 'Warning', fail: 'Attention', unreadable: 'Default', manual: 'Accent' };

/** Markdown link text: brackets would end the link early. */
const linkText = (text: string): string => text.replace(/[[\]]/g, '');

/**
 * The card: counts only, whatever the tenant's size (the lists are in `readiness export`). Every check links to how
 * to fix it; a warning or failure also links to the guidance's recommendation.
 */
export function readinessView(report: ReadinessReport, since?: { readonly readAt: string; readonly changes: readonly ReadinessChange[] }): ReadinessView {
  const count = (status: CheckStatus): number => report.checks.filter((c) => c.status === status).length;
  return {
    readAt: formatUtc(report.readAt),
    ...(since ? { since: sinceView(since.readAt, since.changes) } : {}),
    counts: (['pass', 'warn', 'fail', 'unreadable', 'manual'] as const).map((s) => ({ title: statusLabel(s), value: String(count(s)) })),
    checks: report.checks.map((c) => {
      const guidance = c.status === 'warn' || c.status === 'fail' ? ` · [Guidance: ${linkText(shorten(c.recommendation, 120))}](${GUIDANCE_URL})` : '';
      return {
        label: statusLabel(c.status),
        color: COLORS[c.status],
        title: c.title,
        summary: shorten(c.summary, FREE_TEXT_CARD_CHARS),
        fixLine: `Fix: [${linkText(c.fix.text)}](${c.fix.url})${guidance}`,
      };
    }),
    guidanceUrl: GUIDANCE_URL,
  };
}

/** One line per check that moved; a report has ten checks, so the list is bounded. */
function sinceView(readAt: string, changes: readonly ReadinessChange[]): NonNullable<ReadinessView['since']> {
  const when = formatUtc(readAt);
  if (changes.length === 0) return { heading: `No change since the last report (${when}).`, changes: [] };
  return {
    heading: `Since the last report (${when}): ${changes.length} change${changes.length === 1 ? '' : 's'}.`,
    changes: changes.map((c) => ({
      text:
        c.from === undefined
          ? `${c.title}: new check, ${statusLabel(c.to)}.`
          : `${c.title}: ${c.from === c.to ? `still ${statusLabel(c.to)}` : `${statusLabel(c.from)} → ${statusLabel(c.to)}`}. Was: ${shorten(c.was ?? '', 200)}`,
    })),
  };
}
