import { roleDefinitionIdsOf, transitiveGroupIds } from './membership';
import type { SeedSignIn, SignInMethod } from './seed-schema';
import type { Resolved } from './seed-time';
import type { AppliedCaPolicy, AuthenticationDetail, SignInRecord } from './sign-in-record';
import type { CaPolicyRecord, TenantState } from './tenant-state';

export type SignInInput = Omit<Resolved<SeedSignIn>, 'userId'> & { user: { id: string; displayName: string; userPrincipalName: string } };

/** How each method shows up in a sign-in's authenticationDetails (beta), and whether it follows a password. */
const METHOD_DETAILS: Record<SignInMethod, { name: string; secondFactor: boolean }> = {
  password: { name: 'Password', secondFactor: false },
  fido2: { name: 'FIDO2 security key', secondFactor: false },
  windowsHelloForBusiness: { name: 'Windows Hello for Business', secondFactor: false },
  platformCredential: { name: 'Platform Credential for macOS', secondFactor: false },
  temporaryAccessPass: { name: 'Temporary Access Pass', secondFactor: false },
  qrCodePin: { name: 'QR code', secondFactor: false },
  microsoftAuthenticator: { name: 'Mobile app notification', secondFactor: true },
  sms: { name: 'Text message', secondFactor: true },
  voice: { name: 'Phone call', secondFactor: true },
  softwareOath: { name: 'OATH verification code', secondFactor: true },
  hardwareOath: { name: 'OATH verification code', secondFactor: true },
  externalAuthentication: { name: 'External authentication method', secondFactor: true },
};

const PHISHING_RESISTANT: ReadonlySet<SignInMethod> = new Set(['fido2', 'windowsHelloForBusiness', 'platformCredential']);
const PASSWORDLESS: ReadonlySet<SignInMethod> = new Set([...PHISHING_RESISTANT, 'microsoftAuthenticator']);
/** Built-in authentication strengths (fixed ids in every tenant). */
const STRENGTHS: Record<string, ReadonlySet<SignInMethod>> = {
  '00000000-0000-0000-0000-000000000002': new Set(mfaMethods()),
  '00000000-0000-0000-0000-000000000003': PASSWORDLESS,
  '00000000-0000-0000-0000-000000000004': PHISHING_RESISTANT,
};

function mfaMethods(): SignInMethod[] {
  return (Object.keys(METHOD_DETAILS) as SignInMethod[]).filter((m) => m !== 'password');
}

const CA_BLOCKED = 53003;
const MFA_REQUIRED = 50074;

/** Maps the sign-in log's clientAppUsed to a Conditional Access client app type. */
function clientAppType(clientAppUsed: string): string {
  if (clientAppUsed === 'Browser') return 'browser';
  if (clientAppUsed === 'Mobile Apps and Desktop clients') return 'mobileAppsAndDesktopClients';
  if (clientAppUsed === 'Exchange ActiveSync') return 'exchangeActiveSync';
  return 'other';
}

interface Evaluation {
  readonly userId: string;
  readonly groups: ReadonlySet<string>;
  readonly roles: ReadonlySet<string>;
  readonly appId: string;
  readonly clientApp: string;
  readonly method: SignInMethod;
  readonly firstFactorFailed: boolean;
}

function intersects(list: readonly string[], set: ReadonlySet<string>): boolean {
  return list.some((x) => set.has(x));
}

function applies(policy: CaPolicyRecord, e: Evaluation): boolean {
  const { users, applications, clientAppTypes } = policy.conditions;
  const included =
    users.includeUsers.includes('All') ||
    users.includeUsers.includes(e.userId) ||
    intersects(users.includeGroups, e.groups) ||
    intersects(users.includeRoles, e.roles);
  const excluded = users.excludeUsers.includes(e.userId) || intersects(users.excludeGroups, e.groups) || intersects(users.excludeRoles, e.roles);
  // A policy on a user action (security info registration) is not evaluated for an ordinary sign-in.
  const appIncluded =
    applications.includeUserActions.length === 0 && (applications.includeApplications.includes('All') || applications.includeApplications.includes(e.appId));
  const clientIncluded = clientAppTypes.includes('all') || clientAppTypes.includes(e.clientApp as (typeof clientAppTypes)[number]);
  return included && !excluded && appIncluded && clientIncluded && !applications.excludeApplications.includes(e.appId);
}

function satisfied(policy: CaPolicyRecord, method: SignInMethod): boolean {
  const g = policy.grantControls;
  const checks = g.builtInControls.map((c) => (c === 'mfa' ? method !== 'password' : false));
  if (g.authenticationStrength) checks.push(STRENGTHS[g.authenticationStrength.id]?.has(method) ?? false);
  return g.operator === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}

