import type { Scenario } from './triage';
import type { AccountState, AuthMethod, MethodType } from './target';

/** The Graph request a step makes: shown to approvers on the plan card, so the plan is its own dry run. */
export interface GraphRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** beta endpoints are named, never hidden. */
  readonly version: 'v1.0' | 'beta';
}

export type PlanStep =
  | { readonly id: string; readonly kind: 'restoreUser'; readonly title: string; readonly request: GraphRequest; readonly destructive: true }
  | {
      readonly id: string;
      readonly kind: 'recreateUser';
      readonly title: string;
      readonly request: GraphRequest;
      readonly destructive: true;
      readonly prefill: RecreateProfile;
    }
  | {
      readonly id: string;
      readonly kind: 'pointInTimeRestore';
      readonly title: string;
      readonly request: GraphRequest;
      readonly destructive: true;
      readonly guided: true;
      readonly before: string;
    }
  /**
   * Lists the methods when it runs and deletes every one Graph can delete, so a method an attacker registers
   * between approval and execution is removed too. `preview` shows the deletions known when the plan was made.
   */
  | {
      readonly id: string;
      readonly kind: 'removeAllMethods';
      readonly title: string;
      readonly request: GraphRequest;
      readonly destructive: true;
      readonly preview: readonly GraphRequest[];
    }
  | { readonly id: string; readonly kind: 'revokeSessions'; readonly title: string; readonly request: GraphRequest; readonly destructive: true }
  | {
      readonly id: string;
      readonly kind: 'resetPassword';
      readonly title: string;
      readonly request: GraphRequest;
      readonly destructive: true;
      readonly secret: true;
    }
  | { readonly id: string; readonly kind: 'verifyIdentity'; readonly title: string; readonly destructive: false }
  | {
      readonly id: string;
      readonly kind: 'issueTap';
      readonly title: string;
      readonly request: GraphRequest;
      readonly destructive: true;
      readonly secret: true;
    }
  | { readonly id: string; readonly kind: 'checkMethods'; readonly title: string; readonly request: GraphRequest; readonly destructive: false };

export type PlanStepKind = PlanStep['kind'];
/** A step before it is numbered (Omit distributed over the union). */
type StepDraft = PlanStep extends infer S ? (S extends PlanStep ? Omit<S, 'id'> : never) : never;

export interface RecreateProfile {
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mailNickname: string;
  readonly jobTitle?: string;
  readonly department?: string;
}

/** The per-type collection for DELETE (the generic `methods/{id}` DELETE does not work; Graph spec §1.1). */
const COLLECTION: Partial<Record<MethodType, { path: string; version: 'v1.0' | 'beta'; suffix?: string }>> = {
  phone: { path: 'phoneMethods', version: 'v1.0' },
  email: { path: 'emailMethods', version: 'v1.0' },
  microsoftAuthenticator: { path: 'microsoftAuthenticatorMethods', version: 'v1.0' },
  fido2: { path: 'fido2Methods', version: 'v1.0' },
  windowsHelloForBusiness: { path: 'windowsHelloForBusinessMethods', version: 'v1.0' },
  platformCredential: { path: 'platformCredentialMethods', version: 'v1.0' },
  softwareOath: { path: 'softwareOathMethods', version: 'v1.0' },
  temporaryAccessPass: { path: 'temporaryAccessPassMethods', version: 'v1.0' },
  externalAuthentication: { path: 'externalAuthenticationMethods', version: 'v1.0', suffix: '/$ref' },
  hardwareOath: { path: 'hardwareOathMethods', version: 'beta' },
};

export const MOBILE_PHONE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
export const ALTERNATE_MOBILE_PHONE_ID = 'b6332ec1-7057-4abe-9331-3d72feddfe41';
export const OFFICE_PHONE_ID = 'e37fc753-ff3b-4958-9484-eaa9425c82bc';

export function deleteRequest(userId: string, method: AuthMethod): GraphRequest | undefined {
  if (method.type === 'qrCodePin') return { method: 'DELETE', path: `/users/${userId}/authentication/qrCodePinMethod`, version: 'beta' };
  const collection = COLLECTION[method.type];
  if (!collection) return undefined;
  return { method: 'DELETE', path: `/users/${userId}/authentication/${collection.path}/${method.id}${collection.suffix ?? ''}`, version: collection.version };
}

