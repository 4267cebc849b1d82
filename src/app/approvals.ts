import type { ApproverContact } from '../domain/approver-contact';
import { formatTime } from '../domain/time-text';
import type { Actor, RecoveryCase } from '../domain/case';
import { approvalRule, privilegeReasons } from '../domain/target';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { decide, type Command } from '../domain/workflow';
import type { CaseDeps, Scheduler } from '../ports/case-services';
import { isFailure, withDirectory } from './directory-failure';
import { mutateCase, record, saveCase, type Mutation } from './mutate-case';

/** How many approvals this case needs, its helpdesk-attack risks included (domain/target.ts `approvalRule`). */
export function requiredApprovals(c: RecoveryCase): number {
  return approvalRule(c.intake, c.risks).required;
}

/** The group ids whose members may decide this case: the privileged approvers for a privileged target. */
export function approverGroupIds(c: RecoveryCase, settings: CaseDeps['settings']): readonly string[] {
  return approvalRule(c.intake, c.risks).approvers === 'privilegedApprovers' ? settings.privilegedApproverGroupIds : settings.approverGroupIds;
}

/** Teams refreshes a card automatically for at most 60 users. */
const MAX_PENDING_APPROVERS = 60;

/**
 * Who can still decide: members of the required approver groups (the privileged ones for a privileged target),
 * minus the requester, the target and anyone who decided already. Used to @mention them, to refresh the card for them
 * only, and to send them the request in their 1:1 chats.
 */
export async function pendingApprovers(
  deps: Pick<CaseDeps, 'directory' | 'settings'>,
  c: RecoveryCase,
): Promise<readonly { aadObjectId: string; name: string }[]> {
  return undecidedMembers(deps, c, approverGroupIds(c, deps.settings));
}

/**
 * Who the escalation reaches: the members of ESCALATION_GROUP_IDS, minus the requester, the target and anyone who
 * decided already. Whether each may decide the case is the approver rule's (pendingApprovers), not this list's.
 */
export async function escalationMembers(
  deps: Pick<CaseDeps, 'directory' | 'settings'>,
  c: RecoveryCase,
): Promise<readonly { aadObjectId: string; name: string }[]> {
  return undecidedMembers(deps, c, deps.settings.escalation?.groupIds ?? []);
}

/** Members of the groups who are not the requester or the target and have not decided, while the request waits. */
async function undecidedMembers(
  deps: Pick<CaseDeps, 'directory'>,
  c: RecoveryCase,
  groups: readonly string[],
): Promise<readonly { aadObjectId: string; name: string }[]> {
  if (c.state !== 'awaitingApproval' || groups.length === 0) return [];
  const decided = new Set((c.approval?.decisions ?? []).map((d) => d.by.aadObjectId));
  const members = await deps.directory.groupMembers(groups);
  return members
    .filter((m) => m.id !== c.requester.aadObjectId && m.id !== c.target.id && !decided.has(m.id))
    .slice(0, MAX_PENDING_APPROVERS)
    .map((m) => ({ aadObjectId: m.id, name: m.displayName }));
}

/** Writes who a request (or its escalation) reached into the journal: no state change, so no card is redrawn. */
export async function recordApproverContact(deps: Pick<CaseDeps, 'cases' | 'clock' | 'logger'>, caseId: string, contact: ApproverContact): Promise<void> {
  const recorded = await mutateCase(
    deps.cases,
    caseId,
    () => deps.clock.now(),
    () => ({ type: 'recordApproverContact', contact }),
  );
  if (!recorded.ok) deps.logger.warn('could not record who the approval request reached', { caseId, code: recorded.code });
}

/**
 * Who the approval card is for: its requester, and the members of the approver groups this case needs (who may decide
 * it, or did). Anyone else in the conversation gets no freshly signed copy of it. A directory failure counts as no.
 */
export async function isApprovalAudience(deps: Pick<CaseDeps, 'directory' | 'settings' | 'logger'>, c: RecoveryCase, by: Actor): Promise<boolean> {
  if (by.aadObjectId === c.requester.aadObjectId) return true;
  const groups = approverGroupIds(c, deps.settings);
  const member = await withDirectory(deps.logger, 'check approver', () => deps.directory.memberOf(by.aadObjectId, groups));
  return !isFailure(member) && member.length > 0;
}

/** The requester overrides the case's helpdesk-attack risks that need it, with a reason; the workflow says who and when. */
export async function overrideRisks(deps: CaseDeps, request: { caseId: string; by: Actor; reason: string }): Promise<Result<RecoveryCase>> {
  return record(deps, request.caseId, { type: 'overrideRisks', by: request.by, reason: request.reason });
}

/** The requester sends the proposed plan to the approvers. */
export async function requestApproval(deps: CaseDeps, request: { caseId: string; by: Actor }): Promise<Result<RecoveryCase>> {
  return record(deps, request.caseId, (c) => ({
    type: 'requestApproval',
    by: request.by,
    required: requiredApprovals(c),
    ttlMinutes: deps.settings.approvalTtlMinutes,
  }));
}

