import type { Actor, RecoveryCase, ThreadRef } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { targetDisplayName, targetId, targetUpn, type AccountState, type DirectoryRole, type TargetSnapshot } from '../domain/target';
import { describeTargetRef, parseTargetRef } from '../domain/target-ref';
import { consequenceText, type FlaggedRisk, type RiskSettings } from '../domain/helpdesk-risk';
import { describeState } from '../domain/workflow';
import type { CaseStore } from '../ports/case-store';
import type { Clock, IdGenerator } from '../ports/clock';
import { DirectoryError, type Directory } from '../ports/directory';
import type { Logger } from '../ports/logger';
import type { NoticeDirectory } from '../ports/out-of-band';
import { gatherRisks } from './gather-risks';
import { directoryErrorFields } from './directory-failure';
import { formatTime } from '../domain/time-text';

export interface OpenCaseDeps {
  readonly directory: Directory;
  readonly cases: CaseStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** The tenant this bot serves; a request from anywhere else is refused. */
  readonly tenantId: string;
  readonly helpdeskGroupIds: readonly string[];
  /** Whose members are privileged targets besides role holders: the bot's own approvers, and configured groups. */
  readonly privilegeGroups: {
    readonly approverGroupIds: readonly string[];
    readonly privilegedApproverGroupIds: readonly string[];
    readonly privilegedTargetGroupIds: readonly string[];
  };
  readonly auditWindowDays: number;
  /** The helpdesk-attack rules' settings (cooldown, burst, the triage working hours). */
  readonly risk: RiskSettings;
  /** Reads the target's manager (told of the recovery out of band); absent: not read. */
  readonly notices?: Pick<NoticeDirectory, 'managerOf'>;
}

export interface OpenCaseRequest {
  /** The text after `recover`, exactly as typed. */
  readonly rawTarget: string;
  /** From the activity; undefined when the channel did not say who the sender is. */
  readonly requester: Actor | undefined;
  readonly thread: ThreadRef;
}

/** The bot's own groups and the configured ones, with how the card names each: a member of any makes a privileged target. */
function privilegeGroupTable(deps: OpenCaseDeps): readonly { readonly what: string; readonly ids: readonly string[] }[] {
  return [
    { what: 'the helpdesk group', ids: deps.helpdeskGroupIds },
    {
      what: 'an approver group (its account decides recoveries)',
      ids: [...deps.privilegeGroups.approverGroupIds, ...deps.privilegeGroups.privilegedApproverGroupIds],
    },
    { what: 'a privileged-target group (PRIVILEGED_TARGET_GROUP_IDS)', ids: deps.privilegeGroups.privilegedTargetGroupIds },
  ];
}

/** The note for a privilege read that failed: the target counts as privileged (the log line says what to fix). */
function unreadable(what: string, e: DirectoryError): string {
  return `${what} could not be read (${e.code}), so it counts as privileged`;
}

/** Graph keeps a deleted user's memberships for its restore, but reads them only under /users, where it no longer is. */
const DELETED_MEMBERSHIPS_NOTE = 'a deleted account\u2019s group memberships can\u2019t be read until it is restored, so it counts as privileged';

/**
 * What makes the target privileged besides the roles it holds: its roles, active or eligible (PIM), roles of groups it
 * is eligible to join or own (PIM for Groups), and membership, active or eligible, of the bot's own helpdesk and
 * approver groups (taking over an approver's account is how one approval becomes two) or a configured
 * privileged-target group. A read that fails makes the target privileged, and the card says why. So does a
 * soft-deleted target: a restore brings it back with its groups and roles (restoring "users with privileged
 * administrator roles" needs a higher role: https://learn.microsoft.com/graph/api/directory-deleteditems-restore), and
 * Graph documents no read of its memberships while it is deleted (GET /directory/deletedItems/{id} returns the
 * directoryObject only: https://learn.microsoft.com/graph/api/directory-deleteditems-get; checkMemberGroups and
 * transitiveMemberOf are under /users, where it no longer is). One ordinary approval must not restore an approver.
 */
