import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import {
  HARD_DELETE_ACTION,
  ROLE,
  managesAuthenticationMethods,
  readable,
  type Readable,
  type ReadinessSnapshot,
  type RoleDefinitionInfo,
  type RoleHolder,
} from '../domain/readiness';
import type { Clock } from '../ports/clock';
import { DirectoryError } from '../ports/directory';
import type { ReadinessReader } from '../ports/readiness-reader';
import { toVerifiedIdProfileInfo, type GraphVerifiedIdProfile } from './account-recovery-mapping';
import { codeOf, needsOf, toDirectoryError, type GraphOperation } from './graph-errors';
import { graphRequest } from './graph-path';
import type { GraphRequestSpec } from './graph-request-types';
import { REQUESTS } from './graph-requests';
import { odataString, readAll } from './paging';
import { toCaPolicyInfo, toProtectedActionInfo, toRegistrationRow, toRoleDefinitionInfo, toRoleHolder, toTapPolicyInfo } from './readiness-mapping';

const NEEDS_PREMIUM = 'Microsoft Entra ID P1 or P2';
/** The whole registration report is read; a tenant larger than this is cut, and the counts say so through `rows`. */
const MAX_REGISTRATION_ROWS = 500_000;

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/**
 * The ReadinessReader on Microsoft Graph. Each source is read on its own: a 401/403 becomes "cannot read: needs X"
 * for the checks that use it, and any other Graph failure becomes "cannot read" with the safe message. Errors that
 * are not Graph's (bugs) propagate.
 */
export class GraphReadinessReader implements ReadinessReader {
  constructor(
    private readonly client: Client,
    private readonly baseUrl: string,
    private readonly clock: Clock,
  ) {}

  async read(): Promise<ReadinessSnapshot> {
    const readAt = this.clock.now().toISOString();
    const [registrations, roles, conditionalAccess, tapPolicy, hardDeleteAction, verifiedIdProfiles] = await Promise.all([
      this.attempt('read the registration report', async () =>
        (
          await readAll<Graph.UserRegistrationDetails>(
            this.client,
            () => graphRequest(this.client, REQUESTS.registrationDetailsList).get(),
            this.baseUrl,
            MAX_REGISTRATION_ROWS,
          )
        )
          .map(toRegistrationRow)
          .filter(defined),
      ),
      this.readRoles(),
      this.attempt('read Conditional Access policies', async () =>
        (
          await readAll<Graph.ConditionalAccessPolicy>(this.client, () => graphRequest(this.client, REQUESTS.conditionalAccessPoliciesList).get(), this.baseUrl)
        ).map(toCaPolicyInfo),
      ),
      this.attempt('read the Temporary Access Pass policy', async () =>
        toTapPolicyInfo((await graphRequest(this.client, REQUESTS.tapPolicyGet).get()) as Graph.TemporaryAccessPassAuthenticationMethodConfiguration),
      ),
      this.attempt('read protected actions', async () => {
        const query = {
          $filter: `name eq ${odataString(HARD_DELETE_ACTION)}`,
          $select: ['id', 'name', 'isAuthenticationContextSettable', 'authenticationContextId'],
        };
        const actions = await readAll<Graph.UnifiedRbacResourceAction>(
          this.client,
          () => graphRequest(this.client, REQUESTS.resourceActionsList, {}, query).get(),
          this.baseUrl,
        );
        const action = actions.find((a) => a.name?.toLowerCase() === HARD_DELETE_ACTION.toLowerCase());
        return action ? toProtectedActionInfo(action) : undefined;
      }),
      this.attempt('read Verified ID profiles', async () =>
        (await readAll<GraphVerifiedIdProfile>(this.client, () => graphRequest(this.client, REQUESTS.verifiedIdProfilesList).get(), this.baseUrl)).map(
          toVerifiedIdProfileInfo,
        ),
      ),
    ]);
    return { readAt, registrations, ...roles, conditionalAccess, tapPolicy, hardDeleteAction, verifiedIdProfiles };
  }

  /** Role definitions, then active assignments and PIM eligibilities of the roles that can manage methods. */
  private async readRoles(): Promise<Pick<ReadinessSnapshot, 'roleDefinitions' | 'activeAssignments' | 'eligibleAssignments'>> {
    const roleDefinitions = await this.attempt('read role definitions', async () =>
      (await readAll<Graph.UnifiedRoleDefinition>(this.client, () => graphRequest(this.client, REQUESTS.roleDefinitionsList).get(), this.baseUrl))
        .map(toRoleDefinitionInfo)
        .filter(defined),
    );
    if (!roleDefinitions.ok) return { roleDefinitions, activeAssignments: roleDefinitions, eligibleAssignments: roleDefinitions };
    const roleIds = managingRoleIds(roleDefinitions.value);
    const activeAssignments = await this.attempt('read role assignments', () => this.holders(REQUESTS.roleAssignmentsList, roleIds));
    const eligibleAssignments = await this.attempt('read PIM role eligibilities', () => this.holders(REQUESTS.roleEligibilitySchedulesList, roleIds));
    return { roleDefinitions, activeAssignments, eligibleAssignments };
  }

  private async holders(collection: GraphRequestSpec, roleIds: readonly string[]): Promise<RoleHolder[]> {
    const all: RoleHolder[] = [];
    // One role at a time: a handful of requests, and no burst against the directory's throttling.
    for (const roleId of roleIds) {
      const $filter = `roleDefinitionId eq ${odataString(roleId)}`;
      const page = await readAll<Graph.UnifiedRoleAssignment | Graph.UnifiedRoleEligibilitySchedule>(
        this.client,
        () => graphRequest(this.client, collection, {}, { $filter }).get(),
        this.baseUrl,
      );
      all.push(...page.map(toRoleHolder).filter(defined));
    }
    return all;
  }

  /** `needs`, on a 401/403, is what the registry gives for the request that was refused (or for the operation's requests). */
  private async attempt<T>(operation: GraphOperation, read: () => Promise<T>): Promise<Readable<T>> {
    try {
      return readable(await read());
    } catch (e) {
      if (!(e instanceof GraphError) && !(e instanceof DirectoryError)) throw e;
      const error = toDirectoryError(e, operation);
      if (error.failure !== 'denied') return { ok: false, reason: error.message };
      const premium = codeOf(e) === 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';
      return { ok: false, reason: error.message, needs: premium ? NEEDS_PREMIUM : needsOf(e, operation).permissions.join(' and ') };
    }
  }
}

/** The roles whose holders the checks count: every role that can manage methods, and always AA and PAA. */
function managingRoleIds(definitions: readonly RoleDefinitionInfo[]): string[] {
  return [
    ...new Set([
      ROLE.authenticationAdministrator,
      ROLE.privilegedAuthenticationAdministrator,
      ...definitions.filter(managesAuthenticationMethods).map((d) => d.id),
    ]),
  ];
}