/**
 * Approve or deny. Membership is checked through Graph on every click (the cache in front of the directory keeps it
 * under a minute old); the rules that need only the case are the workflow's. The decision is saved with a
 * conditional write before the caller answers the click.
 */
export async function decideApproval(
  deps: CaseDeps,
  request: { caseId: string; by: Actor; decision: 'approve' | 'deny'; text?: string },
): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  // The rules that need only the case first (requester, target, expiry, one decision each): clearer answers,
  // and no Graph call for a click that is refused anyway. They are decided again on the fresh case when saving.
  const verdict = decide(stored.value, toCommand(request), deps.clock.now());
  if (!verdict.ok) {
    deps.logger.info('decision refused', { caseId: request.caseId, by: request.by.aadObjectId, code: verdict.code });
    return verdict;
  }
  const groups = approverGroupIds(stored.value, deps.settings);
  const member = await withDirectory(deps.logger, 'check approver', () => deps.directory.memberOf(request.by.aadObjectId, groups));
  if (isFailure(member)) return member;
  if (member.length === 0) {
    deps.logger.warn('approval refused: not an approver', { caseId: request.caseId, by: request.by.aadObjectId });
    return fail(
      ErrorCode.ApproverNotAllowed,
      approvalRule(stored.value.intake, stored.value.risks).approvers === 'privilegedApprovers'
        ? `This target is privileged (${privilegeReasons(stored.value.intake).join('; ')}), so only members of the privileged approver groups can decide.`
        : 'Only members of the security approver groups can decide on recovery cases.',
    );
  }
  const saved = await record(deps, request.caseId, toCommand(request));
  if (!saved.ok) deps.logger.info('decision refused', { caseId: request.caseId, by: request.by.aadObjectId, code: saved.code });
  return saved;
}

function toCommand(request: { by: Actor; decision: 'approve' | 'deny'; text?: string }): Command {
  return request.decision === 'approve'
    ? { type: 'approve', by: request.by, ...(request.text?.trim() ? { comment: request.text.trim() } : {}) }
    : { type: 'deny', by: request.by, reason: request.text ?? '' };
}

/**
 * After a request: a reminder in the thread (and the approvers' chats) at the reminder time, the escalation when
 * configured, and expiry at the deadline, each only if the case is still waiting for approval by then.
 */
export function scheduleApprovalTimers(deps: CaseDeps, scheduler: Scheduler, c: RecoveryCase): void {
  if (c.state !== 'awaitingApproval' || !c.approval) return;
  const requested = Date.parse(c.approval.requestedAt);
  const reminderAt = new Date(requested + deps.settings.approvalReminderMinutes * 60_000);
  const deadline = new Date(c.approval.expiresAt);
  if (reminderAt < deadline) {
    scheduler.at(reminderAt, async () => {
      // Recorded before it is posted: of several instances holding this timer, the one whose write wins posts it.
      const reminded = await mutateCase(
        deps.cases,
        c.id,
        () => deps.clock.now(),
        () => ({ type: 'remind' }),
      );
      if (!reminded.ok || reminded.value.events.length === 0) return;
      const now = reminded.value.case;
      const got = now.approval?.decisions.filter((d) => d.decision === 'approve').length ?? 0;
      await deps.observer.notify(
        now,
        `Reminder: case ${now.id} for ${now.target.userPrincipalName} still needs ${(now.approval?.required ?? 0) - got} approval(s) from the security approvers. The request expires at ${formatTime(now.approval?.expiresAt, deps.settings.triage.timeZone)}.`,
      );
      deps.observer.approversNudged?.(now);
    });
  }
  const escalation = deps.settings.escalation;
  const escalateAt = escalation ? new Date(requested + escalation.afterMinutes * 60_000) : undefined;
  if (escalation && escalateAt && escalateAt < deadline) {
    scheduler.at(escalateAt, async () => {
      // Recorded once, like the reminder; the chats' escalation round then says in the thread who it reached.
      const escalated = await mutateCase(
        deps.cases,
        c.id,
        () => deps.clock.now(),
        () => ({ type: 'escalate', groupIds: escalation.groupIds }),
      );
      if (escalated.ok && escalated.value.events.length > 0) deps.observer.approversNudged?.(escalated.value.case);
    });
  }
  scheduler.at(deadline, async () => {
    const expired = await expire(deps, c.id);
    // Only the call that expired it says so; another instance's timer finds it expired already and stays quiet.
    if (expired.ok && expired.value.events.length > 0) {
      const now = expired.value.case;
      await deps.observer.notify(now, `Case ${now.id} expired without the required approvals; nothing was changed. ${now.requester.name} can open a new case.`);
    }
  });
}

async function expire(deps: CaseDeps, caseId: string): Promise<Result<Mutation>> {
  return saveCase(deps, caseId, { type: 'expire' });
}

/** Expires a request whose deadline passed; called by the reminder/expiry sweep and before showing a case. */
export async function expireIfDue(deps: CaseDeps, caseId: string): Promise<Result<RecoveryCase>> {
  const mutated = await expire(deps, caseId);
  return mutated.ok ? ok(mutated.value.case) : mutated;
}
