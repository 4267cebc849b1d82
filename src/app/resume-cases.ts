import { TERMINAL_STATES, type RecoveryCase } from '../domain/case';
import { pendingWork } from '../domain/workflow';
import type { CaseDeps, Scheduler } from '../ports/case-services';
import { scheduleApprovalTimers } from './approvals';
import { CALLBACK_GRACE_MS } from '../domain/identity-verification';
import { openHandOff } from '../domain/account-recovery-handoff';
import { watchHandOff } from './account-recovery-step';
import { expireVerification } from './verify-identity';

export interface ResumeReport {
  readonly triage: readonly string[];
  readonly approvals: readonly string[];
  readonly runs: readonly string[];
}

/** What one process remembers between sweeps. */
export interface SweepMemory {
  /** Cases whose approval timers this process holds already. */
  readonly timersHeld: Set<string>;
  /** Closed cases: they never reopen, so later sweeps skip them without reading. */
  readonly closed: Set<string>;
}

export const newSweepMemory = (): SweepMemory => ({ timersHeld: new Set(), closed: new Set() });

/** When the case last changed: its last journal line (every step start and end writes one). */
function lastChange(c: RecoveryCase): number {
  const last = c.journal[c.journal.length - 1];
  return last ? Date.parse(last.at) : Date.parse(c.openedAt);
}

/**
 * Picks up work that no process is doing: triage that never ran, approved cases whose run never started, approval
 * timers (a deadline already past expires the request at once; reminders and expiry notices are recorded before they
 * are posted, so several instances holding the same timers post once), and runs that stopped. `staleAfterMs` is 0 at start-up (what this process was doing died
 * with the previous one). The periodic sweep of a running instance passes a longer time, so that it takes over the
 * work of an instance that died, not the work of a live one. Taking over a live run would still be safe (steps are
 * idempotent and every write is conditional), only wasteful.
 */
export async function resumeOpenCases(
  deps: CaseDeps,
  scheduler: Scheduler,
  background: (caseId: string, work: 'triage' | 'run') => void,
  staleAfterMs = 0,
  memory: SweepMemory = newSweepMemory(),
): Promise<ResumeReport> {
  const report = { triage: [] as string[], approvals: [] as string[], runs: [] as string[] };
  const now = deps.clock.now().getTime();
  for (const id of await deps.cases.ids()) {
    if (memory.closed.has(id)) continue;
    const c = (await deps.cases.get(id))?.value;
    if (!c) continue;
    if (TERMINAL_STATES.has(c.state)) {
      memory.closed.add(id);
      continue;
    }
    const idle = now - lastChange(c) >= staleAfterMs;
    if (c.state === 'opened' && idle) {
      report.triage.push(c.id);
      background(c.id, 'triage');
    } else if (c.state === 'awaitingApproval') {
      if (!memory.timersHeld.has(c.id)) {
        memory.timersHeld.add(c.id);
        report.approvals.push(c.id);
        scheduleApprovalTimers(deps, scheduler, c);
      }
      // The approvers' chats catch up on what an instance that died left undone (its rounds are taken over).
      deps.observer.approversNudged?.(c);
    } else if (pendingWork(c) && idle) {
      report.runs.push(c.id);
      background(c.id, 'run');
    }
    // A hand-off to Account Recovery is watched by every sweep too: its timers die with their process.
    if (openHandOff(c)) {
      const watched = await watchHandOff(deps, c.id);
      if (!watched.ok) deps.logger.warn('could not read the Account Recovery outcome', { caseId: c.id, code: watched.code });
    }
    // A Verified ID request whose expiry timer died with its process is closed by the sweep instead.
    for (const a of c.verification?.attempts ?? [])
      if ((a.status === 'requested' || a.status === 'retrieved') && now >= Date.parse(a.expiresAt) + CALLBACK_GRACE_MS)
        await expireVerification(deps, c.id, a.requestId);
  }
  if (report.triage.length + report.approvals.length + report.runs.length > 0 || staleAfterMs === 0) {
    deps.logger.info('resumed open cases', { triage: report.triage.length, approvals: report.approvals.length, runs: report.runs.length });
  }
  return report;
}
