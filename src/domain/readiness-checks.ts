import type { VerifiedIdProfileInfo } from './verified-id-profile';
import {
  HARD_DELETE_ACTION,
  ROLE,
  managesAuthenticationMethods,
  type CaPolicyInfo,
  type CheckId,
  type CheckStatus,
  type Readable,
  type ReadinessCheck,
  type ReadinessReport,
  type ReadinessSnapshot,
  type RegistrationRow,
  type RoleHolder,
  type SetupCheckId,
} from './readiness';
import { verifiedIdChecks, type VerifiedIdReadiness } from './readiness-verified-id';

/**
 * The thresholds. The guidance gives none; these are ours, stated so a reviewer can disagree with a number rather
 * than guess it.
 */
export const THRESHOLDS = {
  /** Users with fewer than two methods: warn up to this share, fail above it. */
  fewMethodsWarnShare: 0.05,
  /** MFA-capable share: pass at or above, warn down to `mfaCapableWarn`, fail below. */
  mfaCapablePass: 0.95,
  mfaCapableWarn: 0.8,
  /** Microsoft recommends fewer than five Global Administrators. */
  maxGlobalAdministrators: 4,
  /** The portal's default maximum TAP lifetime (8 hours); longer passes stay usable longer after a leak. */
  maxTapLifetimeMinutes: 480,
} as const;

/** methodsRegistered values of phishing-resistant methods: FIDO2 keys, passkeys, Windows Hello, macOS platform SSO. */
export const PHISHING_RESISTANT = new Set([
  'fido2',
  'fido2SecurityKey',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'passKeySynced',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
]);

const REGISTER_SECURITY_INFO = 'urn:user:registersecurityinfo';
const LEARN = 'https://learn.microsoft.com/en-us/entra';

interface CheckMeta {
  readonly title: string;
  readonly recommendation: string;
  readonly fix: { readonly text: string; readonly url: string };
}

/** The checks read from the tenant; the Verified ID ones (readiness-verified-id.ts) come from the bot's configuration. */
type TenantCheckId = Exclude<CheckId, SetupCheckId>;

