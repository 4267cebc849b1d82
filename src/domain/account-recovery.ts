import type { Readable } from './readiness';
import type { Scenario } from './triage';
import { ALL_USERS, type MethodScope, type VerifiedIdProfileInfo } from './verified-id-profile';

export { ALL_USERS, type MethodScope, type VerifiedIdProfileInfo };

/**
 * Issue 17: Entra ID Account Recovery as the bot sees it (shared/spec/verified-id.md §6, §7.4). Account Recovery cannot
 * be started, approved or pre-authorised by an admin or an app (§6.3): the user starts it at sign-in. So the bot only
 * checks the prerequisites it can read, tells the agent what the user does, and afterwards reads the outcome from the
 * directory audit log (account-recovery-outcome.ts). Pure: the reads arrive as `Readable` values, each one that could
 * not be read carrying why.
 */

/** What `accountRecoveryPrerequisites` needs, each read separately so one failure leaves the others. */
export interface AccountRecoveryReads {
  readonly userId: string;
  readonly profiles: Readable<readonly VerifiedIdProfileInfo[]>;
  /** The Verified ID authentication-method configuration: the profiles' include/exclude groups live there. */
  readonly verifiedIdScope: Readable<MethodScope>;
  readonly tapScope: Readable<MethodScope>;
  /** Of the groups the two scopes name, the ones the user belongs to (transitively). */
  readonly userGroupIds: Readable<readonly string[]>;
  readonly names: Readable<{ readonly givenName?: string; readonly surname?: string }>;
  /** The user's last sign-in (signInActivity); undefined inside `ok` means never signed in. */
  readonly lastSignIn: Readable<string | undefined>;
}

export type CheckOutcome = 'pass' | 'fail' | 'unknown';

export interface PrerequisiteCheck {
  readonly name: PrerequisiteName;
  readonly outcome: CheckOutcome;
  /** Said to the agent: what was found, or why it could not be read and where to confirm it. */
  readonly detail: string;
}

export type PrerequisiteName =
  'profileEnabled' | 'purposeRecovery' | 'notTestOnly' | 'faceCheckEnabled' | 'userInScope' | 'namesSet' | 'priorSignIns' | 'tapCoversUser' | 'licence';

export interface AccountRecoveryPrerequisites {
  /** True when no check failed and the profile itself was read and passed (see accountRecoveryPrerequisites). */
  readonly available: boolean;
  /** The profile the checks looked at, when there is one. */
  readonly profile?: { readonly id: string; readonly name: string };
  readonly checks: readonly PrerequisiteCheck[];
}

const CONFIRM = 'confirm in the Microsoft Entra admin center';
const PROFILE_CHECKS: readonly PrerequisiteName[] = ['profileEnabled', 'purposeRecovery', 'notTestOnly', 'faceCheckEnabled'];

const isRecoveryUsage = (u: VerifiedIdProfileInfo['usages'][number]): boolean => u.purpose === 'recovery';

/** How many of the profile's own conditions hold: the profile to report on is the one closest to usable. */
function profileScore(p: VerifiedIdProfileInfo): number {
  return [
    p.state === 'enabled',
    p.usages.some(isRecoveryUsage),
    p.usages.some((u) => isRecoveryUsage(u) && !u.isEnabledForTestOnly),
    p.faceCheckEnabled,
  ].filter(Boolean).length;
}

/** The profile to report on: the most nearly usable, then by priority, then by name (stable). */
function chooseProfile(profiles: readonly VerifiedIdProfileInfo[]): VerifiedIdProfileInfo | undefined {
  return [...profiles].sort(
    (a, b) =>
      profileScore(b) - profileScore(a) || (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name),
  )[0];
}

const check = (name: PrerequisiteName, outcome: CheckOutcome, detail: string): PrerequisiteCheck => ({ name, outcome, detail });
const unreadable = (name: PrerequisiteName, what: string, r: { reason: string; needs?: string }): PrerequisiteCheck =>
  check(name, 'unknown', `Could not read ${what}${r.needs ? ` (needs ${r.needs})` : ''}: ${r.reason} Not counted as a pass; ${CONFIRM}.`);

