import { randomUUID } from 'node:crypto';
import type { RouteContext } from './http-types';
import type { AuditRecord } from './tenant-state';

export interface AuditTarget {
  readonly id: string;
  readonly displayName: string | null;
  readonly userPrincipalName: string | null;
  readonly modifiedProperties?: readonly { displayName: string; oldValue: string | null; newValue: string | null }[];
}

export interface AuditInput {
  readonly activityDisplayName: string;
  /** 'Account Recovery' is a guess: the service of those events was not found (shared/spec/verified-id.md §6.3). */
  readonly loggedByService: 'Core Directory' | 'Authentication Methods' | 'Device Registration Service' | 'Account Recovery';
  readonly operationType: 'Add' | 'Update' | 'Delete';
  readonly target: AuditTarget;
  readonly resultReason?: string;
  /** Default success. */
  readonly result?: 'success' | 'failure';
  readonly additionalDetails?: readonly { key: string; value: string }[];
  /** Who made the change. Default: the seed's calling app (the bot). */
  readonly initiatedBy?: AuditRecord['initiatedBy'];
}

/** What writing an audit record needs: a route's context, or the control endpoints' equivalent. */
export type AuditContext = Pick<RouteContext, 'tenant' | 'now' | 'clientRequestId'>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A modified property as Entra writes it: old and new values JSON-encoded. */
export function modified(displayName: string, oldValue: unknown, newValue: unknown): { displayName: string; oldValue: string | null; newValue: string | null } {
  return {
    displayName,
    oldValue: oldValue === undefined ? null : JSON.stringify(oldValue),
    newValue: newValue === undefined ? null : JSON.stringify(newValue),
  };
}

/**
 * Appends the audit record Entra writes for a change made through Graph by the calling app (or by `initiatedBy`).
 * The correlation id is the caller's client-request-id, so a client can find the records of its own calls.
 */
export function writeAudit(ctx: AuditContext, input: AuditInput): AuditRecord {
  const app = ctx.tenant.callerApp;
  const record: AuditRecord = {
    id: `${input.loggedByService === 'Authentication Methods' ? 'SSGM' : 'Directory'}_${randomUUID()}`,
    activityDateTime: ctx.now.toISOString(),
    activityDisplayName: input.activityDisplayName,
    category: 'UserManagement',
    loggedByService: input.loggedByService,
    operationType: input.operationType,
    result: input.result ?? 'success',
    resultReason: input.resultReason ?? '',
    correlationId: GUID.test(ctx.clientRequestId) ? ctx.clientRequestId : randomUUID(),
    initiatedBy: input.initiatedBy ?? {
      app: { appId: app.appId, displayName: app.displayName, servicePrincipalId: app.servicePrincipalId, servicePrincipalName: null },
    },
    targetResources: [
      {
        id: input.target.id,
        displayName: input.target.displayName,
        type: 'User',
        userPrincipalName: input.target.userPrincipalName,
        groupType: null,
        modifiedProperties: [...(input.target.modifiedProperties ?? [])],
      },
    ],
    additionalDetails: [...(input.additionalDetails ?? [])],
  };
  ctx.tenant.audits.push(record);
  return record;
}