async function readPrivilege(deps: OpenCaseDeps, account: AccountState): Promise<{ roles: readonly DirectoryRole[]; notes: string[] }> {
  const userId = targetId(account);
  const notes: string[] = [];
  let roles: readonly DirectoryRole[] = [];
  try {
    roles = await deps.directory.listRoles(userId);
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    deps.logger.warn('could not read the target\u2019s roles; counted as privileged', directoryErrorFields(e));
    notes.push(unreadable('its directory roles', e));
  }
  const table = privilegeGroupTable(deps);
  try {
    const eligible = await deps.directory.eligibleGroups(userId);
    // A role the target already holds or is eligible for is listed once, as it holds it.
    const byId = new Map(roles.map((r) => [r.roleDefinitionId, r] as const));
    for (const r of eligible.flatMap((g) => g.roles)) if (!byId.has(r.roleDefinitionId)) byId.set(r.roleDefinitionId, r);
    roles = [...byId.values()];
    for (const { what, ids } of table) {
      for (const g of eligible.filter((x) => ids.includes(x.id)))
        notes.push(`eligible to become ${g.access === 'owner' ? 'an owner' : 'a member'} of ${what} through PIM for Groups (${g.displayName})`);
    }
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    deps.logger.warn('could not read the target\u2019s eligible group memberships; counted as privileged', directoryErrorFields(e));
    notes.push(unreadable('its eligible group memberships (PIM for Groups)', e));
  }
  if (account.kind === 'softDeleted') {
    notes.push(DELETED_MEMBERSHIPS_NOTE);
    return { roles, notes };
  }
  const all = [...new Set(table.flatMap(({ ids }) => ids))];
  try {
    const member = new Set(all.length > 0 ? await deps.directory.memberOf(userId, all) : []);
    for (const { what, ids } of table) if (ids.some((id) => member.has(id))) notes.push(`a member of ${what}`);
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    deps.logger.warn('could not read the target\u2019s group memberships; counted as privileged', directoryErrorFields(e));
    notes.push(unreadable('its membership of the helpdesk and approver groups', e));
  }
  return { roles, notes };
}

/**
 * `recover <user>`: checks who asks, finds the target (active, soft-deleted, or hard-deleted per the audit log),
 * takes the intake snapshot and stores a new case. A refusal stores nothing.
 */