function profileChecks(reads: AccountRecoveryReads): { profile?: VerifiedIdProfileInfo; checks: PrerequisiteCheck[] } {
  if (!reads.profiles.ok) {
    const r = reads.profiles;
    return { checks: PROFILE_CHECKS.map((n) => unreadable(n, 'the Verified ID profiles', r)) };
  }
  const profile = chooseProfile(reads.profiles.value);
  if (!profile) {
    const none = 'The tenant has no Verified ID profile, so Account Recovery is not set up (Entra ID > Account recovery > Profiles).';
    return { checks: PROFILE_CHECKS.map((n) => check(n, 'fail', none)) };
  }
  const named = `Profile "${profile.name}"`;
  const recovery = profile.usages.filter(isRecoveryUsage);
  const production = recovery.filter((u) => !u.isEnabledForTestOnly);
  return {
    profile,
    checks: [
      profile.state === 'enabled'
        ? check('profileEnabled', 'pass', `${named} is enabled.`)
        : check('profileEnabled', 'fail', `${named} is ${profile.state}, not enabled.`),
      recovery.length > 0
        ? check('purposeRecovery', 'pass', `${named} is for recovery.`)
        : check(
            'purposeRecovery',
            'fail',
            `${named} is for ${profile.usages.map((u) => u.purpose).join(', ') || 'no purpose'}; Account Recovery needs the purpose "recovery".`,
          ),
      production.length > 0
        ? check('notTestOnly', 'pass', `${named} is in Production mode.`)
        : check(
            'notTestOnly',
            'fail',
            recovery.length > 0
              ? `${named} is in Evaluation mode (test only): it verifies but does not recover.`
              : `${named} has no recovery usage in Production mode.`,
          ),
      profile.faceCheckEnabled
        ? check('faceCheckEnabled', 'pass', `Face Check is on for ${named}.`)
        : check('faceCheckEnabled', 'fail', `Face Check is off for ${named}; Account Recovery requires it.`),
    ],
  };
}

/** Whether a scope covers the user: `undefined` when the user's groups are needed and could not be read. */
function covers(scope: MethodScope, userId: string, groups: Readable<readonly string[]>, profileId?: string): boolean | undefined {
  const inTarget = (t: { targetType: string; id: string }): boolean | undefined => {
    if (t.id === ALL_USERS) return true;
    if (t.targetType === 'user') return t.id === userId;
    return groups.ok ? groups.value.includes(t.id) : undefined;
  };
  const excluded = scope.exclude.map(inTarget);
  if (excluded.includes(true)) return false;
  const included = scope.include.filter((t) => profileId === undefined || (t.profileIds ?? []).includes(profileId)).map(inTarget);
  if (included.includes(true)) return excluded.includes(undefined) ? undefined : true;
  return included.includes(undefined) ? undefined : false;
}

function scopeCheck(reads: AccountRecoveryReads, profile: VerifiedIdProfileInfo | undefined): PrerequisiteCheck {
  const name = 'userInScope';
  if (!reads.verifiedIdScope.ok) return unreadable(name, 'the Verified ID method policy (the profiles\u2019 groups)', reads.verifiedIdScope);
  if (!reads.profiles.ok) return unreadable(name, 'the Verified ID profiles', reads.profiles);
  if (!profile) return check(name, 'fail', 'No profile, so no user is in scope.');
  const scope = reads.verifiedIdScope.value;
  if (!scope.enabled) return check(name, 'fail', 'The Verified ID authentication method is disabled, so no profile applies to anyone.');
  const inScope = covers(scope, reads.userId, reads.userGroupIds, profile.id);
  if (inScope === undefined) return unreadable(name, 'the user\u2019s group memberships', reads.userGroupIds.ok ? { reason: '' } : reads.userGroupIds);
  return inScope
    ? check(name, 'pass', `The user is in a group included for profile "${profile.name}" and in no excluded group.`)
    : check(name, 'fail', `The user is not in a group included for profile "${profile.name}", or is excluded: the option will not appear at sign-in.`);
}

