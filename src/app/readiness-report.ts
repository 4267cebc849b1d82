import type { Actor, ThreadRef } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import type { ReadinessReport } from '../domain/readiness';
import { assessReadiness, type ReadinessSetup } from '../domain/readiness-checks';
import { DirectoryError, type Directory } from '../ports/directory';
import type { ReadinessReader } from '../ports/readiness-reader';

export interface ReadinessAccessDeps {
  readonly directory: Pick<Directory, 'memberOf'>;
  readonly tenantId: string;
  /** Helpdesk and approver groups: the report names admins and gaps an attacker would like to know. */
  readonly readerGroupIds: readonly string[];
}

/**
 * Who may ask for the readiness report: helpdesk agents and approvers, in the bot's tenant. The reads are app-only,
 * so this is checked before anything is read.
 */
export async function authorizeReadiness(deps: ReadinessAccessDeps, request: { requester: Actor | undefined; thread: ThreadRef }): Promise<Result<true>> {
  if (request.thread.tenantId !== deps.tenantId)
    return fail(ErrorCode.TenantForeign, 'This bot serves one Entra tenant only, and this conversation belongs to another.');
  if (!request.requester) return fail(ErrorCode.RequesterUnknown, 'I could not tell who you are, so I cannot show the readiness report.');
  try {
    const groups = await deps.directory.memberOf(request.requester.aadObjectId, deps.readerGroupIds);
    if (groups.length === 0) return fail(ErrorCode.RequesterNotAllowed, 'Only helpdesk agents and security approvers can read the readiness report.');
  } catch (e) {
    if (e instanceof DirectoryError) return fail(ErrorCode.DirectoryUnavailable, `${e.message} Try again shortly.`);
    throw e;
  }
  return ok(true);
}

/** The guidance's preparation and prevention checked against the tenant as it is now, and the bot's own set-up. */
export async function assessTenant(reader: ReadinessReader, setup: ReadinessSetup): Promise<ReadinessReport> {
  return assessReadiness(await reader.read(), setup);
}
