import { z } from 'zod';
import { writeAudit, type AuditInput } from './audit-writer';
import { gatewayErrors } from './errors';
import { transitiveGroupIds } from './membership';
import { registerMethod } from './self-service-registration';
import { SimulatedSignInSchema, simulateSignIn } from './simulate-sign-in';
import { issueTap } from './tap-model';
import type { StoredMethod, TenantState, UserRecord, VerifiedIdProfileRecord } from './tenant-state';

/**
 * A person playing the user runs Entra ID Account Recovery (shared/spec/verified-id.md §6.1): "Recover your account" at
 * sign-in, the identity-verification provider, Face Check, a Temporary Access Pass, a passkey at mysignins. Nothing here
 * is reachable through Graph: no admin or app can start a recovery (§6.3); the bot only sees what it leaves behind.
 *
 * PROVISIONAL: the audit activity names are those of one unlinked docs revision (ED AUTH/concept-account-recovery-audit-log-events.md,
 * 2025-10-15); their `category` and `loggedByService` were not found, so 'UserManagement' and 'Account Recovery' are guesses.
 */
export const RECOVERY_OUTCOMES = ['completes', 'failsFaceCheck', 'notMatched', 'abandoned'] as const;
export type RecoveryOutcome = (typeof RECOVERY_OUTCOMES)[number];

export const AccountRecoveryRunSchema = z.object({ outcome: z.enum(RECOVERY_OUTCOMES), ipAddress: z.string().min(1).default('198.51.100.23') }).strict();
export type AccountRecoveryRun = z.output<typeof AccountRecoveryRunSchema>;

/** Provisional names, in the order a recovery writes them (§6.3). */
const EVENT = {
  started: 'User started account recovery',
  issuanceStarted: 'User started identity issuance with certified partner',
  issuanceCompleted: 'User completed identity issuance with certified partner',
  presentationCompleted: 'User completed identity presentation',
  faceCheckFailed: 'User failed face check comparison',
  matched: 'User account matched and validated',
  notMatched: 'User account not matched or validated',
  registered: 'User registered security information',
  completed: 'User completed account recovery',
} as const;

type Step = { readonly activity: string; readonly result?: 'failure' };

/** The provider-side steps each outcome writes before the pass (or instead of it). */
const BEFORE_PASS: Readonly<Record<RecoveryOutcome, readonly Step[]>> = {
  completes: [
    { activity: EVENT.started },
    { activity: EVENT.issuanceStarted },
    { activity: EVENT.issuanceCompleted },
    { activity: EVENT.presentationCompleted },
    { activity: EVENT.matched },
  ],
  failsFaceCheck: [
    { activity: EVENT.started },
    { activity: EVENT.issuanceStarted },
    { activity: EVENT.issuanceCompleted },
    { activity: EVENT.faceCheckFailed, result: 'failure' },
  ],
  notMatched: [
    { activity: EVENT.started },
    { activity: EVENT.issuanceStarted },
    { activity: EVENT.issuanceCompleted },
    { activity: EVENT.presentationCompleted },
    { activity: EVENT.notMatched, result: 'failure' },
  ],
  abandoned: [{ activity: EVENT.started }, { activity: EVENT.issuanceStarted }],
};

/** Whether a profile is one Account Recovery runs with: enabled, for recovery in Production, with Face Check (§6.2, §7.4). */
const recovers = (p: VerifiedIdProfileRecord): boolean =>
  p.state === 'enabled' &&
  p.faceCheckConfiguration.isEnabled &&
  p.verifiedIdUsageConfigurations.some((u) => u.purpose === 'recovery' && !u.isEnabledForTestOnly);

function profileFor(tenant: TenantState, user: UserRecord): VerifiedIdProfileRecord | undefined {
  const groups = transitiveGroupIds(tenant, user.id);
  const excluded = tenant.verifiedIdProfiles.some((p) => p.excludeGroups.some((g) => groups.has(g)));
  if (excluded) return undefined;
  return tenant.verifiedIdProfiles
    .filter((p) => recovers(p) && p.includeGroups.some((g) => g === 'all_users' || groups.has(g)))
    .sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER))[0];
}

