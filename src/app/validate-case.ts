import { effectiveUserId, type Actor, type RecoveryCase, type ValidationCheck } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import type { CaseDeps } from '../ports/case-services';
import { DirectoryError } from '../ports/directory';
import { checkRecoveredMethods } from './execute-case';
import { record } from './mutate-case';
import { isFailure, withDirectory } from './directory-failure';
import { formatTime } from '../domain/time-text';

/** The guidance's prevention and readiness recommendations, reviewed at the end of every recovery. */
export const PREVENTION_CHECKLIST: readonly string[] = [
  'MFA is required for all users (Conditional Access, authentication strengths or Identity Protection).',
  'Users have at least two strong methods registered, so losing one does not lock them out.',
  'Phishing-resistant methods (FIDO2, passkeys, Windows Hello for Business) are favoured.',
  'Authentication method management is limited to Authentication Administrators through RBAC and PIM.',
  'Security info registration is protected by Conditional Access (compliant device or trusted network).',
  'Permanent user deletion is limited with protected actions.',
];

/**
 * Post-recovery validation: a real sign-in after the recovery, MFA and SSPR registration, the Conditional Access
 * policies that apply, the methods' usability, and the prevention checklist. Can be run again ("Re-check").
 */
export async function validateCase(deps: CaseDeps, caseId: string): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${caseId}.`);
  const c = stored.value;
  if (c.state !== 'validating') return fail(ErrorCode.CaseWrongState, `Case ${c.id} is not in validation.`);
  const userId = effectiveUserId(c);
  const checks = await withDirectory(deps.logger, 'validate', async (): Promise<ValidationCheck[]> => {
    // "After completing recovery": a sign-in made during it (with the TAP, to register the new methods) proves nothing
    // about the methods the user has now.
    const since = new Date(c.executionCompletedAt ?? c.executionStartedAt ?? c.openedAt);
    const result: ValidationCheck[] = [];
    try {
      const signIns = (await deps.directory.listSignIns(userId, since)).filter((s) => s.success && Date.parse(s.at) >= since.getTime());
      const latest = signIns[0];
      result.push(
        latest
          ? {
              name: 'Test sign-in',
              outcome: 'pass',
              detail: `Successful sign-in at ${formatTime(latest.at, deps.settings.triage.timeZone)}${latest.appDisplayName ? ` to ${latest.appDisplayName}` : ''}${latest.conditionalAccessStatus ? `; Conditional Access: ${latest.conditionalAccessStatus}` : ''}.`,
            }
          : {
              name: 'Test sign-in',
              outcome: 'pending',
              detail:
                'No successful sign-in by the user since the recovery was completed. Ask the user to sign in with the new or restored methods, then Re-check.',
            },
      );
    } catch (e) {
      if (!(e instanceof DirectoryError) || e.failure !== 'denied') throw e;
      result.push({
        name: 'Test sign-in',
        outcome: 'pending',
        detail: 'Sign-in logs are not readable (Entra ID P1/P2 and AuditLog.Read.All are needed). Confirm the sign-in with the user.',
      });
    }
    const registration = await deps.directory.registrationDetails(userId);
    result.push(
      registration
        ? {
            name: 'MFA registration',
            outcome: registration.isMfaRegistered ? 'pass' : 'fail',
            detail: `MFA ${registration.isMfaRegistered ? 'registered' : 'not registered'}; methods: ${registration.methodsRegistered.join(', ') || 'none'}.`,
          }
        : { name: 'MFA registration', outcome: 'pending', detail: 'The user is not in the registration report yet (it can lag by hours).' },
    );
    result.push(
      registration
        ? {
            name: 'SSPR',
            outcome: registration.isSsprRegistered && registration.isSsprEnabled ? 'pass' : 'fail',
            detail: `SSPR ${registration.isSsprEnabled ? 'enabled' : 'not enabled'}, ${registration.isSsprRegistered ? 'registered' : 'not registered'}.`,
          }
        : { name: 'SSPR', outcome: 'pending', detail: 'Not in the registration report yet.' },
    );
    const policies = await deps.directory.conditionalAccessPoliciesFor(userId);
    result.push({
      name: 'Conditional Access',
      outcome: policies.length > 0 ? 'pass' : 'fail',
      detail: policies.length > 0 ? `Policies that apply: ${policies.join('; ')}.` : 'No enabled Conditional Access policy applies to this user.',
    });
    if (c.scenario?.value === 'accidental') {
      const methods = await checkRecoveredMethods(deps, c);
      result.push({ name: 'Recovered methods usable', outcome: methods.complete ? 'pass' : 'fail', detail: methods.detail });
    }
    for (const item of PREVENTION_CHECKLIST) result.push({ name: 'Prevention', outcome: 'info', detail: item });
    return result;
  });
  if (isFailure(checks)) return checks;
  return record(deps, caseId, { type: 'recordValidation', checks });
}

/** The requester closes the case with the lessons learned; the summary card is the record. */
export async function closeCase(deps: CaseDeps, request: { caseId: string; by: Actor; lessons: string }): Promise<Result<RecoveryCase>> {
  const closed = await record(deps, request.caseId, { type: 'document', by: request.by, lessons: request.lessons });
  return closed.ok ? ok(closed.value) : closed;
}

/** Re-runs validation; only the requester, who talks to the user, asks for it. */
export async function recheckCase(deps: CaseDeps, request: { caseId: string; by: Actor }): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  if (stored.value.requester.aadObjectId !== request.by.aadObjectId)
    return fail(ErrorCode.CaseNotRequester, `Only ${stored.value.requester.name} can re-check case ${request.caseId}.`);
  return validateCase(deps, request.caseId);
}

/** Cancels a case that has not started running; the reason is recorded. */
export async function cancelCase(deps: CaseDeps, request: { caseId: string; by: Actor; reason: string }): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  if (stored.value.requester.aadObjectId !== request.by.aadObjectId)
    return fail(ErrorCode.CaseNotRequester, `Only ${stored.value.requester.name} can cancel case ${request.caseId}.`);
  return record(deps, request.caseId, { type: 'cancel', by: request.by, reason: request.reason });
}
