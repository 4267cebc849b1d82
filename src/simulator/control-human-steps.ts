import type { z } from 'zod';
import { AccountRecoveryRunSchema, runAccountRecovery, type RecoveryOutcome } from './account-recovery-run';
import { RestoreBodySchema, restoreFromBackup } from './backup-restore';
import { directoryErrors, gatewayErrors, methodErrors, type GraphHttpError } from './errors';
import type { SimResponse } from './http-types';
import { isJsonObject, type JsonObject } from './json';
import { methodLabel } from './method-catalog';
import { methodView } from './method-views';
import { RegisterMethodSchema, registerMethod } from './self-service-registration';
import { SimulatedSignInSchema, simulateSignIn } from './simulate-sign-in';
import { findUser, type TenantState, type UserRecord } from './tenant-state';

/** A control endpoint's answer as JSON, and the same outcome in words for the admin page after a form post. */
export interface ControlResult {
  readonly response: SimResponse;
  readonly notice: string;
}

function parse<S extends z.ZodTypeAny>(schema: S, body: unknown, fail: (message: string) => GraphHttpError, what: string): z.output<S> {
  const parsed = schema.safeParse(isJsonObject(body) ? body : {});
  if (!parsed.success) throw fail(`Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return parsed.data as z.output<S>;
}

function activeUser(tenant: TenantState, key: string): UserRecord {
  const user = findUser(tenant, key);
  if (!user) throw directoryErrors.notFound(key);
  return user;
}

/** POST /_simulator/users/{id}/sign-in: the user signs in. */
export function signIn(tenant: TenantState, key: string, body: unknown, now: Date): ControlResult {
  const user = activeUser(tenant, key);
  const input = parse(SimulatedSignInSchema, body, gatewayErrors.badRequest, 'sign-in');
  const record = simulateSignIn(tenant, user, input, now);
  const outcome = record.status.errorCode === 0 ? 'succeeded' : `failed (${record.status.errorCode}: ${record.status.failureReason ?? ''})`;
  return {
    response: { status: 201, body: JSON.parse(JSON.stringify({ ...record, ...record.beta, beta: undefined })) as JsonObject },
    notice: `${user.displayName} signed in with ${input.method}: ${outcome}.`,
  };
}

/** POST /_simulator/users/{id}/register-method: the user adds a method at the security-info page. */
export function registerSecurityInfo(tenant: TenantState, key: string, body: unknown, now: Date): ControlResult {
  const user = activeUser(tenant, key);
  const input = parse(RegisterMethodSchema, body, methodErrors.badRequest, 'registration');
  const method = registerMethod(tenant, user, input, now);
  return {
    response: { status: 201, body: methodView(method, now, tenant.authenticationMethodsPolicy) },
    notice: `${user.displayName} registered a ${methodLabel(method)} method (${method.id}).`,
  };
}

/** POST /_simulator/backup/users/{id}/restore: a Backup Administrator restores the user from a daily backup. */
export function restoreUser(tenant: TenantState, key: string, body: unknown, now: Date): ControlResult {
  const user = activeUser(tenant, key);
  const { snapshotBefore } = parse(RestoreBodySchema, body, gatewayErrors.badRequest, 'restore');
  const outcome = restoreFromBackup(tenant, user, snapshotBefore === undefined ? undefined : new Date(snapshotBefore), now);
  const what = outcome.restored.length === 0 ? 'nothing was missing' : `restored ${outcome.restored.join(', ')}`;
  return {
    response: { status: 200, body: { restored: outcome.restored, snapshotAt: outcome.snapshotAt, recoveryJobId: outcome.recoveryJobId } },
    notice: `${user.displayName}, backup of ${outcome.snapshotAt}: ${what}.`,
  };
}

const RECOVERY_ENDINGS: Readonly<Record<RecoveryOutcome, string>> = {
  completes: 'completed: a Temporary Access Pass was issued and used, and a passkey registered',
  failsFaceCheck: 'failed the face check',
  notMatched: 'ended not matched: the names on the ID document did not match the account exactly',
  abandoned: 'started, then abandoned at the identity-verification provider',
};

/**
 * POST /_simulator/users/{id}/account-recovery: the user runs Entra ID Account Recovery themselves (no Graph request can;
 * account-recovery-run.ts). The audit activity names it writes are provisional, and the notice says so.
 */
export function accountRecovery(tenant: TenantState, key: string, body: unknown, now: Date): ControlResult {
  const user = activeUser(tenant, key);
  const input = parse(AccountRecoveryRunSchema, body, gatewayErrors.badRequest, 'account recovery');
  const result = runAccountRecovery(tenant, user, input, now);
  const method = result.method ? methodView(result.method, now, tenant.authenticationMethodsPolicy) : null;
  const changed = result.ran === result.outcome ? '' : ' (a first or last name is blank, so matching failed)';
  return {
    response: {
      status: 201,
      body: { outcome: result.outcome, ran: result.ran, profileId: result.profileId, activities: [...result.activities], method, provisionalAuditNames: true },
    },
    notice: `${user.displayName} ran Account Recovery: ${RECOVERY_ENDINGS[result.ran]}${changed}. The audit event names written are provisional (one unlinked docs revision).`,
  };
}