const META: Record<TenantCheckId, CheckMeta> = {
  'methods.twoOrMore': {
    title: 'Users with fewer than two methods',
    recommendation: 'Require multiple authentication methods per user, so that losing or deleting one does not lock the user out.',
    fix: { text: 'Run a registration campaign and require two methods for SSPR', url: `${LEARN}/identity/authentication/how-to-mfa-registration-campaign` },
  },
  'methods.phishingResistant': {
    title: 'Users without a phishing-resistant method',
    recommendation:
      'Favor phishing-resistant methods: FIDO2 security keys, passkeys, Windows Hello for Business; device-bound passkeys for higher-assurance roles.',
    fix: {
      text: 'Deploy phishing-resistant passwordless authentication, admins first',
      url: `${LEARN}/identity/authentication/how-to-deploy-phishing-resistant-passwordless-authentication`,
    },
  },
  'mfa.capableShare': {
    title: 'MFA-capable users',
    recommendation: 'Require multifactor authentication for all users.',
    fix: {
      text: 'Find users who are not MFA capable in the authentication methods activity report',
      url: `${LEARN}/identity/authentication/howto-authentication-methods-activity`,
    },
  },
  'roles.authenticationAdmins': {
    title: 'Authentication Administrators and Privileged Authentication Administrators',
    recommendation:
      'Limit authentication method management to Authentication Administrator or Privileged Authentication Administrator, assigned to few trusted users and elevated through PIM.',
    fix: {
      text: 'Make the assignments eligible in Privileged Identity Management',
      url: `${LEARN}/id-governance/privileged-identity-management/pim-how-to-add-role-to-user`,
    },
  },
  'roles.otherMethodManagers': {
    title: 'Other roles that can manage authentication methods',
    recommendation:
      'Restrict authentication method management through Microsoft Entra RBAC: Authentication Administrator for the helpdesk, Privileged Authentication Administrator for admins.',
    fix: {
      text: 'Review privileged roles and remove method management from other roles',
      url: `${LEARN}/identity/role-based-access-control/privileged-roles-permissions`,
    },
  },
  'ca.mfaAllUsers': {
    title: 'Conditional Access requires MFA for all users',
    recommendation: 'Require multifactor authentication for all users with Conditional Access or authentication strengths.',
    fix: { text: 'Create the policy "Require MFA for all users"', url: `${LEARN}/identity/conditional-access/policy-all-users-mfa-strength` },
  },
  'ca.securityInfoRegistration': {
    title: 'Conditional Access protects security info registration',
    recommendation:
      'Protect authentication-method registration with Conditional Access: require strong sign-in (compliant device or trusted network) to register security info.',
    fix: {
      text: 'Create a policy for the user action "Register security information"',
      url: `${LEARN}/identity/conditional-access/policy-all-users-security-info-registration`,
    },
  },
  'ca.authenticationStrength': {
    title: 'Authentication strength in use',
    recommendation: 'Use authentication strengths so users authenticate with strong methods rather than relying on passwords.',
    fix: {
      text: 'Require an authentication strength in a Conditional Access policy',
      url: `${LEARN}/identity/authentication/concept-authentication-strengths`,
    },
  },
  'tap.policy': {
    title: 'Temporary Access Pass policy',
    recommendation: 'When identity verification is not available, give the recovered user a Temporary Access Pass to sign in and register new methods.',
    fix: {
      text: 'Enable the Temporary Access Pass method with a short maximum lifetime',
      url: `${LEARN}/identity/authentication/howto-authentication-temporary-access-pass`,
    },
  },
  'accountRecovery.profile': {
    title: 'Entra ID Account Recovery',
    recommendation:
      'Use identity verification, the higher-assurance alternative to a Temporary Access Pass: Account Recovery lets a user prove who they are with a government ID and Face Check.',
    fix: {
      text: 'Create a recovery profile in Production with Face Check (Entra ID > Account recovery > Profiles)',
      url: `${LEARN}/identity/authentication/how-to-account-recovery-enable`,
    },
  },
  'protectedActions.hardDelete': {
    title: 'Protected action on hard delete',
    recommendation: 'Use protected actions for destructive operations: limit who can permanently delete users.',
    fix: {
      text: 'Add an authentication context to the hard-delete permission and require it in a Conditional Access policy',
      url: `${LEARN}/identity/role-based-access-control/protected-actions-add`,
    },
  },
};

function check(id: TenantCheckId, status: CheckStatus, summary: string, items: readonly string[] = []): ReadinessCheck {
  const meta = META[id];
  return { id, title: meta.title, status, summary, items, fix: meta.fix, recommendation: meta.recommendation };
}

/** The check that could not run: which source, and what the bot needs to read it. */
function unreadable(id: TenantCheckId, source: Readable<unknown>): ReadinessCheck {
  if (source.ok) throw new Error('unreadable() called for a readable source');
  return check(id, 'unreadable', source.needs ? `Cannot read: needs ${source.needs}.` : `Cannot read: ${source.reason}`);
}

/** 10000 → "10,000": counts in large tenants stay readable. */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const percent = (part: number, whole: number): string => `${whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10}%`;

/** Members only: a guest's methods live in the guest's home tenant. */
const members = (rows: readonly RegistrationRow[]): RegistrationRow[] => rows.filter((r) => !r.isGuest);

function countingMethods(row: RegistrationRow): number {
  // A Temporary Access Pass expires: it does not keep a user from being locked out.
  return new Set(row.methodsRegistered.filter((m) => m !== 'temporaryAccessPass')).size;
}

function twoOrMore(s: ReadinessSnapshot): ReadinessCheck {
  if (!s.registrations.ok) return unreadable('methods.twoOrMore', s.registrations);
  const rows = members(s.registrations.value);
  const few = rows.filter((r) => countingMethods(r) < 2);
  const status: CheckStatus = few.length === 0 ? 'pass' : few.length / rows.length <= THRESHOLDS.fewMethodsWarnShare ? 'warn' : 'fail';
  const items = few.map((r) => `${r.userPrincipalName} (${countingMethods(r)} method${countingMethods(r) === 1 ? '' : 's'})`);
  return check(
    'methods.twoOrMore',
    status,
    `${count(few.length)} of ${count(rows.length)} users (${percent(few.length, rows.length)}) have fewer than two methods.`,
    items,
  );
}

