import type { JsonObject } from './json';
import { project } from './paging';
import type { DeletedUserRecord, TenantState, UserRecord } from './tenant-state';

/** What GET /users/{id} returns without $select (Graph v1.0's default property set). */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** Everything `$select` may ask for. */
export const SELECTABLE_USER_PROPERTIES = [
  ...DEFAULT_USER_PROPERTIES,
  'accountEnabled',
  'createdDateTime',
  'deletedDateTime',
  'department',
  'lastPasswordChangeDateTime',
  'mailNickname',
  'onPremisesSyncEnabled',
  'passwordProfile',
  'signInActivity',
  'signInSessionsValidFromDateTime',
  'usageLocation',
  'userType',
  'otherMails',
];

/** signInActivity computed from the sign-in log, so a simulated sign-in shows up on the user at once. */
export function signInActivity(state: TenantState, userId: string): JsonObject {
  let last: { at: string; id: string } | undefined;
  let success: { at: string; id: string } | undefined;
  let nonInteractive: { at: string; id: string } | undefined;
  const later = (a: { at: string } | undefined, at: string): boolean => !a || at > a.at;
  for (const s of state.signIns) {
    if (s.userId !== userId) continue;
    const entry = { at: s.createdDateTime, id: s.id };
    if (s.isInteractive && later(last, s.createdDateTime)) last = entry;
    if (!s.isInteractive && later(nonInteractive, s.createdDateTime)) nonInteractive = entry;
    if (s.status.errorCode === 0 && later(success, s.createdDateTime)) success = entry;
  }
  return {
    lastSignInDateTime: last?.at ?? null,
    lastSignInRequestId: last?.id ?? null,
    lastNonInteractiveSignInDateTime: nonInteractive?.at ?? null,
    lastNonInteractiveSignInRequestId: nonInteractive?.id ?? null,
    lastSuccessfulSignInDateTime: success?.at ?? null,
    lastSuccessfulSignInRequestId: success?.id ?? null,
  };
}

function allProperties(state: TenantState, u: UserRecord | DeletedUserRecord): JsonObject {
  return {
    businessPhones: u.businessPhones,
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle,
    mail: u.mail,
    mobilePhone: u.mobilePhone,
    officeLocation: u.officeLocation,
    preferredLanguage: u.preferredLanguage,
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
    accountEnabled: u.accountEnabled,
    createdDateTime: u.createdDateTime,
    deletedDateTime: 'deletedDateTime' in u ? u.deletedDateTime : null,
    department: u.department,
    lastPasswordChangeDateTime: u.lastPasswordChangeDateTime,
    mailNickname: u.mailNickname,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    passwordProfile: u.passwordReset
      ? {
          password: null,
          forceChangePasswordNextSignIn: u.passwordReset.forceChangePasswordNextSignIn,
          forceChangePasswordNextSignInWithMfa: u.passwordReset.forceChangePasswordNextSignInWithMfa,
        }
      : null,
    signInActivity: signInActivity(state, u.id),
    signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime,
    usageLocation: u.usageLocation,
    userType: u.userType,
    otherMails: u.otherMails,
  };
}

/** A user as GET /users returns it: the default set, or exactly the selected properties. */
export function userView(state: TenantState, u: UserRecord | DeletedUserRecord, select: readonly string[] | undefined): JsonObject {
  return project(allProperties(state, u), select ?? DEFAULT_USER_PROPERTIES);
}

/** A deleted user as deletedItems returns it: typed, and with deletedDateTime in the default set. */
export function deletedUserView(state: TenantState, u: DeletedUserRecord, select: readonly string[] | undefined): JsonObject {
  return { '@odata.type': '#microsoft.graph.user', ...project(allProperties(state, u), select ?? [...DEFAULT_USER_PROPERTIES, 'deletedDateTime']) };
}
