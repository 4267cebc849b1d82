import type { GraphRequestSpec } from './graph-request-types';
import { odataString } from './paging';

/**
 * Every Graph request the bot makes, in one place: method, version, path, the query options and `$filter` forms it
 * sends, the body, the least privileged application permissions with the reference page they come from, whether the
 * client may repeat it, and what the bot uses it for. The adapter builds its URLs from these entries (graphPath), the
 * client refuses any request that matches none (graph-request-guard.ts), docs/deploy.md's permission table is
 * generated from them (`npm run docs:permissions`), and `npm run smoke` probes and checks what they name.
 *
 * Permissions were checked against the permissions table of each reference page (learn.microsoft.com/graph/api/...);
 * `note` says where the reference is ambiguous.
 */

const REF = 'https://learn.microsoft.com/graph/api/';
const BETA = '?view=graph-rest-beta';

/** The profile the intake card shows (graph-directory.ts). */
const PROFILE = ['id', 'displayName', 'userPrincipalName', 'accountEnabled', 'jobTitle', 'department', 'onPremisesSyncEnabled'] as const;

const P1_OR_P2 = 'Microsoft Entra ID P1 or P2';
const ADMIN_TARGET_ROLE = 'for a user holding an admin role the app also needs the Privileged Authentication Administrator role';
/**
 * The method pages now also list per-method permissions (UserAuthMethod-Phone.ReadWrite.All, UserAuthMethod-TAP.ReadWrite.All
 * ...; e.g. temporaryaccesspassauthenticationmethod-delete lists UserAuthMethod-TAP.ReadWrite.All as "higher" and
 * temporaryaccesspassauthenticationmethod-get lists UserAuthMethod-TAP.Read.All as least privileged). The bot removes
 * every type, so it asks for the one permission every method page accepts.
 */
const PER_METHOD_NOTE =
  'The reference now also lists per-method permissions (UserAuthMethod-<type>.ReadWrite.All); the bot removes every type, so it needs the one permission every method page accepts.';

const DELETE_OPERATIONS = ['delete authentication method', 'delete authentication methods'] as const;

/** DELETE of one method of one type (plan.deleteRequest builds the path; the generic methods/{id} DELETE does not work). */
function methodDelete(
  key: string,
  collection: string,
  page: string,
  version: 'v1.0' | 'beta' = 'v1.0',
  suffix = '',
  note = PER_METHOD_NOTE,
): GraphRequestSpec & { readonly operations: typeof DELETE_OPERATIONS } {
  return {
    id: `users.authentication.${collection}.delete`,
    method: 'DELETE',
    version,
    path: `/users/{userId}/authentication/${collection}${key === '' ? '' : `/{${key}}`}${suffix}`,
    query: {},
    paged: false,
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    directoryRole: ADMIN_TARGET_ROLE,
    reference: `${REF}${page}${version === 'beta' ? BETA : ''}`,
    note,
    mayRepeat: true,
    purpose: 'malicious playbook: remove every authentication method',
    operations: DELETE_OPERATIONS,
  };
}

