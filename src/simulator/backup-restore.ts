import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { modified, writeAudit } from './audit-writer';
import { GraphHttpError } from './errors';
import { methodLabel } from './method-catalog';
import { methodsOf, type AuditRecord, type BackupSnapshot, type StoredMethod, type TenantState, type UserRecord } from './tenant-state';

/** Microsoft Entra Backup and Recovery keeps daily backups for 5 days. */
export const BACKUP_RETENTION_DAYS = 5;
const DAY_MS = 86_400_000;

export const RestoreBodySchema = z.object({ snapshotBefore: z.string().datetime({ offset: true }).optional() }).strict();

/**
 * Who the recovery job's audit records name. A recovery job is started by a Backup Administrator (its Graph API is
 * delegated-only); which initiator Entra actually writes for the job's changes is UNVERIFIED.
 */
const RECOVERY_SERVICE: AuditRecord['initiatedBy'] = {
  app: { appId: null, displayName: 'Microsoft Entra Backup and Recovery', servicePrincipalId: null, servicePrincipalName: null },
};

export interface RestoreOutcome {
  /** Ids of the methods re-added, in the snapshot's order; empty when nothing was missing. */
  readonly restored: string[];
  readonly snapshotAt: string;
  readonly recoveryJobId: string;
}

/** The snapshot a restore uses: the latest one taken before `before` (default: the latest so far) and still kept. */
export function snapshotFor(state: TenantState, userId: string, before: Date | undefined, now: Date): BackupSnapshot | undefined {
  const oldest = now.getTime() - BACKUP_RETENTION_DAYS * DAY_MS;
  const limit = before ? before.getTime() : now.getTime() + 1;
  return (state.backups.get(userId) ?? []).filter((s) => Date.parse(s.snapshotAt) >= oldest && Date.parse(s.snapshotAt) < limit).at(-1);
}

/** Backup and Recovery never brings back a password or a Temporary Access Pass. */
function recoverable(m: StoredMethod): boolean {
  return m.type !== 'password' && m.type !== 'temporaryAccessPass';
}

/**
 * Whether the user still has the method: same id and type (phones have a fixed id per phone type). The single email
 * and QR code PIN methods count as present when the user has one, so a restore never makes a second.
 */
function present(current: readonly StoredMethod[], m: StoredMethod): boolean {
  return current.some((c) => c.type === m.type && (c.id === m.id || m.type === 'email' || m.type === 'qrCodePin'));
}

/**
 * Plays a recovery job scoped to one user: every recoverable snapshot method the user no longer has comes back with
 * its id and properties. Methods added after the snapshot stay (the job restores attributes, it does not delete), and
 * a method the user still has is left as it is now. Writes one "Update user" record when anything came back.
 */
export function restoreFromBackup(state: TenantState, user: UserRecord, before: Date | undefined, now: Date): RestoreOutcome {
  const snapshot = snapshotFor(state, user.id, before, now);
  if (!snapshot) {
    const when = before ? `before ${before.toISOString()}` : 'yet';
    throw new GraphHttpError(
      409,
      'conflict',
      `No backup of user '${user.id}' was taken ${when} within the last ${BACKUP_RETENTION_DAYS} days (Entra keeps daily backups for ${BACKUP_RETENTION_DAYS} days).`,
    );
  }
  const list = methodsOf(state, user.id);
  const missing = snapshot.methods.filter((m) => recoverable(m) && !present(list, m)).map((m) => structuredClone(m));
  const recoveryJobId = randomUUID();
  if (missing.length > 0) {
    list.push(...missing);
    user.registrationUpdatedDateTime = now.toISOString();
    writeAudit(
      { tenant: state, now, clientRequestId: recoveryJobId },
      {
        activityDisplayName: 'Update user',
        loggedByService: 'Core Directory',
        operationType: 'Update',
        initiatedBy: RECOVERY_SERVICE,
        target: {
          id: user.id,
          displayName: user.displayName,
          userPrincipalName: user.userPrincipalName,
          modifiedProperties: [
            ...missing.map((m) => modified('AuthenticationMethod', undefined, [{ methodType: m.type, methodId: m.id, method: methodLabel(m) }])),
            modified('Included Updated Properties', undefined, 'AuthenticationMethod'),
          ],
        },
        additionalDetails: [
          { key: 'RecoveryJob', value: recoveryJobId },
          { key: 'SnapshotDateTime', value: snapshot.snapshotAt },
        ],
      },
    );
  }
  return { restored: missing.map((m) => m.id), snapshotAt: snapshot.snapshotAt, recoveryJobId };
}