function phishingResistant(s: ReadinessSnapshot): ReadinessCheck {
  if (!s.registrations.ok) return unreadable('methods.phishingResistant', s.registrations);
  const rows = members(s.registrations.value);
  const lacking = rows.filter((r) => !r.methodsRegistered.some((m) => PHISHING_RESISTANT.has(m)));
  const admins = lacking.filter((r) => r.isAdmin);
  const status: CheckStatus = admins.length > 0 ? 'fail' : lacking.length > 0 ? 'warn' : 'pass';
  const items = [...admins.map((r) => `${r.userPrincipalName} (admin)`), ...lacking.filter((r) => !r.isAdmin).map((r) => r.userPrincipalName)];
  return check(
    'methods.phishingResistant',
    status,
    `${count(lacking.length)} of ${count(rows.length)} users have no phishing-resistant method, ${count(admins.length)} of them admins.`,
    items,
  );
}

function mfaShare(s: ReadinessSnapshot): ReadinessCheck {
  if (!s.registrations.ok) return unreadable('mfa.capableShare', s.registrations);
  const rows = members(s.registrations.value);
  const capable = rows.filter((r) => r.isMfaCapable).length;
  const share = rows.length === 0 ? 1 : capable / rows.length;
  const status: CheckStatus = share >= THRESHOLDS.mfaCapablePass ? 'pass' : share >= THRESHOLDS.mfaCapableWarn ? 'warn' : 'fail';
  const items = rows.filter((r) => !r.isMfaCapable).map((r) => r.userPrincipalName);
  return check('mfa.capableShare', status, `${count(capable)} of ${count(rows.length)} users (${percent(capable, rows.length)}) are MFA capable.`, items);
}

/** How a principal holds a role: standing (active, not through PIM), activated through PIM, or only eligible. */
type Tenure = 'permanent' | 'activated' | 'eligible' | 'active';

function tenures(roleId: string, active: readonly RoleHolder[], eligible: readonly RoleHolder[] | undefined): Map<string, Tenure> {
  const of = (list: readonly RoleHolder[]): Set<string> => new Set(list.filter((h) => h.roleDefinitionId === roleId).map((h) => h.principalId));
  const activeIds = of(active);
  const result = new Map<string, Tenure>();
  if (!eligible) {
    for (const id of activeIds) result.set(id, 'active');
    return result;
  }
  const eligibleIds = of(eligible);
  // An active assignment of someone who is also eligible is a PIM activation; one without an eligibility is standing.
  for (const id of activeIds) result.set(id, eligibleIds.has(id) ? 'activated' : 'permanent');
  for (const id of eligibleIds) if (!result.has(id)) result.set(id, 'eligible');
  return result;
}

function countOf(map: Map<string, Tenure>, tenure: Tenure): number {
  return [...map.values()].filter((t) => t === tenure).length;
}

function authenticationAdmins(s: ReadinessSnapshot, name: (principalId: string) => string): ReadinessCheck {
  const id = 'roles.authenticationAdmins';
  if (!s.activeAssignments.ok) return unreadable(id, s.activeAssignments);
  const eligible = s.eligibleAssignments.ok ? s.eligibleAssignments.value : undefined;
  const roles = [
    { label: 'Authentication Administrator', short: 'AA', map: tenures(ROLE.authenticationAdministrator, s.activeAssignments.value, eligible) },
    {
      label: 'Privileged Authentication Administrator',
      short: 'PAA',
      map: tenures(ROLE.privilegedAuthenticationAdministrator, s.activeAssignments.value, eligible),
    },
  ];
  const [aa, paa] = roles as [(typeof roles)[number], (typeof roles)[number]];
  const items = roles.flatMap((r) => [...r.map].map(([principal, tenure]) => `${r.label}: ${name(principal)} (${tenure})`));
  if (!eligible) {
    const why = s.eligibleAssignments.ok ? '' : s.eligibleAssignments.needs ? `needs ${s.eligibleAssignments.needs}` : s.eligibleAssignments.reason;
    const active = roles.map((r) => `${r.short} ${r.map.size} active`).join(', ');
    return check(id, 'warn', `${active}; permanent or through PIM cannot be told: PIM eligibility cannot be read (${why}).`, items);
  }
  const describe = (r: (typeof roles)[number]): string =>
    `${r.short} ${countOf(r.map, 'permanent')} permanent, ${countOf(r.map, 'eligible') + countOf(r.map, 'activated')} through PIM`;
  const status: CheckStatus = countOf(paa.map, 'permanent') > 0 ? 'fail' : countOf(aa.map, 'permanent') > 0 ? 'warn' : 'pass';
  return check(id, status, `${describe(aa)}; ${describe(paa)}.`, items);
}