/** Conditional Access as the sign-in log reports it: which policies applied and whether their grant was met. */
export function evaluateConditionalAccess(policies: readonly CaPolicyRecord[], e: Evaluation): AppliedCaPolicy[] {
  return policies.map((policy) => {
    const controls = [
      ...policy.grantControls.builtInControls.map((c) => c.charAt(0).toUpperCase() + c.slice(1)),
      ...(policy.grantControls.authenticationStrength ? ['RequireAuthenticationStrength'] : []),
    ];
    const base = { id: policy.id, displayName: policy.displayName, enforcedSessionControls: [] };
    if (policy.state === 'disabled') return { ...base, enforcedGrantControls: [], result: 'notEnabled' };
    const reportOnly = policy.state === 'enabledForReportingButNotEnforced';
    if (e.firstFactorFailed || !applies(policy, e)) return { ...base, enforcedGrantControls: [], result: reportOnly ? 'reportOnlyNotApplied' : 'notApplied' };
    const ok = satisfied(policy, e.method);
    const result = reportOnly ? (ok ? 'reportOnlySuccess' : 'reportOnlyFailure') : ok ? 'success' : 'failure';
    return { ...base, enforcedGrantControls: controls, result };
  });
}

function authenticationDetails(input: SignInInput, succeeded: boolean): AuthenticationDetail[] {
  const detail = METHOD_DETAILS[input.method];
  const step = (method: string, requirement: string, ok: boolean): AuthenticationDetail => ({
    authenticationStepDateTime: input.createdDateTime,
    authenticationMethod: method,
    authenticationMethodDetail: method === 'Password' ? 'Password in the cloud' : null,
    succeeded: ok,
    authenticationStepResultDetail: ok
      ? method === 'Password'
        ? 'Correct password'
        : 'MFA successfully completed'
      : (input.failureReason ?? 'Authentication failed'),
    authenticationStepRequirement: requirement,
  });
  if (!detail.secondFactor) return [step(detail.name, 'Primary authentication', succeeded)];
  return [step('Password', 'Primary authentication', true), step(detail.name, 'Multifactor authentication', succeeded)];
}

/** Builds a full sign-in log entry from a compact description (seed entries and simulated sign-ins alike). */
export function buildSignIn(state: TenantState, input: SignInInput): SignInRecord {
  const firstFactorFailed = input.errorCode !== 0 && input.errorCode !== CA_BLOCKED && input.errorCode !== MFA_REQUIRED;
  const applied = evaluateConditionalAccess(state.conditionalAccessPolicies, {
    userId: input.user.id,
    groups: transitiveGroupIds(state, input.user.id),
    roles: roleDefinitionIdsOf(state, input.user.id),
    appId: input.appId,
    clientApp: clientAppType(input.clientAppUsed),
    method: input.method,
    firstFactorFailed,
  });
  const failed = state.conditionalAccessPolicies.filter((p) => applied.some((a) => a.id === p.id && a.result === 'failure'));
  const blocked = failed.length > 0;
  // An unmet "require MFA" grant interrupts the sign-in for MFA; a block or an unmet strength refuses the token.
  const onlyMfa = blocked && failed.every((p) => p.grantControls.builtInControls.includes('mfa') && !p.grantControls.authenticationStrength);
  const caCode = onlyMfa ? MFA_REQUIRED : CA_BLOCKED;
  const errorCode = input.errorCode === 0 && blocked ? caCode : input.errorCode;
  const failureReason =
    input.errorCode !== 0 || !blocked
      ? input.failureReason
      : onlyMfa
        ? 'Strong Authentication is required.'
        : 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.';
  const conditionalAccessStatus = blocked ? 'failure' : applied.some((p) => p.result === 'success') ? 'success' : 'notApplied';
  const detail = METHOD_DETAILS[input.method];
  return {
    id: input.id,
    createdDateTime: input.createdDateTime,
    userDisplayName: input.user.displayName,
    userPrincipalName: input.user.userPrincipalName,
    userId: input.user.id,
    appId: input.appId,
    appDisplayName: input.appDisplayName,
    ipAddress: input.ipAddress,
    clientAppUsed: input.clientAppUsed,
    correlationId: input.correlationId,
    conditionalAccessStatus,
    isInteractive: input.isInteractive,
    riskDetail: 'none',
    riskLevelAggregated: input.riskLevelDuringSignIn,
    riskLevelDuringSignIn: input.riskLevelDuringSignIn,
    riskState: input.riskState,
    riskEventTypes_v2: input.riskEventTypes,
    resourceDisplayName: input.appDisplayName,
    resourceId: input.appId,
    status: { errorCode, failureReason: errorCode === 0 ? null : (failureReason ?? 'Other.'), additionalDetails: null },
    deviceDetail: {
      deviceId: '',
      displayName: '',
      operatingSystem: input.operatingSystem,
      browser: input.browser,
      isCompliant: false,
      isManaged: false,
      trustType: '',
    },
    location: { ...input.location, geoCoordinates: null },
    appliedConditionalAccessPolicies: applied,
    beta: {
      authenticationRequirement: input.method === 'password' ? 'singleFactorAuthentication' : 'multiFactorAuthentication',
      authenticationMethodsUsed: detail.secondFactor ? ['Password', detail.name] : [detail.name],
      authenticationDetails: authenticationDetails(input, errorCode === 0 || (blocked && input.errorCode === 0)),
    },
  };
}
