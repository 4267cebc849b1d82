import type { Actor, RecoveryCase } from '../domain/case';
import { ErrorCode, fail, type Result } from '../domain/errors';
import { buildPlan, defaultMethodId, type RecreateProfile } from '../domain/plan';
import type { AuthMethod } from '../domain/target';
import type { Scenario } from '../domain/triage';
import type { CaseDeps } from '../ports/case-services';
import { isFailure, withDirectory } from './directory-failure';
import { record } from './mutate-case';

/** The last known profile of a hard-deleted user, from Add/Update user records: what a recreation is prefilled with. */
function lastKnownProfile(
  c: RecoveryCase,
  records: readonly { activity: string; modifiedProperties?: readonly { name: string; newValue?: string }[] }[],
): RecreateProfile {
  const values = new Map<string, string>();
  for (const r of records) {
    if (r.activity !== 'Add user' && r.activity !== 'Update user') continue;
    for (const p of r.modifiedProperties ?? []) if (p.newValue) values.set(p.name, p.newValue);
  }
  const upn = c.target.userPrincipalName;
  return {
    displayName: values.get('DisplayName') ?? values.get('displayName') ?? c.target.displayName,
    userPrincipalName: upn,
    mailNickname: values.get('MailNickname') ?? values.get('mailNickname') ?? upn.split('@')[0] ?? 'user',
    ...((values.get('JobTitle') ?? values.get('jobTitle')) ? { jobTitle: values.get('JobTitle') ?? values.get('jobTitle') } : {}),
    ...((values.get('Department') ?? values.get('department')) ? { department: values.get('Department') ?? values.get('department') } : {}),
  };
}

/**
 * The agent confirms the recommendation or overrides it with a reason; the plan for the chosen scenario is built
 * from the directory as it is now (current methods, the default method, the first change in the timeline).
 */
export async function confirmScenario(
  deps: CaseDeps,
  request: { caseId: string; by: Actor; scenario: string; reason?: string },
): Promise<Result<RecoveryCase>> {
  if (request.scenario !== 'accidental' && request.scenario !== 'malicious') return fail(ErrorCode.InputMalformed, 'Choose accidental or malicious.');
  const scenario: Scenario = request.scenario;
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  const c = stored.value;
  const account = c.intake.account;
  const facts = await withDirectory(deps.logger, 'build plan', async () => {
    const methods: readonly AuthMethod[] = account.kind === 'active' ? await deps.directory.listMethods(account.user.id) : [];
    const registration = account.kind === 'active' ? await deps.directory.registrationDetails(account.user.id) : undefined;
    const since = new Date(deps.clock.now().getTime() - deps.settings.auditWindowDays * 86_400_000);
    const audit = account.kind === 'hardDeleted' ? await deps.directory.listAudit(c.target.id, since) : [];
    return { methods, preferred: registration?.userPreferredMethodForSecondaryAuthentication, audit };
  });
  if (isFailure(facts)) return facts;
  const firstChangeAt = c.triage?.incidentStart;
  const plan = buildPlan({
    scenario,
    account,
    methods: facts.methods,
    ...(facts.preferred ? { defaultMethodId: defaultMethodId(facts.preferred, facts.methods) } : {}),
    ...(firstChangeAt ? { firstChangeAt } : {}),
    ...(account.kind === 'hardDeleted' ? { recreate: lastKnownProfile(c, facts.audit) } : {}),
  });
  return record(deps, request.caseId, {
    type: 'confirmScenario',
    by: request.by,
    scenario,
    ...(request.reason ? { reason: request.reason } : {}),
    plan,
  });
}