function otherMethodManagers(s: ReadinessSnapshot, name: (principalId: string) => string): ReadinessCheck {
  const id = 'roles.otherMethodManagers';
  if (!s.roleDefinitions.ok) return unreadable(id, s.roleDefinitions);
  if (!s.activeAssignments.ok) return unreadable(id, s.activeAssignments);
  const expected = new Set<string>([ROLE.authenticationAdministrator, ROLE.privilegedAuthenticationAdministrator]);
  const holders = [...s.activeAssignments.value, ...(s.eligibleAssignments.ok ? s.eligibleAssignments.value : [])];
  const holdersOf = (roleId: string): Set<string> => new Set(holders.filter((h) => h.roleDefinitionId === roleId).map((h) => h.principalId));
  const others = s.roleDefinitions.value
    .filter((r) => managesAuthenticationMethods(r) && !expected.has(r.id))
    .map((r) => ({ role: r, holders: holdersOf(r.id) }));
  const global = others.find((o) => o.role.id === ROLE.globalAdministrator);
  const extra = others.filter((o) => o.role.id !== ROLE.globalAdministrator && o.holders.size > 0);
  const items = others.flatMap((o) => [...o.holders].map((p) => `${o.role.displayName}${o.role.isBuiltIn ? '' : ' (custom)'}: ${name(p)}`));
  const globalCount = global?.holders.size ?? 0;
  const status: CheckStatus = extra.length > 0 ? 'fail' : globalCount > THRESHOLDS.maxGlobalAdministrators ? 'warn' : 'pass';
  const extraHolders = extra.reduce((n, o) => n + o.holders.size, 0);
  const unread = s.eligibleAssignments.ok ? '' : ' PIM eligibility cannot be read, so only active holders are counted.';
  return check(
    id,
    status,
    `${extra.length} other role(s) with ${extraHolders} holder(s) can manage methods; Global Administrator has ${globalCount} holder(s).${unread}`,
    items,
  );
}

const ENFORCED: CaPolicyInfo['state'] = 'enabled';
const REPORT_ONLY: CaPolicyInfo['state'] = 'enabledForReportingButNotEnforced';

function policyItem(p: CaPolicyInfo): string {
  const state = p.state === REPORT_ONLY ? 'report-only' : p.state;
  return `${p.displayName} (${state}${p.exclusions > 0 ? `, ${p.exclusions} exclusion(s)` : ''})`;
}

/** Best policy state among candidates: enforced → pass, report-only (or partial scope) → warn, none → fail. */
function byPolicies(id: TenantCheckId, full: readonly CaPolicyInfo[], partial: readonly CaPolicyInfo[], what: string): ReadinessCheck {
  const enforced = full.filter((p) => p.state === ENFORCED);
  const weaker = [...full.filter((p) => p.state === REPORT_ONLY), ...partial.filter((p) => p.state === ENFORCED || p.state === REPORT_ONLY)];
  const items = [...enforced, ...weaker].map(policyItem);
  if (enforced.length > 0) return check(id, 'pass', `${enforced.length} enforced polic${enforced.length === 1 ? 'y' : 'ies'} ${what}.`, items);
  if (weaker.length > 0) return check(id, 'warn', `No enforced policy ${what}; ${weaker.length} report-only or partly scoped.`, items);
  return check(id, 'fail', `No policy ${what}.`, items);
}