export interface RecoveryRunResult {
  readonly outcome: RecoveryOutcome;
  /** What actually happened: a requested completion with a blank name ends not matched, as Entra's exact matching would. */
  readonly ran: RecoveryOutcome;
  readonly profileId: string;
  readonly activities: readonly string[];
  /** The passkey registered at the end of a completed recovery. */
  readonly method?: StoredMethod;
}

/**
 * Runs one recovery for `user`, every record at the simulator clock: the provisional events one millisecond apart from
 * `now` on, so that their order survives sorting by time and none predates the request (a watch from a hand-off just
 * before must see them all). Refuses (400) when the option would not appear at
 * sign-in: no enabled Production profile with Face Check covers the user, or the account has no prior sign-in (§6.1).
 */
export function runAccountRecovery(tenant: TenantState, user: UserRecord, run: AccountRecoveryRun, now: Date): RecoveryRunResult {
  const profile = profileFor(tenant, user);
  if (!profile)
    throw gatewayErrors.badRequest(
      `${user.displayName} cannot start Account Recovery: no enabled Production recovery profile with Face Check includes them (or they are in an excluded group), so "Recover your account" does not appear.`,
    );
  if (!tenant.signIns.some((s) => s.userId === user.id))
    throw gatewayErrors.badRequest(
      `${user.displayName} cannot start Account Recovery: it is offered only to accounts with prior sign-ins, and this one has none.`,
    );
  const policy = tenant.authenticationMethodsPolicy;
  if (run.outcome === 'completes' && (policy.temporaryAccessPass.state !== 'enabled' || policy.methodStates.TemporaryAccessPass === 'disabled'))
    throw gatewayErrors.badRequest(
      `${user.displayName} cannot complete Account Recovery: the Temporary Access Pass method is disabled, and recovery ends by issuing one.`,
    );
  const blankName = (user.givenName ?? '').trim() === '' || (user.surname ?? '').trim() === '';
  const ran: RecoveryOutcome = run.outcome === 'completes' && blankName ? 'notMatched' : run.outcome;
  const steps: Step[] = [...BEFORE_PASS[ran], ...(ran === 'completes' ? [{ activity: EVENT.registered }, { activity: EVENT.completed }] : [])];
  const start = now.getTime();
  const initiatedBy = { user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, ipAddress: run.ipAddress } };
  const target = { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  const record = (step: Step, at: Date): void => {
    const input: AuditInput = {
      activityDisplayName: step.activity,
      loggedByService: 'Account Recovery',
      operationType: 'Update',
      initiatedBy,
      target,
      additionalDetails: [{ key: 'VerifiedIdProfileId', value: profile.id }],
      ...(step.result ? { result: step.result } : {}),
    };
    writeAudit({ tenant, now: at, clientRequestId: '' }, input);
  };
  const passAt = BEFORE_PASS[ran].length;
  let method: StoredMethod | undefined;
  steps.forEach((step, i) => {
    const at = new Date(start + i);
    if (ran === 'completes' && i === passAt) {
      // The pass Account Recovery shows; which audit record Entra writes for it was not found, so none is invented.
      const { pass } = issueTap(tenant, user, {}, at);
      simulateSignIn(tenant, user, SimulatedSignInSchema.parse({ method: 'temporaryAccessPass', temporaryAccessPass: pass, ipAddress: run.ipAddress }), at);
      method = registerMethod(tenant, user, { type: 'fido2', displayName: 'Passkey (account recovery)', ipAddress: run.ipAddress }, at);
    }
    record(step, at);
  });
  return { outcome: run.outcome, ran, profileId: profile.id, activities: steps.map((s) => s.activity), ...(method ? { method } : {}) };
}
