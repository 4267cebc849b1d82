import type { Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import { ErrorCode } from '../domain/errors';
import type { DirectoryRole, EligibleGroup } from '../domain/target';
import { graphRequest } from './graph-path';
import { REQUESTS } from './graph-requests';
import { isNotFound, toDirectoryError } from './graph-errors';
import { odataString, readAll } from './paging';

/** The operation's name in the bot's messages (graph-requests.ts `operations`). */
export const ELIGIBLE_GROUPS_OPERATION = 'list eligible group memberships';

/** Role names by definition id (GraphDirectory reads them once and keeps them). */
export type RoleNames = (ids: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/** True when Graph refused the read for want of the licence PIM needs: then the tenant has no PIM, and nobody is eligible. */
const licenceMissing = (e: unknown): boolean => toDirectoryError(e, ELIGIBLE_GROUPS_OPERATION).code === ErrorCode.DirectoryLicenseMissing;

/**
 * Groups the user is eligible to join or own through PIM for Groups, and the roles each holds. The eligibility
 * schedule instances are the ones in force now; the list requires a `$filter` on principalId or groupId
 * (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityscheduleinstances). An owner can add
 * itself as a member, so an eligible ownership counts like an eligible membership. A group's roles are its active
 * assignments and its PIM role eligibilities (only a role-assignable group has any). Without Entra ID P2 there is no
 * PIM: Graph answers with a licence error, and the user is eligible for nothing. Other failures go to the caller.
 */
export async function readEligibleGroups(client: Client, baseUrl: string, userId: string, roleNames: RoleNames): Promise<EligibleGroup[]> {
  let instances: Graph.PrivilegedAccessGroupEligibilityScheduleInstance[];
  try {
    instances = await readAll<Graph.PrivilegedAccessGroupEligibilityScheduleInstance>(
      client,
      () => graphRequest(client, REQUESTS.groupEligibilityInstancesList, {}, { $filter: `principalId eq ${odataString(userId)}` }).get(),
      baseUrl,
    );
  } catch (e) {
    if (licenceMissing(e)) return [];
    throw e;
  }
  const access = new Map<string, 'member' | 'owner'>();
  for (const i of instances) {
    if (!i.groupId) continue;
    if (i.accessId === 'owner' || !access.has(i.groupId)) access.set(i.groupId, i.accessId === 'owner' ? 'owner' : 'member');
  }
  const groups = await Promise.all([...access].map(([groupId, how]) => readGroup(client, baseUrl, groupId, how)));
  const found = groups.filter((g): g is Omit<EligibleGroup, 'roles'> & { roleIds: string[] } => g !== undefined);
  const names = await roleNames([...new Set(found.flatMap((g) => g.roleIds))]);
  return found.map(({ roleIds, ...g }) => ({
    ...g,
    roles: roleIds.map((id): DirectoryRole => ({
      roleDefinitionId: id,
      displayName: names.get(id) ?? id,
      via: 'pimGroup',
      assignment: 'eligible',
      group: g.displayName,
    })),
  }));
}

/** One eligible group: its name and the role definition ids it holds, active or eligible; undefined if it is gone. */
async function readGroup(
  client: Client,
  baseUrl: string,
  groupId: string,
  how: 'member' | 'owner',
): Promise<(Omit<EligibleGroup, 'roles'> & { roleIds: string[] }) | undefined> {
  let group: Graph.Group;
  try {
    group = (await graphRequest(client, REQUESTS.groupGet, { groupId }).get()) as Graph.Group;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const $filter = `principalId eq ${odataString(groupId)}`;
  const active = await readAll<Graph.UnifiedRoleAssignment>(client, () => graphRequest(client, REQUESTS.roleAssignmentsList, {}, { $filter }).get(), baseUrl);
  const eligible = await readAll<Graph.UnifiedRoleEligibilitySchedule>(
    client,
    () => graphRequest(client, REQUESTS.roleEligibilitySchedulesList, {}, { $filter }).get(),
    baseUrl,
  );
  const roleIds = [...new Set([...active, ...eligible].map((a) => a.roleDefinitionId ?? '').filter((id) => id !== ''))];
  return { id: groupId, displayName: group.displayName ?? groupId, access: how, roleIds };
}