function namesCheck(reads: AccountRecoveryReads): PrerequisiteCheck {
  if (!reads.names.ok) return unreadable('namesSet', 'the user\u2019s first and last name', reads.names);
  const names = reads.names.value;
  const blank = (['givenName', 'surname'] as const).filter((k) => (names[k] ?? '').trim() === '');
  return blank.length === 0
    ? check('namesSet', 'pass', 'First name (givenName) and last name (surname) are set; they must match the ID document exactly.')
    : check('namesSet', 'fail', `${blank.join(' and ')} is blank: matching against the ID document is impossible; fix the profile first.`);
}

function signInCheck(reads: AccountRecoveryReads): PrerequisiteCheck {
  if (!reads.lastSignIn.ok) return unreadable('priorSignIns', 'the user\u2019s last sign-in', reads.lastSignIn);
  return reads.lastSignIn.value
    ? check('priorSignIns', 'pass', `The account has signed in before (last ${reads.lastSignIn.value}).`)
    : check('priorSignIns', 'fail', 'The account has no recorded sign-in: Account Recovery is offered only to accounts with prior authentication events.');
}

function tapCheck(reads: AccountRecoveryReads): PrerequisiteCheck {
  if (!reads.tapScope.ok) return unreadable('tapCoversUser', 'the Temporary Access Pass policy', reads.tapScope);
  const scope = reads.tapScope.value;
  if (!scope.enabled) return check('tapCoversUser', 'fail', 'The Temporary Access Pass method is disabled: Account Recovery ends by issuing one.');
  const covered = covers(scope, reads.userId, reads.userGroupIds);
  if (covered === undefined)
    return unreadable('tapCoversUser', 'the user\u2019s group memberships', reads.userGroupIds.ok ? { reason: '' } : reads.userGroupIds);
  return covered
    ? check('tapCoversUser', 'pass', 'The Temporary Access Pass policy includes the user.')
    : check('tapCoversUser', 'fail', 'The Temporary Access Pass policy does not include the user (or excludes them): recovery could not issue the pass.');
}

/**
 * The prerequisites of spec §7.4 (and §6.1: prior sign-ins; §6.2: licences), each pass, fail or unknown.
 *
 * An unknown is never a pass. `available` is true when no check failed and the four profile checks passed: an unknown
 * elsewhere (the licence, which Graph does not show app-only; a membership that could not be read) does not block
 * offering the path, because the user's own attempt is harmless and the agent sees each unknown with where to confirm
 * it. Without a readable, usable profile there is nothing to offer.
 */
export function accountRecoveryPrerequisites(reads: AccountRecoveryReads): AccountRecoveryPrerequisites {
  const { profile, checks } = profileChecks(reads);
  const all = [
    ...checks,
    scopeCheck(reads, profile),
    namesCheck(reads),
    signInCheck(reads),
    tapCheck(reads),
    check(
      'licence',
      'unknown',
      `Entra ID P1 and the Face Check add-on (Entra Suite or standalone) are not readable by the bot; ${CONFIRM} (Verified ID overview, Licenses).`,
    ),
  ];
  const available = all.every((c) => c.outcome !== 'fail') && checks.every((c) => c.outcome === 'pass');
  return { available, ...(profile ? { profile: { id: profile.id, name: profile.name } } : {}), checks: all };
}

/** What choosePath weighs (spec §7.1). */
export interface PathInput {
  readonly scenario: Scenario;
  /** The earliest suspicious change triage found; undefined when the compromise window is unknown. */
  readonly compromiseStart?: string;
  /**
   * Whether a profile-photo change is visible in the window. The bot cannot read photo changes (spec §4, §8 q7: whether
   * `directoryAudits` records them was not found), so "none visible" is weak: it only counts when the window is known.
   */
  readonly photoChangeSeen: boolean;
  /** The target holds or can activate an admin role, or approves recoveries. */
  readonly privileged: boolean;
  /** Verified ID (the Request Service and an authority) is configured for the bot. */
  readonly verifiedIdConfigured: boolean;
  readonly accountRecovery: AccountRecoveryPrerequisites;
}

export type VerificationPath = 'verifiedId' | 'accountRecovery' | 'manual';

export interface PathChoice {
  readonly path: VerificationPath;
  /** Sentences the agent and approver can check, in the order they were weighed. */
  readonly reasons: readonly string[];
}