/**
 * Orders deletions so Graph accepts them: `alternateMobile` before `mobile` ("a user can't have an alternateMobile
 * number without a mobile number"), and the default MFA method last ("cannot delete default method with other
 * methods configured").
 */
export function deletionOrder(methods: readonly AuthMethod[], defaultMethodId: string | undefined): AuthMethod[] {
  const rank = (m: AuthMethod): number => {
    if (m.id === defaultMethodId) return 3;
    if (m.type === 'phone' && m.id === MOBILE_PHONE_ID) return 2;
    if (m.type === 'phone' && m.id === ALTERNATE_MOBILE_PHONE_ID) return 0;
    return 1;
  };
  return [...methods].sort((a, b) => rank(a) - rank(b));
}

/** Methods Graph cannot delete: the password (it is reset instead) and types with no delete endpoint. */
export function undeletableMethods(methods: readonly AuthMethod[], userId: string): AuthMethod[] {
  return methods.filter((m) => m.type === 'password' || !deleteRequest(userId, m));
}

export interface PlanInput {
  readonly scenario: Scenario;
  readonly account: AccountState;
  readonly methods: readonly AuthMethod[];
  readonly defaultMethodId?: string;
  /** The earliest disruptive change in the timeline: a point-in-time restore goes to just before it. */
  readonly firstChangeAt?: string;
  readonly recreate?: RecreateProfile;
}

/**
 * The guidance's playbooks as a list of steps.
 * Accidental: step 2 restore (soft-deleted → restore; present → Backup and Recovery to a point in time, guided
 * because its jobs are delegated-only; hard-deleted → recreate), step 3 check the methods, step 4 password and TAP.
 * Malicious: step 2 make sure the user exists, remove every method, revoke sessions; step 3 new password;
 * step 4 TAP, then confirm new methods appear. Identity verification is recorded before any secret is revealed
 * (the password included), because a social engineer on the phone is the threat the approval exists for.
 */
export function buildPlan(input: PlanInput): PlanStep[] {
  const steps: PlanStep[] = [];
  const id = (n: number): string => `s${String(n).padStart(2, '0')}`;
  const account = input.account;
  const userId = account.kind === 'hardDeleted' ? account.id : account.user.id;
  const add = (step: StepDraft): void => void steps.push({ ...step, id: id(steps.length + 1) });
  const methodsPath = (): GraphRequest => ({ method: 'GET', path: `/users/${userId}/authentication/methods`, version: 'v1.0' });

  if (account.kind === 'softDeleted') {
    add({
      kind: 'restoreUser',
      title: `Restore ${account.user.userPrincipalName} from deleted users`,
      request: { method: 'POST', path: `/directory/deletedItems/${userId}/restore`, version: 'v1.0' },
      destructive: true,
    });
  } else if (account.kind === 'hardDeleted') {
    const prefill = input.recreate ?? {
      displayName: account.displayName,
      userPrincipalName: account.userPrincipalName,
      mailNickname: account.userPrincipalName.split('@')[0] ?? 'user',
    };
    add({
      kind: 'recreateUser',
      title: `Recreate ${account.userPrincipalName} (hard-deleted; all methods must be registered anew)`,
      request: { method: 'POST', path: '/users', version: 'v1.0' },
      destructive: true,
      prefill,
    });
  } else if (input.scenario === 'accidental') {
    add({
      kind: 'pointInTimeRestore',
      title: `Restore ${account.user.userPrincipalName} to before ${input.firstChangeAt ?? 'the change'} with Entra Backup and Recovery (done by a Backup Administrator in the admin center)`,
      request: { method: 'POST', path: '/directory/recovery/snapshots/{snapshotId}/recoveryJobs', version: 'v1.0' },
      destructive: true,
      guided: true,
      before: input.firstChangeAt ?? '',
    });
  }

  if (input.scenario === 'malicious') {
    const deletable = input.methods.filter((m) => m.type !== 'password');
    const preview = deletionOrder(deletable, input.defaultMethodId).flatMap((m) => deleteRequest(userId, m) ?? []);
    add({
      kind: 'removeAllMethods',
      title:
        account.kind === 'active'
          ? `Remove every authentication method (${preview.length} now; any added later are removed too)`
          : 'Remove every authentication method found after the restore',
      request: methodsPath(),
      destructive: true,
      preview,
    });
    add({
      kind: 'revokeSessions',
      title: 'Revoke all sign-in sessions and refresh tokens',
      request: { method: 'POST', path: `/users/${userId}/revokeSignInSessions`, version: 'v1.0' },
      destructive: true,
    });
    add({
      kind: 'verifyIdentity',
      title: 'Record how the caller\u2019s identity was verified (required before any password or TAP is revealed)',
      destructive: false,
    });
    add({
      kind: 'resetPassword',
      title: 'Set a new password (generated, change forced at next sign-in), revealed only to the requesting agent',
      request: { method: 'PATCH', path: `/users/${userId}`, version: 'v1.0' },
      destructive: true,
      secret: true,
    });
    add({
      kind: 'issueTap',
      title: 'Issue a Temporary Access Pass for re-registration, revealed only to the requesting agent',
      request: { method: 'POST', path: `/users/${userId}/authentication/temporaryAccessPassMethods`, version: 'v1.0' },
      destructive: true,
      secret: true,
    });
    add({ kind: 'checkMethods', title: 'Confirm the newly registered methods appear', request: methodsPath(), destructive: false });
  } else {
    add({ kind: 'checkMethods', title: 'Check the recovered methods against the guidance\u2019s usability table', request: methodsPath(), destructive: false });
    add({
      kind: 'verifyIdentity',
      title: 'Record how the caller\u2019s identity was verified (required before any password or TAP is revealed; skip if neither is needed)',
      destructive: false,
    });
    add({
      kind: 'resetPassword',
      title: 'Set a new password (passwords are never recovered), revealed only to the requesting agent',
      request: { method: 'PATCH', path: `/users/${userId}`, version: 'v1.0' },
      destructive: true,
      secret: true,
    });
    add({
      kind: 'issueTap',
      title: 'Issue a Temporary Access Pass if the user needs one to sign in, revealed only to the requesting agent',
      request: { method: 'POST', path: `/users/${userId}/authentication/temporaryAccessPassMethods`, version: 'v1.0' },
      destructive: true,
      secret: true,
    });
  }
  return steps;
}