const ENTRIES = {
  usersList: {
    id: 'users.list',
    method: 'GET',
    version: 'v1.0',
    path: '/users',
    query: { $top: true, $select: ['id', 'userPrincipalName'] },
    paged: false,
    permissions: ['User.Read.All'],
    reference: `${REF}user-list`,
    mayRepeat: true,
    purpose: '`npm run smoke`: users are readable, and one user id for the probes that need one',
    operations: [],
    smoke: { check: 'Read users', query: () => ({ $top: 1, $select: ['id', 'userPrincipalName'] }) },
  },
  usersGet: {
    id: 'users.get',
    method: 'GET',
    version: 'v1.0',
    path: '/users/{userKey}',
    // givenName/surname: Account Recovery matches them against the ID document (account-recovery checks).
    query: { $select: [...PROFILE, 'signInActivity', 'mailNickname', 'givenName', 'surname', 'otherMails'] },
    paged: false,
    permissions: ['User.Read.All'],
    reference: `${REF}user-get`,
    note:
      'Selecting signInActivity also needs AuditLog.Read.All and P1/P2, and works only on a user addressed by object id (Graph answers 400 for a UPN): ' +
      'a UPN is resolved first without it, and without the permission the bot reads the profile alone.',
    mayRepeat: true,
    purpose:
      'intake: the target, its account state and last sign-in; after a write whose answer was lost, whether the user is active; ' +
      'its alternate emails (otherMails), told of a recovery out of band',
    operations: ['read user'],
  },
  usersManagerGet: {
    id: 'users.manager.get',
    method: 'GET',
    version: 'v1.0',
    path: '/users/{userId}/manager',
    query: { $select: ['id', 'displayName', 'userPrincipalName'] },
    paged: false,
    permissions: ['User.Read.All'],
    reference: `${REF}user-list-manager`,
    note: 'A user without a manager answers 404 Request_ResourceNotFound ("Resource \'manager\' does not exist or one of its queried reference-property objects are not present.").',
    mayRepeat: true,
    purpose: 'intake: the target\u2019s manager, told of the recovery out of band (a 1:1 chat from the bot)',
    operations: ['read manager'],
  },
  usersSendMail: {
    id: 'users.sendMail',
    method: 'POST',
    version: 'v1.0',
    path: '/users/{sender}/sendMail',
    query: {},
    paged: false,
    body: 'microsoft.graph.sendMail',
    permissions: ['Mail.Send'],
    reference: `${REF}user-sendmail`,
    note:
      'Only with NOTIFY_MAIL_SENDER set. Mail.Send (application) can send as any mailbox in the tenant: limit it to the sender with Exchange Online ' +
      'RBAC for Applications or an application access policy. 202 Accepted is not delivery. A sender without an Exchange Online mailbox answers ' +
      '404 MailboxNotEnabledForRESTAPI; an unknown sender 404 ErrorInvalidUser.',
    mayRepeat: false,
    purpose: 'intake: tell the target at its alternate email that a recovery of its account was requested, and by whom',
    operations: ['send mail'],
  },
  usersCreate: {
    id: 'users.create',
    method: 'POST',
    version: 'v1.0',
    path: '/users',
    query: {},
    paged: false,
    body: 'microsoft.graph.user',
    permissions: ['User.ReadWrite.All'],
    reference: `${REF}user-post-users`,
    mayRepeat: false,
    purpose: 'accidental playbook: recreate a hard-deleted user',
    operations: ['create user'],
  },
  usersUpdatePassword: {
    id: 'users.update.passwordProfile',
    method: 'PATCH',
    version: 'v1.0',
    path: '/users/{userId}',
    query: {},
    paged: false,
    body: 'microsoft.graph.user (passwordProfile only)',
    permissions: ['User-PasswordProfile.ReadWrite.All'],
    higher: ['User.ReadWrite.All'],
    directoryRole:
      'the app also needs a directory role that may reset this user\u2019s password: User Administrator, or Privileged Authentication Administrator for a user holding an admin role',
    reference: `${REF}user-update`,
    note: 'User-PasswordProfile.ReadWrite.All is the least privileged permission to update passwordProfile (https://learn.microsoft.com/graph/whats-new-overview, January 2025); older revisions of user-update name User.ReadWrite.All.',
    // The same body sets the same password: whichever copy of a repeat lands last leaves the password the agent sees.
    mayRepeat: true,
    purpose: 'set a new password, change forced at next sign-in',
    operations: ['set password'],
  },
  usersRevokeSignInSessions: {
    id: 'users.revokeSignInSessions',
    method: 'POST',
    version: 'v1.0',
    path: '/users/{userId}/revokeSignInSessions',
    query: {},
    paged: false,
    permissions: ['User.RevokeSessions.All'],
    reference: `${REF}user-revokesigninsessions`,
    note: 'Older revisions of the reference listed Directory.ReadWrite.All for applications; the current one lists only User.RevokeSessions.All.',
    mayRepeat: true,
    purpose: 'malicious playbook: revoke sessions and refresh tokens',
    operations: ['revoke sessions'],
  },
  usersCheckMemberGroups: {
    id: 'users.checkMemberGroups',
    method: 'POST',
    version: 'v1.0',
    path: '/users/{userId}/checkMemberGroups',
    query: {},
    paged: false,
    body: 'checkMemberGroups parameters (groupIds, at most 20)',
    permissions: ['User.Read.All', 'GroupMember.Read.All'],
    higher: ['Directory.Read.All'],
    reference: `${REF}user-checkmembergroups`,
    mayRepeat: true,
    readOnly: true,
    purpose: 'who may request and approve (checked on every click), and Conditional Access policies that target groups',
    operations: ['check group membership'],
  },
  usersTransitiveMemberOf: {
    id: 'users.transitiveMemberOf.list',
    method: 'GET',
    version: 'v1.0',
    path: '/users/{userId}/transitiveMemberOf',
    query: {},
    paged: true,
    permissions: ['User.Read.All', 'GroupMember.Read.All'],
    higher: ['Directory.Read.All'],
    reference: `${REF}user-list-transitivememberof`,
    mayRepeat: true,
    purpose: 'intake: the role-assignable groups the target is in, whose PIM eligibilities make it a privileged target',
    operations: ['list directory roles'],
  },
  methodsList: {
    id: 'users.authentication.methods.list',
    method: 'GET',
    version: 'v1.0',
    path: '/users/{userId}/authentication/methods',
    query: {},
    paged: true,
    permissions: ['UserAuthenticationMethod.Read.All'],
    higher: ['UserAuthenticationMethod.ReadWrite.All'],
    reference: `${REF}authentication-list-methods`,
    mayRepeat: true,
    purpose: 'intake, plan, "check methods", validation, and the re-check after "remove every method" (v1.0 types)',
    operations: ['list authentication methods'],
    smoke: { check: "Read a user's authentication methods", needsUser: true },
  },
  hardwareOathMethodsList: {
    id: 'users.authentication.hardwareOathMethods.list',
    method: 'GET',
    version: 'beta',
    path: '/users/{userId}/authentication/hardwareOathMethods',
    query: {},
    paged: true,
    permissions: ['UserAuthenticationMethod.Read.All'],
    higher: ['UserAuthenticationMethod.ReadWrite.All'],
    reference: `${REF}authentication-list-hardwareoathmethods${BETA}`,
    note: 'v1.0 has no hardware OATH type, and the v1.0 methods list returns only v1.0 types: these tokens are listed through beta.',
    mayRepeat: true,
    purpose: 'the same reads, for hardware OATH tokens',
    operations: ['list authentication methods'],
  },
  tapCreate: {
    id: 'users.authentication.temporaryAccessPassMethods.create',
    method: 'POST',
    version: 'v1.0',
    path: '/users/{userId}/authentication/temporaryAccessPassMethods',
    query: {},
    paged: false,
    body: 'microsoft.graph.temporaryAccessPassAuthenticationMethod',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    directoryRole: ADMIN_TARGET_ROLE,
    reference: `${REF}authentication-post-temporaryaccesspassmethods`,
    note: PER_METHOD_NOTE,
    mayRepeat: false,
    purpose: 'issue the Temporary Access Pass',
    operations: ['create Temporary Access Pass'],
  },
  tapMethodsList: {
    id: 'users.authentication.temporaryAccessPassMethods.list',
    method: 'GET',
    version: 'v1.0',
    path: '/users/{userId}/authentication/temporaryAccessPassMethods',
    query: {},
    paged: false,
    permissions: ['UserAuthenticationMethod.Read.All'],
    higher: ['UserAuthenticationMethod.ReadWrite.All'],
    reference: `${REF}authentication-list-temporaryaccesspassmethods`,
    note:
      'Some revisions of the page name UserAuthMethod-TAP.Read.All as least privileged and UserAuthenticationMethod.Read.All as higher; ' +
      'the bot asks for the one read permission every method page accepts.',
    mayRepeat: true,
    purpose: 'after a TAP create whose answer was lost: the pass it may have made (deleted, nobody saw it), and the read-back',
    // Part of "create Temporary Access Pass", but a failure of it is always traced to it (failed-request.ts): the
    // operation's own advice stays the create's permission.
    operations: [],
  },
  phoneMethodsDelete: methodDelete('methodId', 'phoneMethods', 'phoneauthenticationmethod-delete'),
  emailMethodsDelete: methodDelete('methodId', 'emailMethods', 'emailauthenticationmethod-delete'),
  authenticatorMethodsDelete: methodDelete('methodId', 'microsoftAuthenticatorMethods', 'microsoftauthenticatorauthenticationmethod-delete'),
  fido2MethodsDelete: methodDelete('methodId', 'fido2Methods', 'fido2authenticationmethod-delete'),
  windowsHelloMethodsDelete: methodDelete('methodId', 'windowsHelloForBusinessMethods', 'windowshelloforbusinessauthenticationmethod-delete'),
  platformCredentialMethodsDelete: methodDelete('methodId', 'platformCredentialMethods', 'platformcredentialauthenticationmethod-delete'),
  softwareOathMethodsDelete: methodDelete('methodId', 'softwareOathMethods', 'softwareoathauthenticationmethod-delete'),
  tapMethodsDelete: methodDelete('methodId', 'temporaryAccessPassMethods', 'temporaryaccesspassauthenticationmethod-delete'),
  externalMethodsDelete: methodDelete('methodId', 'externalAuthenticationMethods', 'externalauthenticationmethod-delete', 'v1.0', '/$ref'),
  hardwareOathMethodsDelete: methodDelete('methodId', 'hardwareOathMethods', 'hardwareoathauthenticationmethod-delete', 'beta'),
  qrCodePinMethodDelete: methodDelete(
    '',
    'qrCodePinMethod',
    'authentication-delete-qrcodepinmethod',
    'beta',
    '',
    `${PER_METHOD_NOTE} v1.0 now documents this DELETE too (${REF}qrcodepinauthenticationmethod-delete); the bot still sends it to beta, where the plan shows it.`,
  ),
  deletedItemGet: {
    id: 'directory.deletedItems.get',
    method: 'GET',
    version: 'v1.0',
    path: '/directory/deletedItems/{objectId}',
    query: { $select: [...PROFILE, 'deletedDateTime'] },
    paged: false,
    permissions: ['User.Read.All'],
    reference: `${REF}directory-deleteditems-get`,
    mayRepeat: true,
    purpose: 'find a soft-deleted target named by object id',
    operations: ['read deleted users'],
  },
  deletedUsersList: {
    id: 'directory.deletedItems.user.list',
    method: 'GET',
    version: 'v1.0',
    path: '/directory/deletedItems/microsoft.graph.user',
    query: {
      $filter: ["endswith(userPrincipalName,'{upn}')", 'deletedDateTime ge {datetime}'],
      $count: true,
      $top: true,
      $select: [...PROFILE, 'deletedDateTime'],
    },
    paged: true,
    eventual: true,
    permissions: ['User.Read.All'],
    reference: `${REF}directory-deleteditems-list`,
    note: 'endswith and $count are advanced queries: sent with ConsistencyLevel: eventual.',
    mayRepeat: true,
    purpose: 'find a soft-deleted target named by UPN; bulk incidents: which deleted users can still be restored',
    operations: ['read deleted users', 'find the incident in the audit log'],
    smoke: { check: 'Read deleted users', query: () => ({ $top: 1, $select: ['id'] }) },
  },
  deletedItemRestore: {
    id: 'directory.deletedItems.restore',
    method: 'POST',
    version: 'v1.0',
    path: '/directory/deletedItems/{objectId}/restore',
    query: {},
    paged: false,
    permissions: ['User.DeleteRestore.All'],
    higher: ['User.ReadWrite.All'],
    directoryRole:
      'a user holding an admin role can be restored only by an app with a directory role that may manage it (Privileged Authentication Administrator or Global Administrator)',
    reference: `${REF}directory-deleteditems-restore`,
    note:
      'User.DeleteRestore.All is the least privileged permission to restore a deleted user (https://learn.microsoft.com/graph/whats-new-overview, January 2025); ' +
      'the per-resource table of some revisions of the page still names User.ReadWrite.All.',
    mayRepeat: true,
    purpose: 'restore a soft-deleted target; bulk incidents: restore the users an actor deleted',
    operations: ['restore user'],
  },
  roleAssignmentsList: {
    id: 'roleManagement.directory.roleAssignments.list',
    method: 'GET',
    version: 'v1.0',
    path: '/roleManagement/directory/roleAssignments',
    query: { $filter: ["principalId eq '{principalId}'", "roleDefinitionId eq '{roleDefinitionId}'"], $expand: ['roleDefinition'] },
    paged: true,
    permissions: ['RoleManagement.Read.Directory'],
    reference: `${REF}rbacapplication-list-roleassignments`,
    mayRepeat: true,
    purpose: "a target's directory roles (two privileged approvals); `readiness`: who can manage methods; `npm run smoke`: the app's own role",
    operations: ['list directory roles', 'read role assignments', 'list eligible group memberships'],
    smoke: { check: 'Read directory role assignments', needsUser: true, query: (u) => ({ $filter: `principalId eq ${odataString(u)}` }) },
  },
  transitiveRoleAssignmentsList: {
    id: 'roleManagement.directory.transitiveRoleAssignments.list',
    method: 'GET',
    version: 'beta',
    path: '/roleManagement/directory/transitiveRoleAssignments',
    query: { $filter: ["principalId eq '{principalId}'"], $count: true, $select: ['id', 'principalId', 'roleDefinitionId'] },
    paged: true,
    eventual: true,
    permissions: ['RoleManagement.Read.Directory'],
    reference: `${REF}rbacapplication-list-transitiveroleassignments${BETA}`,
    note: 'The reference lists $count, $filter (eq) and $select only, and requires ConsistencyLevel: eventual with $count: role names come from roleDefinitions, not $expand.',
    mayRepeat: true,
    purpose: 'roles held through role-assignable groups',
    operations: ['list directory roles'],
    smoke: { check: 'Read transitive role assignments (beta)', needsUser: true, query: (u) => ({ $filter: `principalId eq ${odataString(u)}`, $count: true }) },
  },
  roleDefinitionsList: {
    id: 'roleManagement.directory.roleDefinitions.list',
    method: 'GET',
    version: 'v1.0',
    path: '/roleManagement/directory/roleDefinitions',
    query: {},
    paged: true,
    permissions: ['RoleManagement.Read.Directory'],
    reference: `${REF}rbacapplication-list-roledefinitions`,
    mayRepeat: true,
    purpose: 'role names (read once); `readiness`: which roles can manage methods',
    operations: ['list directory roles', 'read role definitions'],
    note: 'The reference documents $filter and $expand only: no $top, so the smoke probe reads the first page.',
    smoke: { check: 'Read role definitions (readiness report)', optional: true },
  },
  roleEligibilitySchedulesList: {
    id: 'roleManagement.directory.roleEligibilitySchedules.list',
    method: 'GET',
    version: 'v1.0',
    path: '/roleManagement/directory/roleEligibilitySchedules',
    query: { $filter: ["roleDefinitionId eq '{roleDefinitionId}'", "principalId eq '{principalId}'"] },
    paged: true,
    permissions: ['RoleEligibilitySchedule.Read.Directory'],
    higher: ['RoleManagement.Read.Directory'],
    licence: 'Microsoft Entra ID P2',
    reference: `${REF}rbacapplication-list-roleeligibilityschedules`,
    mayRepeat: true,
    purpose: '`readiness`: permanent vs eligible (PIM) role holders; intake: roles the target is eligible for (a privileged target)',
    operations: ['read PIM role eligibilities', 'list directory roles', 'list eligible group memberships'],
    note: 'The reference documents $select, $filter and $expand: no $top, so the smoke probe reads the first page.',
    smoke: { check: 'Read PIM role eligibilities (readiness report)', optional: true },
  },
  groupEligibilityInstancesList: {
    id: 'identityGovernance.privilegedAccess.group.eligibilityScheduleInstances.list',
    method: 'GET',
    version: 'v1.0',
    path: '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances',
    query: { $filter: ["principalId eq '{principalId}'"] },
    paged: true,
    permissions: ['PrivilegedEligibilitySchedule.Read.AzureADGroup'],
    higher: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
    licence: 'Microsoft Entra ID P2',
    reference: `${REF}privilegedaccessgroup-list-eligibilityscheduleinstances`,
    note: 'The reference requires a $filter (eq) on principalId or groupId and documents $select, $filter and $expand: no $top, so the smoke probe reads the first page.',
    mayRepeat: true,
    purpose: 'intake: groups the target is eligible to join or own through PIM for Groups (their roles, and the bot\u2019s own groups, make it privileged)',
    operations: ['list eligible group memberships'],
    smoke: { check: 'Read PIM for Groups eligibilities', needsUser: true, query: (u) => ({ $filter: `principalId eq ${odataString(u)}` }) },
  },
  resourceActionsList: {
    id: 'roleManagement.directory.resourceNamespaces.resourceActions.list',
    method: 'GET',
    version: 'beta',
    path: '/roleManagement/directory/resourceNamespaces/microsoft.directory/resourceActions',
    query: { $filter: ["name eq '{name}'"], $select: ['id', 'name', 'isAuthenticationContextSettable', 'authenticationContextId'] },
    paged: true,
    permissions: ['RoleManagement.Read.Directory'],
    reference: `${REF}unifiedrbacresourcenamespace-list-resourceactions${BETA}`,
    mayRepeat: true,
    purpose: '`readiness`: is hard delete a protected action',
    operations: ['read protected actions'],
  },
  groupGet: {
    id: 'groups.get',
    method: 'GET',
    version: 'v1.0',
    path: '/groups/{groupId}',
    query: {},
    paged: false,
    permissions: ['GroupMember.Read.All'],
    reference: `${REF}group-get`,
    mayRepeat: true,
    purpose: '`npm run smoke`: each configured group id resolves; intake: the name of a group the target is eligible for through PIM for Groups',
    operations: ['list eligible group memberships'],
  },
  groupTransitiveMembersList: {
    id: 'groups.transitiveMembers.list',
    method: 'GET',
    version: 'v1.0',
    path: '/groups/{groupId}/transitiveMembers',
    query: { $select: ['id', 'displayName'] },
    paged: true,
    permissions: ['GroupMember.Read.All'],
    reference: `${REF}group-list-transitivemembers`,
    mayRepeat: true,
    purpose: 'the approvers to @mention',
    operations: ['list group members'],
  },
  directoryAuditsList: {
    id: 'auditLogs.directoryAudits.list',
    method: 'GET',
    version: 'v1.0',
    path: '/auditLogs/directoryAudits',
    query: {
      $filter: [
        "targetResources/any(t: t/id eq '{userId}') and activityDateTime ge {datetime}",
        "activityDisplayName eq 'Hard Delete user' and activityDateTime ge {datetime}",
        "activityDisplayName eq 'Hard Delete user' and activityDateTime ge {datetime} and targetResources/any(t: t/id eq '{userId}')",
        "activityDateTime ge {datetime} and activityDateTime le {datetime} and initiatedBy/user/userPrincipalName eq '{upn}'",
        "activityDateTime ge {datetime} and activityDateTime le {datetime} and (initiatedBy/user/id eq '{id}' or initiatedBy/app/appId eq '{id}')",
      ],
      $top: true,
    },
    paged: true,
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    reference: `${REF}directoryaudit-list`,
    note: 'The reference lists "AuditLog.Read.All and Directory.Read.All" as the least privileged application permissions: both are needed.',
    mayRepeat: true,
    purpose: "triage: who changed the target's methods; hard-deleted users; bulk incidents: what an actor did in a window",
    operations: ['read audit log', 'search audit log for deleted users', 'find the incident in the audit log'],
    smoke: { check: 'Read audit logs', query: () => ({ $top: 1 }) },
  },
  signInsList: {
    id: 'auditLogs.signIns.list',
    method: 'GET',
    version: 'v1.0',
    path: '/auditLogs/signIns',
    query: { $filter: ["userId eq '{userId}' and createdDateTime ge {datetime}"], $top: true },
    paged: true,
    permissions: ['AuditLog.Read.All'],
    higher: ['Directory.Read.All'],
    licence: P1_OR_P2,
    reference: `${REF}signin-list`,
    note: 'Directory.Read.All is listed only as a higher alternative.',
    mayRepeat: true,
    purpose: 'triage (risky sign-ins) and validation (a successful sign-in after the recovery)',
    operations: ['read sign-ins'],
    smoke: { check: 'Read sign-in logs', query: () => ({ $top: 1 }) },
  },
  registrationDetailsGet: {
    id: 'reports.authenticationMethods.userRegistrationDetails.get',
    method: 'GET',
    version: 'v1.0',
    path: '/reports/authenticationMethods/userRegistrationDetails/{userId}',
    query: {},
    paged: false,
    permissions: ['AuditLog.Read.All'],
    licence: P1_OR_P2,
    reference: `${REF}userregistrationdetails-get`,
    mayRepeat: true,
    purpose: 'validation: MFA and SSPR registration; the default method, deleted last',
    operations: ['read registration details'],
  },
  registrationDetailsList: {
    id: 'reports.authenticationMethods.userRegistrationDetails.list',
    method: 'GET',
    version: 'v1.0',
    path: '/reports/authenticationMethods/userRegistrationDetails',
    query: {},
    paged: true,
    permissions: ['AuditLog.Read.All'],
    licence: P1_OR_P2,
    reference: `${REF}authenticationmethodsroot-list-userregistrationdetails`,
    mayRepeat: true,
    purpose: '`readiness`: methods per user, phishing-resistant methods, MFA-capable share',
    operations: ['read the registration report'],
    note: 'The reference documents $filter and $orderby only: no $top, so the smoke probe reads the first page.',
    smoke: { check: 'Read the registration report' },
  },
  conditionalAccessPoliciesList: {
    id: 'identity.conditionalAccess.policies.list',
    method: 'GET',
    version: 'v1.0',
    path: '/identity/conditionalAccess/policies',
    query: {},
    paged: true,
    permissions: ['Policy.Read.All'],
    reference: `${REF}conditionalaccessroot-list-policies`,
    mayRepeat: true,
    purpose: 'validation: which Conditional Access policies apply; `readiness`: MFA for all, registration, authentication strengths',
    operations: ['read Conditional Access policies'],
    smoke: { check: 'Read Conditional Access policies' },
  },
  tapPolicyGet: {
    id: 'policies.authenticationMethodsPolicy.temporaryAccessPass.get',
    method: 'GET',
    version: 'v1.0',
    path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass',
    query: {},
    paged: false,
    permissions: ['Policy.Read.AuthenticationMethod'],
    higher: ['Policy.ReadWrite.AuthenticationMethod'],
    reference: `${REF}temporaryaccesspassauthenticationmethodconfiguration-get`,
    note: 'Policy.Read.All is not listed for this request.',
    mayRepeat: true,
    purpose: "the TAP offered must fit the tenant's TAP policy; `readiness`: TAP lifetimes",
    operations: ['read Temporary Access Pass policy', 'read the Temporary Access Pass policy'],
    // Account Recovery also reads its includeTargets/excludeTargets: the users it may issue a pass to (Directory.tapScope).
  },
  verifiedIdProfilesList: {
    id: 'identity.verifiedId.profiles.list',
    method: 'GET',
    version: 'v1.0',
    path: '/identity/verifiedId/profiles',
    query: {},
    paged: true,
    permissions: ['VerifiedId-Profile.Read.All'],
    reference: `${REF}identityverifiedidroot-list-profiles`,
    note: 'The reference lists no higher application permission and no optional query parameters; creating a profile is delegated only.',
    mayRepeat: true,
    purpose: 'Account Recovery: a recovery profile is enabled, in Production and has Face Check; `readiness`: the same',
    operations: ['read Verified ID profiles'],
    smoke: { check: 'Read Verified ID profiles', optional: true, neededBy: 'the readiness report and the Account Recovery checks' },
  },
  verifiableCredentialsPolicyGet: {
    id: 'policies.authenticationMethodsPolicy.verifiableCredentials.get',
    method: 'GET',
    version: 'v1.0',
    path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/VerifiableCredentials',
    query: {},
    paged: false,
    permissions: ['Policy.Read.AuthenticationMethod'],
    higher: ['Policy.ReadWrite.AuthenticationMethod'],
    reference: `${REF}verifiablecredentialsauthenticationmethodconfiguration-get`,
    note:
      'A Verified ID profile has no groups of its own (msgraph-metadata verifiedIdProfile): who may use it is this configuration\u2019s includeTargets ' +
      '(verifiableCredentialAuthenticationMethodTarget.verifiedIdProfiles) and excludeTargets.',
    mayRepeat: true,
    purpose: 'Account Recovery: whether the user is in a group included for the recovery profile and in no excluded one',
    operations: ['read the Verified ID method policy'],
    smoke: { check: 'Read the Verified ID method policy', optional: true, neededBy: 'the Account Recovery checks' },
  },
  batchV1: {
    id: '$batch',
    method: 'POST',
    version: 'v1.0',
    path: '/$batch',
    query: {},
    paged: false,
    body: 'JSON batch (at most 20 requests, each one of the entries here, relative to v1.0)',
    permissions: [],
    reference: 'https://learn.microsoft.com/graph/json-batching',
    note: 'Needs no permission of its own: each inner request needs its own, and is checked against this registry too.',
    mayRepeat: false,
    purpose: "a user's methods with the registration report in one round trip; method deletions as a chain; bulk restores",
    operations: [],
  },
  batchBeta: {
    id: 'beta.$batch',
    method: 'POST',
    version: 'beta',
    path: '/$batch',
    query: {},
    paged: false,
    body: 'JSON batch (at most 20 requests, each one of the entries here, relative to beta)',
    permissions: [],
    reference: 'https://learn.microsoft.com/graph/json-batching',
    note: 'A batch goes to one version; beta deletions (hardware OATH, QR code PIN) go in a batch of their own.',
    mayRepeat: false,
    purpose: 'beta method deletions as a chain',
    operations: [],
  },
} as const satisfies Record<string, GraphRequestSpec>;