/**
 * Which way the caller proves who they are (spec §7.1). The tenant's VerifiedEmployee card only proves something when
 * it was issued before a known compromise from a photo the attacker did not set; otherwise Account Recovery (government
 * ID and Face Check through the tenant's identity-verification partner) is the better path, then an identity-verification
 * partner credential presented to the bot, then the manual path with its approvals.
 */
export function choosePath(input: PathInput): PathChoice {
  const reasons: string[] = [];
  const malicious = input.scenario === 'malicious';
  const windowKnown = input.compromiseStart !== undefined;
  const photoPossiblyChanged = malicious && (!windowKnown || input.photoChangeSeen);
  if (malicious) {
    reasons.push(
      windowKnown
        ? `The compromise began at ${input.compromiseStart ?? ''} (earliest suspicious change).`
        : 'The compromise window is unknown: no card can be shown to predate it.',
    );
    if (photoPossiblyChanged)
      reasons.push(
        input.photoChangeSeen
          ? 'A profile-photo change is visible in the window: a VerifiedEmployee card may carry the attacker\u2019s face.'
          : 'The profile photo may have been changed: the bot cannot read photo changes, and with an unknown window nothing rules it out.',
      );
    else reasons.push('No profile-photo change is visible in the known window (the audit log may not record one: confirm the photo with the user).');
  }
  if (input.privileged) reasons.push('The target is privileged: the strongest available proof is required.');
  const needsStrongerProof = photoPossiblyChanged || input.privileged;
  const ar = input.accountRecovery;
  const unknowns = ar.checks.filter((c) => c.outcome === 'unknown').map((c) => c.name);
  const arNote = ar.available
    ? `Account Recovery prerequisites hold${unknowns.length > 0 ? ` (not readable, confirm: ${unknowns.join(', ')})` : ''}.`
    : `Account Recovery is not available: ${
        ar.checks
          .filter((c) => c.outcome === 'fail')
          .map((c) => c.name)
          .join(', ') || 'profile not readable'
      }.`;
  if (needsStrongerProof) {
    reasons.push(arNote);
    if (ar.available) return { path: 'accountRecovery', reasons: [...reasons, 'The user recovers themselves with a government ID and Face Check.'] };
    if (input.verifiedIdConfigured)
      return {
        path: 'verifiedId',
        reasons: [...reasons, 'Verify with an identity-verification partner credential (government ID), not the tenant\u2019s VerifiedEmployee card.'],
      };
    return { path: 'manual', reasons: [...reasons, 'Verified ID is not configured: manual verification with the extra approvals.'] };
  }
  if (input.verifiedIdConfigured) {
    const revoke = malicious ? ' Revoke any card issued inside the window.' : '';
    return { path: 'verifiedId', reasons: [...reasons, `Verify with a VerifiedEmployee card issued before the incident.${revoke}`] };
  }
  reasons.push(arNote);
  if (ar.available) return { path: 'accountRecovery', reasons: [...reasons, 'Verified ID presentations are not configured for the bot; Account Recovery is.'] };
  return {
    path: 'manual',
    reasons: [...reasons, 'Identity verification is not available: the guidance allows a Temporary Access Pass after manual verification.'],
  };
}

/**
 * What the agent tells the user, in order (spec §6.1). The bot cannot start the recovery: the user does it from the
 * sign-in page on their own device.
 */
export function accountRecoveryInstructions(input: { readonly userPrincipalName: string; readonly organisation: string }): readonly string[] {
  return [
    `Go to https://myaccount.microsoft.com and sign in as ${input.userPrincipalName}; at the sign-in prompt choose "Other ways to sign in", then "Recover your account".`,
    'Read the information screen and continue: you are sent to the identity-verification provider chosen by ' + `${input.organisation}.`,
    'Follow the provider: scan its QR code with your phone, photograph your government ID, then take a selfie.',
    'Accept the Verified ID the provider issues into Microsoft Authenticator, and complete the quick Face Check there.',
    'You are shown a Temporary Access Pass: use it straight away at https://mysignins.microsoft.com/security-info to add a passkey (suggested) or another method.',
    'If the pass expires before you add a method, start again from "Recover your account". If the option is missing or your name does not match, tell the helpdesk.',
    'Nobody from the helpdesk will ask you for the pass or a code: do not read it out to anyone.',
  ];
}