/**
 * The method behind `userPreferredMethodForSecondaryAuthentication` (registration details), which Graph refuses to
 * delete while others exist.
 */
export function defaultMethodId(preferred: string | undefined, methods: readonly AuthMethod[]): string | undefined {
  const finders: Record<string, (m: AuthMethod) => boolean> = {
    push: (m) => m.type === 'microsoftAuthenticator',
    sms: (m) => m.id === MOBILE_PHONE_ID,
    voiceMobile: (m) => m.id === MOBILE_PHONE_ID,
    voiceAlternateMobile: (m) => m.id === ALTERNATE_MOBILE_PHONE_ID,
    voiceOffice: (m) => m.id === OFFICE_PHONE_ID,
    oath: (m) => m.type === 'softwareOath' || m.type === 'hardwareOath',
  };
  const finder = preferred ? finders[preferred] : undefined;
  return finder ? methods.find(finder)?.id : undefined;
}

/** The guidance's usability table: what works after a restore. */
export const USABLE_AFTER_RESTORE: Readonly<Record<MethodType, boolean>> = {
  phone: true,
  email: true,
  password: false,
  microsoftAuthenticator: true,
  fido2: true,
  windowsHelloForBusiness: true,
  platformCredential: true,
  certificateBased: true,
  externalAuthentication: true,
  temporaryAccessPass: false,
  hardwareOath: true,
  softwareOath: true,
  qrCodePin: true,
  unknown: false,
};

/**
 * Steps that may be marked "not needed": in the accidental playbook the password, the TAP and the identity check that
 * guards them are "as needed" (guidance, accidental step 4); in the malicious playbook every step is required, except the
 * TAP once the user recovered through Entra ID Account Recovery, which issued them one (a second would replace it).
 */
export function isOptional(
  step: PlanStep,
  c: { readonly scenario?: { readonly value: Scenario }; readonly identityVerification?: { readonly kind?: string } },
): boolean {
  if (c.scenario?.value === 'accidental') return step.kind === 'resetPassword' || step.kind === 'issueTap' || step.kind === 'verifyIdentity';
  return step.kind === 'issueTap' && c.identityVerification?.kind === 'accountRecovery';
}
