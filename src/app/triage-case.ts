import type { RecoveryCase } from '../domain/case';
import { ErrorCode, fail, type Result } from '../domain/errors';
import { triage } from '../domain/triage';
import type { CaseDeps } from '../ports/case-services';
import { DirectoryError } from '../ports/directory';
import { isFailure, withDirectory } from './directory-failure';
import { record } from './mutate-case';

/**
 * Step 1 of both scenarios: read the target's audit records and sign-ins over the window, decide which actors are
 * trusted (automation apps from configuration; users who are helpdesk or approver members, checked through Graph),
 * and record the timeline and the recommendation on the case.
 */
export async function triageCase(deps: CaseDeps, caseId: string): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${caseId}.`);
  const c = stored.value;
  const s = deps.settings;
  const since = new Date(deps.clock.now().getTime() - s.auditWindowDays * 86_400_000);
  const gathered = await withDirectory(deps.logger, 'triage', async () => {
    const events = await deps.directory.listAudit(c.target.id, since);
    const signIns = await deps.directory.listSignIns(c.target.id, since).catch((e: unknown) => {
      // Sign-in logs need Entra ID P1/P2; triage still works from the audit log alone, and says so.
      if (e instanceof DirectoryError && e.failure === 'denied') {
        deps.logger.warn('sign-in logs unavailable for triage', { caseId, detail: e.message });
        return [];
      }
      throw e;
    });
    const actorIds = [...new Set(events.flatMap((e) => (e.actor.kind === 'user' && e.actor.id !== c.target.id ? [e.actor.id] : [])))];
    const trusted: string[] = [];
    for (const id of actorIds) {
      if ((await deps.directory.memberOf(id, [...s.helpdeskGroupIds, ...s.approverGroupIds])).length > 0) trusted.push(id);
    }
    return { events, signIns, trusted };
  });
  if (isFailure(gathered)) return gathered;
  const result = triage(gathered.events, gathered.signIns, {
    targetId: c.target.id,
    automationAppIds: new Set(s.triage.automationAppIds),
    trustedUserIds: new Set(gathered.trusted),
    workingHours: { timeZone: s.triage.timeZone, startHour: s.triage.startHour, endHour: s.triage.endHour, days: s.triage.days },
    reAddWindowMinutes: s.triage.reAddWindowMinutes,
  });
  return record(deps, caseId, { type: 'recordTriage', triage: result });
}
