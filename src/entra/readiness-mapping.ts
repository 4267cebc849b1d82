import type * as Graph from '@microsoft/microsoft-graph-types';
import type { CaPolicyInfo, CaPolicyState, ProtectedActionInfo, RegistrationRow, RoleDefinitionInfo, RoleHolder, TapPolicyInfo } from '../domain/readiness';
import { toTapPolicy } from './report-mapping';

/** One row of the registration report; a row without an id or UPN names nobody and is dropped by the caller. */
export function toRegistrationRow(d: Graph.UserRegistrationDetails): RegistrationRow | undefined {
  if (!d.id || !d.userPrincipalName) return undefined;
  return {
    id: d.id,
    userPrincipalName: d.userPrincipalName,
    isAdmin: d.isAdmin ?? false,
    isMfaCapable: d.isMfaCapable ?? false,
    methodsRegistered: d.methodsRegistered ?? [],
    isGuest: d.userType === 'guest',
  };
}

export function toRoleDefinitionInfo(d: Graph.UnifiedRoleDefinition): RoleDefinitionInfo | undefined {
  if (!d.id) return undefined;
  return {
    id: d.id.toLowerCase(),
    displayName: d.displayName ?? d.id,
    isBuiltIn: d.isBuiltIn ?? false,
    allowedResourceActions: (d.rolePermissions ?? []).flatMap((p) => p.allowedResourceActions ?? []),
  };
}

export function toRoleHolder(a: Graph.UnifiedRoleAssignment | Graph.UnifiedRoleEligibilitySchedule): RoleHolder | undefined {
  if (!a.principalId || !a.roleDefinitionId) return undefined;
  return { principalId: a.principalId.toLowerCase(), roleDefinitionId: a.roleDefinitionId.toLowerCase() };
}

const STATES: readonly CaPolicyState[] = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'];

export function toCaPolicyInfo(p: Graph.ConditionalAccessPolicy): CaPolicyInfo {
  const users = p.conditions?.users;
  const apps = p.conditions?.applications;
  const strength = p.grantControls?.authenticationStrength;
  const state = STATES.find((s) => s === p.state) ?? 'disabled';
  return {
    id: p.id ?? '',
    displayName: p.displayName ?? p.id ?? 'unnamed policy',
    state,
    includeUsers: users?.includeUsers ?? [],
    includeGroups: users?.includeGroups ?? [],
    includeRoles: users?.includeRoles ?? [],
    exclusions: (users?.excludeUsers?.length ?? 0) + (users?.excludeGroups?.length ?? 0) + (users?.excludeRoles?.length ?? 0),
    includeApplications: apps?.includeApplications ?? [],
    includeUserActions: apps?.includeUserActions ?? [],
    includeAuthenticationContexts: apps?.includeAuthenticationContextClassReferences ?? [],
    builtInControls: p.grantControls?.builtInControls ?? [],
    ...(strength?.id ? { authenticationStrength: { id: strength.id, displayName: strength.displayName ?? strength.id } } : {}),
  };
}

export function toTapPolicyInfo(p: Graph.TemporaryAccessPassAuthenticationMethodConfiguration): TapPolicyInfo {
  const { enabled, defaultLifetimeInMinutes, minimumLifetimeInMinutes, maximumLifetimeInMinutes, isUsableOnce } = toTapPolicy(p);
  return { enabled, defaultLifetimeInMinutes, minimumLifetimeInMinutes, maximumLifetimeInMinutes, isUsableOnce };
}

export function toProtectedActionInfo(a: Graph.UnifiedRbacResourceAction): ProtectedActionInfo {
  return { name: a.name ?? '', ...(a.authenticationContextId ? { authenticationContextId: a.authenticationContextId } : {}) };
}
