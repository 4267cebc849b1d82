import type { CaseDeps, Scheduler } from '../ports/case-services';
import { scheduleApprovalTimers } from './approvals';

export interface ResumeReport {
  readonly triage: readonly string[];
  readonly approvals: readonly string[];
  readonly runs: readonly string[];
}

/**
 * At start-up, picks up what a stop interrupted (when the storage can list its cases): triage that never ran,
 * approval reminders and deadlines (a deadline already past expires the request at once), and runs that were
 * executing. Steps are idempotent and a step recorded as running is performed again, so resuming repeats nothing
 * harmful; a secret step goes back to waiting for the agent to reveal it.
 */
export async function resumeOpenCases(deps: CaseDeps, scheduler: Scheduler, background: (caseId: string, work: 'triage' | 'run') => void): Promise<ResumeReport> {
  const report = { triage: [] as string[], approvals: [] as string[], runs: [] as string[] };
  for (const id of await deps.cases.ids()) {
    const c = (await deps.cases.get(id))?.value;
    if (!c) continue;
    if (c.state === 'opened') {
      report.triage.push(c.id);
      background(c.id, 'triage');
    } else if (c.state === 'awaitingApproval') {
      report.approvals.push(c.id);
      scheduleApprovalTimers(deps, scheduler, c);
    } else if (c.state === 'executing' || (c.state === 'validating' && !c.validation)) {
      report.runs.push(c.id);
      background(c.id, 'run');
    }
  }
  deps.logger.info('resumed open cases', { triage: report.triage.length, approvals: report.approvals.length, runs: report.runs.length });
  return report;
}
