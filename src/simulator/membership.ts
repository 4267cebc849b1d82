import type { GroupRecord, RoleAssignmentRecord, TenantState } from './tenant-state';

/** Groups that list `principalId` directly as a member. */
export function directGroupsOf(state: TenantState, principalId: string): GroupRecord[] {
  return [...state.groups.values()].filter((g) => g.members.includes(principalId));
}

/**
 * Every group `principalId` belongs to, directly or through nested groups (what checkMemberGroups and
 * transitiveMemberOf answer). Breadth-first upwards; a membership cycle cannot loop because visited groups are kept.
 */
export function transitiveGroupIds(state: TenantState, principalId: string): Set<string> {
  const found = new Set<string>();
  const queue = [principalId];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const g of directGroupsOf(state, next)) {
      if (found.has(g.id)) continue;
      found.add(g.id);
      queue.push(g.id);
    }
  }
  return found;
}

export function directRoleAssignments(state: TenantState, principalId: string): RoleAssignmentRecord[] {
  return state.roleAssignments.filter((a) => a.principalId === principalId);
}

/**
 * Direct assignments plus those held through role-assignable groups, as beta transitiveRoleAssignments lists them:
 * an inherited assignment keeps the group as its principalId.
 */
export function transitiveRoleAssignments(state: TenantState, principalId: string): RoleAssignmentRecord[] {
  const viaGroups = [...transitiveGroupIds(state, principalId)].filter((id) => state.groups.get(id)?.isAssignableToRole === true);
  return [...directRoleAssignments(state, principalId), ...viaGroups.flatMap((id) => directRoleAssignments(state, id))];
}

export function roleDefinitionIdsOf(state: TenantState, principalId: string): Set<string> {
  return new Set(transitiveRoleAssignments(state, principalId).map((a) => a.roleDefinitionId));
}