const allUsers = (p: CaPolicyInfo): boolean => p.includeUsers.includes('All');
const requiresMfa = (p: CaPolicyInfo): boolean =>
  !p.builtInControls.includes('block') && (p.builtInControls.includes('mfa') || p.authenticationStrength !== undefined);

function caMfaAllUsers(s: ReadinessSnapshot): ReadinessCheck {
  if (!s.conditionalAccess.ok) return unreadable('ca.mfaAllUsers', s.conditionalAccess);
  const mfa = s.conditionalAccess.value.filter((p) => requiresMfa(p) && p.includeApplications.includes('All'));
  return byPolicies(
    'ca.mfaAllUsers',
    mfa.filter(allUsers),
    mfa.filter((p) => !allUsers(p)),
    'requires MFA for all users and all apps',
  );
}

function caSecurityInfo(s: ReadinessSnapshot): ReadinessCheck {
  if (!s.conditionalAccess.ok) return unreadable('ca.securityInfoRegistration', s.conditionalAccess);
  const registration = s.conditionalAccess.value.filter((p) => p.includeUserActions.includes(REGISTER_SECURITY_INFO));
  return byPolicies(
    'ca.securityInfoRegistration',
    registration.filter(allUsers),
    registration.filter((p) => !allUsers(p)),
    'covers security info registration for all users',
  );
}

function caAuthenticationStrength(s: ReadinessSnapshot): ReadinessCheck {
  const id = 'ca.authenticationStrength';
  if (!s.conditionalAccess.ok) return unreadable(id, s.conditionalAccess);
  const using = s.conditionalAccess.value.filter((p) => p.authenticationStrength !== undefined && (p.state === ENFORCED || p.state === REPORT_ONLY));
  const items = using.map(
    (p) => `${p.displayName} requires "${p.authenticationStrength?.displayName ?? ''}" (${p.state === REPORT_ONLY ? 'report-only' : 'enforced'})`,
  );
  const enforced = using.filter((p) => p.state === ENFORCED);
  const names = [...new Set(enforced.map((p) => p.authenticationStrength?.displayName ?? ''))];
  if (enforced.length > 0)
    return check(
      id,
      'pass',
      `${enforced.length} enforced polic${enforced.length === 1 ? 'y requires' : 'ies require'} an authentication strength (${names.length} distinct).`,
      items,
    );
  if (using.length > 0)
    return check(id, 'warn', `Authentication strengths are required only by ${using.length} report-only polic${using.length === 1 ? 'y' : 'ies'}.`, items);
  return check(id, 'fail', 'No Conditional Access policy requires an authentication strength.', items);
}

function tapPolicy(s: ReadinessSnapshot): ReadinessCheck {
  if (!s.tapPolicy.ok) return unreadable('tap.policy', s.tapPolicy);
  const p = s.tapPolicy.value;
  const lifetimes = `lifetime ${p.minimumLifetimeInMinutes}–${p.maximumLifetimeInMinutes} min (default ${p.defaultLifetimeInMinutes}), ${p.isUsableOnce ? 'one-time only' : 'multi-use allowed'}`;
  const items = [lifetimes];
  if (!p.enabled) return check('tap.policy', 'fail', `Temporary Access Pass is disabled: recovered users cannot get a pass (${lifetimes}).`, items);
  if (p.maximumLifetimeInMinutes > THRESHOLDS.maxTapLifetimeMinutes) {
    return check(
      'tap.policy',
      'warn',
      `Enabled, but a pass can live up to ${p.maximumLifetimeInMinutes} min (more than ${THRESHOLDS.maxTapLifetimeMinutes}); ${lifetimes}.`,
      items,
    );
  }
  return check('tap.policy', 'pass', `Enabled; ${lifetimes}.`, items);
}

