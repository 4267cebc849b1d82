import type * as Graph from '@microsoft/microsoft-graph-types';

/** Who the user is for Conditional Access: the id, and the groups and directory roles among those the policies name. */
export interface CaSubject {
  readonly userId: string;
  readonly groupIds: ReadonlySet<string>;
  readonly roleIds: ReadonlySet<string>;
}

const REPORT_ONLY = 'enabledForReportingButNotEnforced';

/** Enforced policies, and report-only ones (shown with a suffix so nobody mistakes them for enforced). */
export function activePolicies(policies: readonly Graph.ConditionalAccessPolicy[]): Graph.ConditionalAccessPolicy[] {
  return policies.filter((p) => p.state === 'enabled' || p.state === REPORT_ONLY);
}

/** The group ids the policies include or exclude: the only ones whose membership matters. */
export function groupsNamed(policies: readonly Graph.ConditionalAccessPolicy[]): string[] {
  return unique(policies.flatMap((p) => [...(p.conditions?.users?.includeGroups ?? []), ...(p.conditions?.users?.excludeGroups ?? [])]));
}

export function rolesNamed(policies: readonly Graph.ConditionalAccessPolicy[]): string[] {
  return unique(policies.flatMap((p) => [...(p.conditions?.users?.includeRoles ?? []), ...(p.conditions?.users?.excludeRoles ?? [])]));
}

/**
 * Whether the policy's user conditions cover the user: included as All, by id, through a group or a role, and not
 * excluded by id, group or role (an exclusion always wins, as in Entra). Guest and external-user conditions are not
 * evaluated: the recovered users are members.
 */
export function includesUser(policy: Graph.ConditionalAccessPolicy, subject: CaSubject): boolean {
  const users = policy.conditions?.users;
  if (!users) return false;
  const any = (ids: readonly string[] | undefined, set: ReadonlySet<string>): boolean => (ids ?? []).some((id) => set.has(id));
  const self = subject.userId.toLowerCase();
  const named = (ids: readonly string[] | undefined): boolean => (ids ?? []).some((id) => id.toLowerCase() === self);
  const included =
    (users.includeUsers ?? []).includes('All') ||
    named(users.includeUsers) ||
    any(users.includeGroups, subject.groupIds) ||
    any(users.includeRoles, subject.roleIds);
  const excluded = named(users.excludeUsers) || any(users.excludeGroups, subject.groupIds) || any(users.excludeRoles, subject.roleIds);
  return included && !excluded;
}

export function policyLabel(policy: Graph.ConditionalAccessPolicy): string {
  const name = policy.displayName ?? policy.id ?? 'unnamed policy';
  return policy.state === REPORT_ONLY ? `${name} (report-only)` : name;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
