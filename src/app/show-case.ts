import { isCaseId, type Actor, type RecoveryCase, type ThreadRef } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import type { CaseStore } from '../ports/case-store';
import { DirectoryError, type Directory } from '../ports/directory';

export interface ShowCaseDeps {
  readonly cases: CaseStore;
  readonly directory: Directory;
  readonly tenantId: string;
  /** Helpdesk and approver groups: the people who work cases may read them. */
  readonly readerGroupIds: readonly string[];
}

/** The conversation without the thread suffix: a case can be shown anywhere in the channel or chat it was opened in. */
function conversationRoot(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

/**
 * `status <case id>`: returns a stored case to a helpdesk agent or approver, in the conversation where it was opened.
 * Any other case id is answered as "not found", so ids from elsewhere reveal nothing.
 */
export async function showCase(
  deps: ShowCaseDeps,
  request: { rawCaseId: string; requester: Actor | undefined; thread: ThreadRef; command?: 'status' | 'export' | 'verify' },
): Promise<Result<RecoveryCase>> {
  const caseId = request.rawCaseId.trim().toUpperCase();
  const command = request.command ?? 'status';
  if (!isCaseId(caseId)) return fail(ErrorCode.InputMalformed, `Usage: **${command}** _case id_, for example **${command} RC-7K2M9QXA**.`);
  if (request.thread.tenantId !== deps.tenantId)
    return fail(ErrorCode.TenantForeign, 'This bot serves one Entra tenant only, and this conversation belongs to another.');
  if (!request.requester) return fail(ErrorCode.RequesterUnknown, 'I could not tell who you are, so I cannot show a case.');
  const notFound = fail(ErrorCode.CaseNotFound, `There is no case ${caseId} in this conversation.`);
  const stored = await deps.cases.get(caseId);
  if (!stored || conversationRoot(stored.value.thread.conversationId) !== conversationRoot(request.thread.conversationId)) return notFound;
  try {
    const groups = await deps.directory.memberOf(request.requester.aadObjectId, deps.readerGroupIds);
    if (groups.length === 0) return fail(ErrorCode.RequesterNotAllowed, 'Only helpdesk agents and security approvers can read recovery cases.');
  } catch (e) {
    if (e instanceof DirectoryError) return fail(ErrorCode.DirectoryUnavailable, `${e.message} Try again shortly.`);
    throw e;
  }
  return ok(stored.value);
}
