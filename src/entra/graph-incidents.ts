import type { Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import type { AffectedUser, IncidentActor, IncidentWindow } from '../domain/incident';
import { DirectoryError } from '../ports/directory';
import type { IncidentDirectory, IncidentFindings, RestoreOutcome, RestoreRun } from '../ports/incident-services';
import { runBatches, type BatchAnswer, type BatchOptions } from './graph-batch';
import { deniedInBatch, toDirectoryError } from './graph-errors';
import { graphPath, graphRequest } from './graph-path';
import { REQUESTS } from './graph-requests';
import { odataString, readAll } from './paging';

type DeletedUser = Graph.User & { deletedDateTime?: string | null };

/** The largest pages Graph gives: the audit log is in the reports bucket (5 requests per 10 s), so few pages, not many. */
const PAGE = 999;
const MAX_AUDIT_RECORDS = 50_000;

function actorFilter(actor: IncidentActor): string {
  const value = odataString(actor.value);
  return actor.kind === 'userPrincipalName'
    ? `initiatedBy/user/userPrincipalName eq ${value}`
    : `(initiatedBy/user/id eq ${value} or initiatedBy/app/appId eq ${value})`;
}

function outcomeOf(answer: BatchAnswer | undefined): RestoreOutcome {
  if (!answer) return { status: 'failed', error: 'no answer from Microsoft Graph' };
  const requestId = answer.requestId ? { requestId: answer.requestId } : {};
  if (answer.status >= 200 && answer.status < 300) return { status: 'restored', ...requestId };
  const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return { status: 'failed', ...requestId, error: `HTTP ${answer.status}${typeof code === 'string' ? ` ${code.slice(0, 60)}` : ''}` };
}

/**
 * The bulk incident's Graph calls. Finding reads the audit log once (filtered by actor and window on the server),
 * and deleted items once; restoring sends `POST /directory/deletedItems/{id}/restore` through `$batch` with adaptive
 * concurrency, then checks the 404s in one more batched read: a user already active was restored before (by an
 * earlier run whose answer was lost, or by someone else); one neither deleted nor active is gone for good.
 */
export class GraphIncidentDirectory implements IncidentDirectory {
  constructor(
    private readonly client: Client,
    private readonly baseUrl: string,
    private readonly batchOptions: BatchOptions = {},
  ) {}

  async findIncident(actor: IncidentActor, window: IncidentWindow): Promise<IncidentFindings> {
    const filter = `activityDateTime ge ${window.from} and activityDateTime le ${window.to} and ${actorFilter(actor)}`;
    let audits: Graph.DirectoryAudit[];
    let deleted: DeletedUser[];
    try {
      audits = await readAll<Graph.DirectoryAudit>(
        this.client,
        () => graphRequest(this.client, REQUESTS.directoryAuditsList, {}, { $filter: filter, $top: PAGE }).get(),
        this.baseUrl,
        MAX_AUDIT_RECORDS,
      );
      const since = { $filter: `deletedDateTime ge ${window.from}`, $select: ['id', 'displayName', 'userPrincipalName', 'deletedDateTime'], $top: PAGE };
      deleted = await readAll<DeletedUser>(
        this.client,
        () => graphRequest(this.client, REQUESTS.deletedUsersList, {}, since).get(),
        this.baseUrl,
        MAX_AUDIT_RECORDS,
      );
    } catch (e) {
      throw toDirectoryError(e, 'find the incident in the audit log');
    }
    const deletions = new Map<string, { displayName: string; userPrincipalName: string; at: string }>();
    const other = new Map<string, number>();
    for (const a of audits) {
      if (a.result && a.result !== 'success') continue;
      const target = (a.targetResources ?? []).find((t) => (t.type ?? '').toLowerCase() === 'user' && t.id);
      if (a.activityDisplayName === 'Delete user' && target?.id) {
        deletions.set(target.id, { displayName: target.displayName ?? '', userPrincipalName: target.userPrincipalName ?? '', at: a.activityDateTime ?? '' });
      } else {
        const name = a.activityDisplayName ?? 'unknown activity';
        other.set(name, (other.get(name) ?? 0) + 1);
      }
    }
    const softDeleted = new Map(deleted.filter((u) => u.id).map((u) => [u.id ?? '', u]));
    const unknown = [...deletions.keys()].filter((id) => !softDeleted.has(id));
    const active = await this.activeUsers(unknown);
    const users: AffectedUser[] = [...deletions.entries()].map(([id, d]) => {
      const now = softDeleted.get(id);
      return {
        id,
        displayName: now?.displayName ?? d.displayName,
        userPrincipalName: d.userPrincipalName || now?.userPrincipalName || '',
        deletedAt: now?.deletedDateTime ?? d.at,
        state: now ? 'softDeleted' : active.has(id) ? 'active' : 'gone',
      };
    });
    users.sort((x, y) => x.displayName.localeCompare(y.displayName));
    return { users, otherChanges: [...other.entries()].map(([activity, count]) => ({ activity, count })).sort((x, y) => y.count - x.count) };
  }

  async restoreUsers(userIds: readonly string[], onProgress?: (answered: number, total: number) => void): Promise<RestoreRun> {
    const units = userIds.map((id) => ({
      requests: [{ id, method: 'POST' as const, url: graphPath(REQUESTS.deletedItemRestore, { objectId: id }), body: {} }],
    }));
    const run = await runBatches(this.client, units, { ...this.batchOptions, ...(onProgress ? { onProgress } : {}) });
    const outcomes = new Map<string, RestoreOutcome>();
    const notFound: string[] = [];
    for (const id of userIds) {
      const answer = run.answers.get(id);
      if (answer?.status === 404) notFound.push(id);
      else outcomes.set(id, outcomeOf(answer));
    }
    const active = await this.activeUsers(notFound);
    for (const id of notFound) {
      const requestId = run.answers.get(id)?.requestId;
      outcomes.set(id, { status: active.has(id) ? 'alreadyActive' : 'gone', ...(requestId ? { requestId } : {}) });
    }
    return { outcomes, roundTrips: run.roundTrips, throttled: run.throttled };
  }

  /** Of the ids, those that are active users, read 20 to a batch. */
  private async activeUsers(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const run = await runBatches(
      this.client,
      ids.map((id) => ({ requests: [{ id, method: 'GET' as const, url: graphPath(REQUESTS.usersGet, { userKey: id }, { $select: ['id'] }) }] })),
      this.batchOptions,
    );
    const failed = [...run.answers.values()].find((a) => a.status !== 200 && a.status !== 404);
    if (failed) {
      if (failed.status === 401 || failed.status === 403) throw deniedInBatch(failed, 'read user', REQUESTS.usersGet);
      const failure = failed.status === 429 ? 'throttled' : 'unavailable';
      throw new DirectoryError(
        failure,
        `Microsoft Graph did not say whether the users are active (HTTP ${failed.status}). Try again in a few minutes.`,
        failed.requestId,
      );
    }
    return new Set([...run.answers.values()].filter((a) => a.status === 200).map((a) => a.id));
  }
}
