import { z } from 'zod';
import { methodForDefault } from './default-method';
import { PHONE_METHOD_IDS, TenantSeedShape, type ParsedSeed, type SeedMethod, type SeedUser } from './seed-schema';

/**
 * A seed's cross-references, which the shape alone cannot express: unique ids and UPNs, members and principals that
 * exist, phones with their fixed ids and in Graph's order, and a default method that points at a registered method.
 */
function checkReferences(seed: ParsedSeed, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
  const userIds = new Set<string>();
  const upns = new Set<string>();
  seed.users.forEach((u, i) => {
    if (userIds.has(u.id)) issue(['users', i, 'id'], `duplicate user id ${u.id}`);
    userIds.add(u.id);
    if (upns.has(u.userPrincipalName.toLowerCase())) issue(['users', i, 'userPrincipalName'], `duplicate UPN ${u.userPrincipalName}`);
    upns.add(u.userPrincipalName.toLowerCase());
    checkUserMethods(u, (path, message) => issue(['users', i, ...path], message));
  });
  const groupIds = new Set(seed.groups.map((g) => g.id));
  seed.groups.forEach((g, i) =>
    g.members.forEach((m, j) => {
      if (!userIds.has(m) && !groupIds.has(m)) issue(['groups', i, 'members', j], `unknown member ${m}`);
    }),
  );
  const roleIds = new Set(seed.roleDefinitions.map((r) => r.id));
  seed.roleAssignments.forEach((a, i) => {
    if (!roleIds.has(a.roleDefinitionId)) issue(['roleAssignments', i, 'roleDefinitionId'], `unknown role definition ${a.roleDefinitionId}`);
    if (!userIds.has(a.principalId) && !groupIds.has(a.principalId) && a.principalId !== seed.callerApp.servicePrincipalId)
      issue(['roleAssignments', i, 'principalId'], `unknown principal ${a.principalId}`);
  });
  seed.roleEligibilitySchedules.forEach((e, i) => {
    if (!roleIds.has(e.roleDefinitionId)) issue(['roleEligibilitySchedules', i, 'roleDefinitionId'], `unknown role definition ${e.roleDefinitionId}`);
    if (!userIds.has(e.principalId) && !groupIds.has(e.principalId))
      issue(['roleEligibilitySchedules', i, 'principalId'], `unknown principal ${e.principalId}`);
  });
  seed.groupEligibilitySchedules.forEach((e, i) => {
    if (!groupIds.has(e.groupId)) issue(['groupEligibilitySchedules', i, 'groupId'], `unknown group ${e.groupId}`);
    if (!userIds.has(e.principalId) && !groupIds.has(e.principalId))
      issue(['groupEligibilitySchedules', i, 'principalId'], `unknown principal ${e.principalId}`);
  });
  const contexts = new Set(seed.authenticationContexts.map((c) => c.id));
  for (const [action, context] of Object.entries(seed.protectedActions)) {
    if (!contexts.has(context)) issue(['protectedActions', action], `unknown authentication context ${context}`);
  }
  seed.conditionalAccessPolicies.forEach((p, i) =>
    p.conditions.applications.includeAuthenticationContextClassReferences.forEach((c, j) => {
      if (!contexts.has(c))
        issue(
          ['conditionalAccessPolicies', i, 'conditions', 'applications', 'includeAuthenticationContextClassReferences', j],
          `unknown authentication context ${c}`,
        );
    }),
  );
  seed.signIns.forEach((s, i) => {
    if (!userIds.has(s.userId)) issue(['signIns', i, 'userId'], `unknown user ${s.userId}`);
  });
  seed.verifiedIdProfiles.forEach((p, i) => {
    for (const key of ['includeGroups', 'excludeGroups'] as const)
      p[key].forEach((g, j) => {
        if (g !== 'all_users' && !groupIds.has(g)) issue(['verifiedIdProfiles', i, key, j], `unknown group ${g}`);
      });
  });
}

type Issue = (path: (string | number)[], message: string) => void;

/** The rules every list of methods obeys, the current one and each backup snapshot alike. */
function checkMethodList(methods: readonly SeedMethod[], issue: Issue): void {
  const ids = new Set<string>();
  methods.forEach((m, j) => {
    if (ids.has(m.id)) issue(['methods', j, 'id'], `duplicate method id ${m.id}`);
    ids.add(m.id);
    if (m.type === 'phone' && m.id !== PHONE_METHOD_IDS[m.phoneType])
      issue(['methods', j, 'id'], `a ${m.phoneType} phone method always has id ${PHONE_METHOD_IDS[m.phoneType]}`);
  });
  const phones = methods.filter((m) => m.type === 'phone');
  for (const phoneType of ['mobile', 'alternateMobile', 'office'] as const) {
    if (phones.filter((p) => p.phoneType === phoneType).length > 1) issue(['methods'], `more than one ${phoneType} phone`);
  }
  if (phones.some((p) => p.phoneType === 'alternateMobile') && !phones.some((p) => p.phoneType === 'mobile'))
    issue(['methods'], "a user can't have an alternateMobile number without a mobile number");
  if (methods.filter((m) => m.type === 'email').length > 1) issue(['methods'], 'at most one email method per user');
  if (methods.filter((m) => m.type === 'temporaryAccessPass').length > 1) issue(['methods'], 'at most one Temporary Access Pass per user');
  if (methods.filter((m) => m.type === 'qrCodePin').length > 1) issue(['methods'], 'at most one QR code PIN method per user');
}

function checkUserMethods(u: SeedUser, issue: Issue): void {
  checkMethodList(u.methods, issue);
  const snapshots = u.backup === undefined ? [] : Array.isArray(u.backup) ? u.backup : [u.backup];
  snapshots.forEach((snapshot, k) =>
    checkMethodList(snapshot.methods, (path, message) => issue(Array.isArray(u.backup) ? ['backup', k, ...path] : ['backup', ...path], message)),
  );
  const preferred = u.userPreferredMethodForSecondaryAuthentication;
  if (preferred !== 'none' && methodForDefault(preferred, u.methods) < 0) {
    issue(['userPreferredMethodForSecondaryAuthentication'], `"${preferred}" needs a matching registered method`);
  }
}

/** The full seed schema: shape plus cross-references. */
export const TenantSeedSchema = TenantSeedShape.superRefine(checkReferences);