export type GraphRequestKey = keyof typeof ENTRIES;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The registry by key, frozen. */
export const REQUESTS: Readonly<Record<GraphRequestKey, GraphRequestSpec>> = deepFreeze(ENTRIES);
/** Every entry, in order. */
export const ALL_REQUESTS: readonly GraphRequestSpec[] = Object.freeze(Object.values(REQUESTS));

/** The wording the bot's messages use for what it was doing; each names at least one request. */
export type GraphOperation = (typeof ENTRIES)[GraphRequestKey]['operations'][number];
export const GRAPH_OPERATIONS: readonly GraphOperation[] = Object.freeze([...new Set(ALL_REQUESTS.flatMap((r) => r.operations as readonly GraphOperation[]))]);

/** The requests an operation sends. */
export function requestsOf(operation: GraphOperation): GraphRequestSpec[] {
  return ALL_REQUESTS.filter((r) => r.operations.includes(operation));
}

/**
 * The application permissions to grant: every request's least privileged permissions, once each, in registry order.
 * A permission another one in the set implies (User.Read.All and User.ReadWrite.All) stays listed: each request
 * names what it needs, and a customer who never recreates users can leave out the write.
 */
export const PERMISSIONS_TO_GRANT: readonly string[] = Object.freeze([...new Set(ALL_REQUESTS.flatMap((r) => r.permissions))]);

/** Whether a request changes the directory (so `npm run smoke` can only look for its permission in the token). */
export function isWrite(spec: GraphRequestSpec): boolean {
  return spec.method !== 'GET' && spec.readOnly !== true && spec.permissions.length > 0;
}
