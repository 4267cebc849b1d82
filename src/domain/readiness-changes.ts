import type { CheckId, CheckStatus, ReadinessReport } from './readiness';

/** What is kept of a report to compare the next one with: statuses and one-line summaries, no names. */
export interface ReadinessDigest {
  readonly readAt: string;
  readonly checks: readonly { readonly id: CheckId; readonly title: string; readonly status: CheckStatus; readonly summary: string }[];
}

/** A check whose status or counts moved since the previous report; `from` is absent for a check that is new. */
export interface ReadinessChange {
  readonly id: CheckId;
  readonly title: string;
  readonly from?: CheckStatus;
  readonly to: CheckStatus;
  readonly was?: string;
  readonly now: string;
}

export function digestOf(report: ReadinessReport): ReadinessDigest {
  return { readAt: report.readAt, checks: report.checks.map(({ id, title, status, summary }) => ({ id, title, status, summary })) };
}

/** The checks that differ from the previous report, in the report's order. */
export function changesSince(previous: ReadinessDigest, report: ReadinessReport): ReadinessChange[] {
  const before = new Map(previous.checks.map((c) => [c.id, c]));
  return report.checks.flatMap((c): ReadinessChange[] => {
    const old = before.get(c.id);
    if (!old) return [{ id: c.id, title: c.title, to: c.status, now: c.summary }];
    if (old.status === c.status && old.summary === c.summary) return [];
    return [{ id: c.id, title: c.title, from: old.status, to: c.status, was: old.summary, now: c.summary }];
  });
}