function hardDelete(s: ReadinessSnapshot): ReadinessCheck {
  const id = 'protectedActions.hardDelete';
  if (!s.hardDeleteAction.ok) return unreadable(id, s.hardDeleteAction);
  const context = s.hardDeleteAction.value?.authenticationContextId;
  if (!context) return check(id, 'fail', `${HARD_DELETE_ACTION} is not a protected action: no authentication context is assigned.`);
  if (!s.conditionalAccess.ok) return unreadable(id, s.conditionalAccess);
  const policies = s.conditionalAccess.value.filter((p) => p.includeAuthenticationContexts.includes(context));
  const items = [`authentication context ${context}`, ...policies.map(policyItem)];
  if (policies.some((p) => p.state === ENFORCED))
    return check(id, 'pass', `Hard delete needs authentication context ${context}, required by an enforced policy.`, items);
  return check(id, 'warn', `Hard delete has authentication context ${context}, but no enforced Conditional Access policy requires it.`, items);
}

/**
 * A profile Account Recovery can run with: enabled, for recovery in Production (not Evaluation), Face Check on
 * (shared/spec/verified-id.md §6.2, §7.4). Who it covers and the licences (Entra ID P1, Face Check) are not in the
 * profile; the summary says to confirm them. No profile is a warning, not a failure: Account Recovery is optional.
 */
function accountRecoveryProfile(s: ReadinessSnapshot): ReadinessCheck {
  const id = 'accountRecovery.profile';
  if (!s.verifiedIdProfiles.ok) return unreadable(id, s.verifiedIdProfiles);
  const profiles = s.verifiedIdProfiles.value;
  const gaps = (p: VerifiedIdProfileInfo): string[] => {
    const recovery = p.usages.filter((u) => u.purpose === 'recovery');
    return [
      ...(p.state === 'enabled' ? [] : [p.state]),
      ...(recovery.length === 0 ? ['not for recovery'] : recovery.every((u) => u.isEnabledForTestOnly) ? ['Evaluation mode'] : []),
      ...(p.faceCheckEnabled ? [] : ['Face Check off']),
    ];
  };
  const items = profiles.map((p) => `${p.name}: ${gaps(p).join(', ') || 'enabled, Production, Face Check'}`);
  const ready = profiles.filter((p) => gaps(p).length === 0);
  const confirm = 'Groups in scope and licences (Entra ID P1, Face Check): confirm in the admin center.';
  if (ready.length > 0) return check(id, 'pass', `${count(ready.length)} recovery profile(s) enabled in Production with Face Check. ${confirm}`, items);
  if (profiles.length === 0) return check(id, 'warn', 'No Verified ID profile: Entra ID Account Recovery is not set up.', items);
  return check(id, 'warn', `${count(profiles.length)} profile(s), none enabled for recovery in Production with Face Check.`, items);
}

/** What the bot itself is set up with, for the checks that are not a read of the tenant. */
export interface ReadinessSetup {
  /** The VERIFIED_ID_* settings; undefined when Verified ID is off. */
  readonly verifiedId: VerifiedIdReadiness | undefined;
}

/**
 * Every check, in the order of the guidance's recommendations; with `setup` (the bot always passes it), the checks of
 * the bot's own Verified ID set-up follow.
 */
export function assessReadiness(snapshot: ReadinessSnapshot, setup?: ReadinessSetup): ReadinessReport {
  const upns = new Map(snapshot.registrations.ok ? snapshot.registrations.value.map((r) => [r.id, r.userPrincipalName]) : []);
  const name = (principalId: string): string => upns.get(principalId) ?? principalId;
  return {
    readAt: snapshot.readAt,
    checks: [
      caMfaAllUsers(snapshot),
      caAuthenticationStrength(snapshot),
      mfaShare(snapshot),
      twoOrMore(snapshot),
      phishingResistant(snapshot),
      authenticationAdmins(snapshot, name),
      otherMethodManagers(snapshot, name),
      caSecurityInfo(snapshot),
      hardDelete(snapshot),
      accountRecoveryProfile(snapshot),
      tapPolicy(snapshot),
      ...(setup ? verifiedIdChecks(setup.verifiedId) : []),
    ],
  };
}