export async function openCase(deps: OpenCaseDeps, request: OpenCaseRequest): Promise<Result<RecoveryCase>> {
  const parsed = parseTargetRef(request.rawTarget);
  if (!parsed.ok) return parsed;
  const ref = parsed.value;

  if (request.thread.tenantId !== deps.tenantId) {
    deps.logger.warn('refused request from a foreign tenant', { tenantId: request.thread.tenantId });
    return fail(ErrorCode.TenantForeign, 'This bot serves one Entra tenant only, and this conversation belongs to another.');
  }
  const requester = request.requester;
  if (!requester) {
    return fail(ErrorCode.RequesterUnknown, 'I could not tell who you are (no Entra identity came with the message), so I cannot open a case.');
  }

  try {
    const helpdesk = await deps.directory.memberOf(requester.aadObjectId, deps.helpdeskGroupIds);
    if (helpdesk.length === 0) {
      deps.logger.warn('refused recover from a non-helpdesk user', { requester: requester.aadObjectId });
      return fail(
        ErrorCode.RequesterNotAllowed,
        'Only members of the helpdesk groups can open a recovery case. Ask your helpdesk lead to add you if you need to.',
      );
    }
    const since = new Date(deps.clock.now().getTime() - deps.auditWindowDays * 86_400_000);
    const account = await deps.directory.findAccount(ref, since);
    if (!account) {
      return fail(
        ErrorCode.TargetNotFound,
        `No user "${describeTargetRef(ref)}" exists in this tenant, among deleted users, or in the audit log of the last ${deps.auditWindowDays} days. Check the spelling, or use the object id.`,
      );
    }
    if (targetId(account) === requester.aadObjectId) {
      return fail(ErrorCode.RequesterIsTarget, 'You cannot open a recovery case for your own account. Ask another helpdesk agent.');
    }
    // One open case per user: two agents working the same account at once would undo each other. This early look
    // spares the snapshot reads; the store checks again, atomically, when it creates the case.
    const open = await deps.cases.openCaseFor(targetId(account));
    if (open) return alreadyOpen(open.id, open, deps.risk.workingHours.timeZone);
    const privilege = account.kind === 'hardDeleted' ? { roles: [], notes: [] } : await readPrivilege(deps, account);
    const manager = await readManager(deps, account);
    const snapshot: TargetSnapshot = {
      account,
      ...(manager !== undefined ? { manager } : {}),
      ...(account.kind === 'active' ? { methods: await deps.directory.listMethods(account.user.id) } : {}),
      roles: privilege.roles,
      ...(privilege.notes.length > 0 ? { privilegeNotes: privilege.notes } : {}),
      takenAt: deps.clock.now().toISOString(),
    };
    const caseId = deps.ids.caseId();
    const risks = await gatherRisks(deps.cases, deps.risk, {
      caseId,
      targetId: targetId(account),
      requester,
      at: deps.clock.now(),
      snapshot,
      ...(typeof manager === 'object' ? { managerId: manager.id } : {}),
    });
    const openedAt = deps.clock.now().toISOString();
    const recoveryCase: RecoveryCase = {
      id: caseId,
      version: 1,
      state: 'opened',
      openedAt,
      requester,
      thread: request.thread,
      target: { id: targetId(account), userPrincipalName: targetUpn(account), displayName: targetDisplayName(account) },
      intake: snapshot,
      ...(risks.length > 0 ? { risks } : {}),
      journal: [
        { at: openedAt, by: requester.name, event: 'Case opened', detail: `Recovery requested for ${targetUpn(account)} (${account.kind}).` },
        ...(risks.length > 0 ? [{ at: openedAt, by: 'bot', event: 'Helpdesk-attack risks flagged', detail: risksDetail(risks) }] : []),
      ],
    };
    const outcome = await deps.cases.create(recoveryCase);
    if (outcome.kind === 'targetHasOpenCase') {
      deps.logger.info('recover raced another request for the same user; nothing created', { caseId: outcome.caseId, target: recoveryCase.target.id });
      return alreadyOpen(outcome.caseId, outcome.value, deps.risk.workingHours.timeZone);
    }
    deps.logger.info('case opened', { caseId: recoveryCase.id, target: recoveryCase.target.id, state: account.kind });
    return ok(outcome.stored.value);
  } catch (e) {
    if (e instanceof DirectoryError) {
      deps.logger.warn('directory call failed while opening a case', { failure: e.failure, ...directoryErrorFields(e) });
      return fail(e.code, `${e.message}${e.requestId ? ` Graph request id: ${e.requestId}.` : ''} Nothing was changed.`);
    }
    throw e;
  }
}

/**
 * The target's manager, for the out-of-band notice and the rule that flags a requester who is the manager. Only an
 * active account has one to read; a failed read is logged and noted, never a reason to refuse the case.
 */
async function readManager(deps: OpenCaseDeps, account: AccountState): Promise<TargetSnapshot['manager']> {
  if (!deps.notices) return undefined;
  if (account.kind !== 'active') return 'unread';
  try {
    return (await deps.notices.managerOf(account.user.id)) ?? 'none';
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    deps.logger.warn('could not read the target\u2019s manager; the out-of-band notice will say so', directoryErrorFields(e));
    return 'unread';
  }
}

/** The journal's line for the risks: each code, its consequence and its sentence. */
function risksDetail(risks: readonly FlaggedRisk[]): string {
  return risks.map((r) => `${r.code} (${consequenceText(r.consequence)}): ${r.text}`).join(' ');
}

/** The refusal that names the target's open case (or the one another request is storing right now). */
function alreadyOpen(caseId: string, open: RecoveryCase | undefined, timeZone: string): Result<RecoveryCase> {
  if (!open) {
    return fail(ErrorCode.CaseAlreadyOpen, `Case ${caseId} for this user is being opened right now by another request. Continue there: \`status ${caseId}\`.`);
  }
  return fail(
    ErrorCode.CaseAlreadyOpen,
    `Case ${open.id} for ${open.target.userPrincipalName} is already open (${describeState(open.state)}), opened by ${open.requester.name} at ${formatTime(open.openedAt, timeZone)}. Continue there: \`status ${open.id}\`.`,
  );
}
