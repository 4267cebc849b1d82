import type { Actor, RecoveryCase } from '../domain/case';
import type { Result } from '../domain/errors';
import type { CaseDeps } from '../ports/case-services';
import { record } from './mutate-case';

/**
 * "No recovery needed" with a reason (domain/closing.ts decides). Nothing changed in the audit window: the case closes
 * now. Something changed: the close goes to the same approvers a recovery of this user needs, requested in the same
 * click, so the requester does not have to find a second button for it.
 */
export async function closeWithoutRecovery(
  deps: CaseDeps,
  request: { caseId: string; by: Actor; reason: string },
  requestApproval: (request: { caseId: string; by: Actor }) => Promise<Result<RecoveryCase>>,
): Promise<Result<RecoveryCase>> {
  const asked = await record(deps, request.caseId, { type: 'closeNoRecovery', by: request.by, reason: request.reason });
  if (!asked.ok || asked.value.state !== 'planProposed') return asked;
  return requestApproval({ caseId: request.caseId, by: request.by });
}
