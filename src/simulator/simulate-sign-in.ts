import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { tapUsability } from './method-views';
import { digest } from './password-policy';
import { LocationSchema, SignInMethodSchema, type SignInMethod } from './seed-schema';
import { buildSignIn } from './sign-in-builder';
import type { SignInRecord } from './sign-in-record';
import { methodsOf, type StoredMethod, type TenantState, type UserRecord } from './tenant-state';

export const SimulatedSignInSchema = z
  .object({
    method: SignInMethodSchema,
    /** false: the user fails the method. Omitted or true: the outcome follows from the user's registered methods. */
    success: z.boolean().optional(),
    /** Checked against the stored hash when the method is temporaryAccessPass. */
    temporaryAccessPass: z.string().optional(),
    ipAddress: z.string().default('198.51.100.23'),
    location: LocationSchema.default({ city: 'Redmond', state: 'Washington', countryOrRegion: 'US' }),
    appDisplayName: z.string().default('My Signins'),
    appId: z.string().default('19db86c3-b2b9-44cc-b339-36da233a3be2'),
    clientAppUsed: z.string().default('Browser'),
  })
  .strict();
export type SimulatedSignIn = z.output<typeof SimulatedSignInSchema>;

const REQUIRES: Record<Exclude<SignInMethod, 'password' | 'temporaryAccessPass'>, (m: StoredMethod) => boolean> = {
  fido2: (m) => m.type === 'fido2',
  windowsHelloForBusiness: (m) => m.type === 'windowsHelloForBusiness',
  microsoftAuthenticator: (m) => m.type === 'microsoftAuthenticator',
  sms: (m) => m.type === 'phone' && m.phoneType === 'mobile',
  voice: (m) => m.type === 'phone',
  softwareOath: (m) => m.type === 'softwareOath',
  hardwareOath: (m) => m.type === 'hardwareOath',
  platformCredential: (m) => m.type === 'platformCredential',
  externalAuthentication: (m) => m.type === 'externalAuthentication',
  qrCodePin: (m) => m.type === 'qrCodePin',
};

const PASSWORDLESS: ReadonlySet<SignInMethod> = new Set(['fido2', 'windowsHelloForBusiness', 'platformCredential', 'temporaryAccessPass', 'qrCodePin']);

/** Why the method cannot be used right now, or undefined when it can. */
function unavailable(state: TenantState, user: UserRecord, input: SimulatedSignIn, now: Date): string | undefined {
  const methods = methodsOf(state, user.id);
  if (input.method === 'password') return undefined;
  if (input.method === 'temporaryAccessPass') {
    const tap = methods.find((m) => m.type === 'temporaryAccessPass');
    if (!tap) return 'The user has no Temporary Access Pass.';
    const usability = tapUsability(tap, now, state.authenticationMethodsPolicy);
    if (!usability.isUsable) return `The Temporary Access Pass is not usable (${usability.methodUsabilityReason}).`;
    if (input.temporaryAccessPass !== undefined && (tap.passHash === null || digest(input.temporaryAccessPass) !== tap.passHash))
      return 'The Temporary Access Pass entered is not valid.';
    return undefined;
  }
  return methods.some(REQUIRES[input.method]) ? undefined : `The user has no registered ${input.method} method.`;
}

/**
 * Records a sign-in as if the user had just signed in with `method`: the outcome follows the user's state (disabled
 * account, registered methods, a usable TAP, Conditional Access), a one-time TAP is spent, and a pending forced
 * password change is completed.
 */
export function simulateSignIn(state: TenantState, user: UserRecord, input: SimulatedSignIn, now: Date): SignInRecord {
  const reason = unavailable(state, user, input, now);
  let errorCode = 0;
  let failureReason: string | null = null;
  if (!user.accountEnabled) [errorCode, failureReason] = [50057, 'User account is disabled. The account has been disabled by an administrator.'];
  else if (input.success === false && input.method === 'password')
    [errorCode, failureReason] = [50126, 'Error validating credentials due to invalid username or password.'];
  else if (input.success === false || reason !== undefined)
    [errorCode, failureReason] = [500121, reason ?? 'Authentication failed during strong authentication request.'];
  const record = buildSignIn(state, {
    id: randomUUID(),
    createdDateTime: now.toISOString(),
    user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName },
    method: input.method,
    appDisplayName: input.appDisplayName,
    appId: input.appId,
    ipAddress: input.ipAddress,
    location: input.location,
    clientAppUsed: input.clientAppUsed,
    isInteractive: true,
    errorCode,
    failureReason,
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes: [],
    operatingSystem: 'Windows 11',
    browser: 'Edge 126.0.0',
    correlationId: randomUUID(),
  });
  state.signIns.push(record);
  if (record.status.errorCode === 0) {
    const tap = methodsOf(state, user.id).find((m) => m.type === 'temporaryAccessPass');
    if (input.method === 'temporaryAccessPass' && tap?.isUsableOnce) tap.usedDateTime = now.toISOString();
    // Only sign-ins that start with the password meet the forced change; passwordless ones never see it.
    if (user.passwordReset?.forceChangePasswordNextSignIn && !PASSWORDLESS.has(input.method)) {
      user.passwordReset = { ...user.passwordReset, forceChangePasswordNextSignIn: false, forceChangePasswordNextSignInWithMfa: false };
      user.lastPasswordChangeDateTime = now.toISOString();
    }
  }
  return record;
}
