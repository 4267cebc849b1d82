import { separationOfDuties } from './separation-of-duties';
import type { Actor, ThreadRef } from './case';
import { ErrorCode, fail, ok, type Result } from './errors';

/**
 * A bulk incident: one actor (a sync account, an automation app) deleted many users in a time window, and the bot
 * restores them with one approved run. What "recover" means here is deliberately narrow, because it is what the bot
 * can do with app-only Graph permissions and undo-free: every user the actor **deleted** in the window that is still
 * in deleted items is restored (`POST /directory/deletedItems/{id}/restore`, which brings back the user with its
 * methods, groups and licences). Everything else the actor did (attribute updates, removed methods) is counted on the
 * plan and left to people: reversing attribute changes needs the old values checked one by one, and restoring
 * methods through Backup and Recovery is delegated-only.
 */

/** Who caused the incident: a user (UPN or object id) or an application (app id). */
export type IncidentActor = { readonly kind: 'userPrincipalName'; readonly value: string } | { readonly kind: 'objectId'; readonly value: string };

export interface IncidentWindow {
  readonly from: string;
  readonly to: string;
}

/** A user the actor deleted, as the directory shows it when the plan is made. */
export interface AffectedUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly deletedAt: string;
  /** softDeleted: restorable; active: already back; gone: permanently deleted (nothing the bot can do). */
  readonly state: 'softDeleted' | 'active' | 'gone';
}

export type UserOutcomeStatus = 'restored' | 'alreadyActive' | 'gone' | 'failed';

export interface UserOutcome {
  readonly status: UserOutcomeStatus;
  readonly at: string;
  readonly requestId?: string;
  /** Safe to show: an HTTP status and Graph code, never a Graph message or body. */
  readonly error?: string;
  readonly run: number;
}

export type IncidentState = 'awaitingApproval' | 'approved' | 'executing' | 'completed' | 'denied';

export interface IncidentJournalEntry {
  readonly at: string;
  readonly by?: Actor;
  readonly text: string;
  /** A refused click's error code (`text` is then "Refused: <verb>"). */
  readonly code?: string;
}

export interface IncidentCase {
  readonly id: string;
  readonly kind: 'incident';
  /**
   * One up on every saved change (a recorded refusal aside): card buttons are signed with it. Absent on incidents
   * stored before the cards had buttons, read as 0.
   */
  readonly version?: number;
  /** The version at which the incident entered its current state: a card drawn before it is stale. */
  readonly stateVersion?: number;
  /** Refused clicks recorded in the journal, counted so a flood cannot grow the record without bound. */
  readonly refusals?: number;
  readonly createdAt: string;
  readonly requester: Actor;
  readonly thread?: ThreadRef;
  readonly actor: IncidentActor;
  readonly window: IncidentWindow;
  readonly users: readonly AffectedUser[];
  /** What else the actor did in the window, by activity name, that the bot does not reverse. */
  readonly otherChanges: readonly { readonly activity: string; readonly count: number }[];
  readonly requiredApprovals: number;
  readonly approvals: readonly { readonly by: Actor; readonly at: string; readonly comment?: string }[];
  readonly state: IncidentState;
  readonly results: Readonly<Record<string, UserOutcome>>;
  /** How many runs started (the first, then one per retry of the failed users). */
  readonly runs: number;
  readonly journal: readonly IncidentJournalEntry[];
}

export type IncidentCommand =
  | { readonly type: 'approve'; readonly by: Actor; readonly comment?: string }
  | { readonly type: 'deny'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'start'; readonly by: Actor }
  | { readonly type: 'recordResults'; readonly results: Readonly<Record<string, Omit<UserOutcome, 'run' | 'at'>>> }
  | { readonly type: 'finish' }
  | { readonly type: 'retryFailed'; readonly by: Actor }
  | { readonly type: 'recordRefusal'; readonly by: Actor | undefined; readonly action: string; readonly code: string };

/** As for cases (MAX_RECORDED_REFUSALS in workflow.ts): a flood of refused clicks journals this many, then counts nothing. */
export const MAX_RECORDED_INCIDENT_REFUSALS = 50;
/** Comments and reasons are kept to what the cards accept (INPUT_LIMITS in src/teams/card-action.ts). */
const MAX_TEXT = 500;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^\s@'"<>]{1,64}@[A-Za-z0-9.-]{1,190}$/;
/** Audit logs are kept 30 days with P1/P2 (spec §5): a longer window would promise what Graph cannot return. */
export const MAX_WINDOW_DAYS = 30;
export const INCIDENT_USAGE =
  'Usage: **incident** _actor_ **last** _hours_**h** (or _days_**d**), or **incident** _actor_ **from** _ISO time_ **to** _ISO time_; the actor is a UPN, object id or app id. For example **incident grady@contoso.com last 14d** in the demo tenant.';

/** Parses `<actor> last 6h` or `<actor> from 2025-06-15T08:00Z to 2025-06-15T12:00Z`; every bad input says why. */
export function parseIncidentRequest(text: string, now: Date): Result<{ actor: IncidentActor; window: IncidentWindow }> {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  const [rawActor, keyword, a, b, c] = parts;
  if (!rawActor || !keyword) return fail(ErrorCode.InputMalformed, INCIDENT_USAGE);
  let actor: IncidentActor;
  if (GUID.test(rawActor)) actor = { kind: 'objectId', value: rawActor.toLowerCase() };
  else if (UPN.test(rawActor)) actor = { kind: 'userPrincipalName', value: rawActor };
  else return fail(ErrorCode.InputMalformed, `"${rawActor.slice(0, 80)}" is neither a user principal name nor an object or app id. ${INCIDENT_USAGE}`);
  let from: number;
  let to: number;
  if (keyword.toLowerCase() === 'last' && a && parts.length === 3) {
    const m = /^(\d{1,4})([hd])$/i.exec(a);
    if (!m) return fail(ErrorCode.InputMalformed, `"${a.slice(0, 20)}" is not a duration such as 6h or 2d. ${INCIDENT_USAGE}`);
    to = now.getTime();
    from = to - Number(m[1]) * (m[2]?.toLowerCase() === 'd' ? 86_400_000 : 3_600_000);
  } else if (keyword.toLowerCase() === 'from' && a && b?.toLowerCase() === 'to' && c && parts.length === 5) {
    from = Date.parse(a);
    to = Date.parse(c);
    if (!Number.isFinite(from) || !Number.isFinite(to))
      return fail(ErrorCode.InputMalformed, `Times must be ISO 8601, such as 2025-06-15T08:00:00Z. ${INCIDENT_USAGE}`);
  } else return fail(ErrorCode.InputMalformed, INCIDENT_USAGE);
  if (from >= to) return fail(ErrorCode.InputMalformed, 'The window must start before it ends.');
  if (to > now.getTime() + 60_000) return fail(ErrorCode.InputMalformed, 'The window ends in the future.');
  if (to - from > MAX_WINDOW_DAYS * 86_400_000 || now.getTime() - from > MAX_WINDOW_DAYS * 86_400_000) {
    return fail(ErrorCode.InputMalformed, `The window must lie within the last ${MAX_WINDOW_DAYS} days: audit records are not kept longer.`);
  }
  return ok({ actor, window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } });
}

/** Users the next run restores: restorable, and not already restored or found active by an earlier run. */
export function usersToRun(c: IncidentCase): readonly AffectedUser[] {
  return c.users.filter((u) => u.state === 'softDeleted' && (c.results[u.id] === undefined || c.results[u.id]?.status === 'failed'));
}

export function incidentCounts(c: IncidentCase): Record<'affected' | 'restorable' | 'alreadyActive' | 'gone' | 'restored' | 'failed' | 'pending', number> {
  const outcomes = Object.values(c.results);
  const restorable = c.users.filter((u) => u.state === 'softDeleted').length;
  return {
    affected: c.users.length,
    restorable,
    alreadyActive: c.users.filter((u) => u.state === 'active').length + outcomes.filter((o) => o.status === 'alreadyActive').length,
    gone: c.users.filter((u) => u.state === 'gone').length + outcomes.filter((o) => o.status === 'gone').length,
    restored: outcomes.filter((o) => o.status === 'restored').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    pending: restorable - outcomes.length,
  };
}

const note = (c: IncidentCase, at: string, text: string, by?: Actor): readonly IncidentJournalEntry[] => [...c.journal, { at, ...(by ? { by } : {}), text }];

/**
 * The incident's workflow. Approval needs `requiredApprovals` distinct approvers, none of them the requester or an
 * affected user (group membership is checked by the caller, through the directory, on every click). A run restores
 * only users not yet done; a restored user is never recorded as failed afterwards. Every change is one version up,
 * and a change of state moves `stateVersion` with it, so a card drawn before is stale; a recorded refusal changes
 * neither, so it makes no card stale.
 */
export function decideIncident(c: IncidentCase, command: IncidentCommand, now: Date): Result<IncidentCase> {
  if (command.type === 'recordRefusal') {
    if ((c.refusals ?? 0) >= MAX_RECORDED_INCIDENT_REFUSALS) return ok(c);
    const entry: IncidentJournalEntry = {
      at: now.toISOString(),
      ...(command.by ? { by: command.by } : {}),
      text: `Refused: ${command.action.slice(0, 60)}`,
      code: command.code,
    };
    return ok({ ...c, refusals: (c.refusals ?? 0) + 1, journal: [...c.journal, entry] });
  }
  const next = transition(c, command, now.toISOString());
  if (!next.ok) return next;
  const version = (c.version ?? 0) + 1;
  return ok({ ...next.value, version, stateVersion: next.value.state === c.state ? (c.stateVersion ?? 0) : version });
}

function transition(c: IncidentCase, command: Exclude<IncidentCommand, { type: 'recordRefusal' }>, at: string): Result<IncidentCase> {
  switch (command.type) {
    case 'approve':
    case 'deny': {
      if (c.state !== 'awaitingApproval') return fail(ErrorCode.CaseWrongState, `Incident ${c.id} is ${c.state}; it is not waiting for approval.`);
      const duty = separationOfDuties(command.by, {
        what: `incident ${c.id}`,
        requester: c.requester,
        subjects: c.users.map((u) => u.id),
        subjectIs: 'one of the users this incident recovers',
        decided: c.approvals.map((a) => a.by.aadObjectId),
      });
      if (duty) return duty;
      if (command.type === 'deny') {
        if (!command.reason.trim()) return fail(ErrorCode.ReasonRequired, 'Say why the incident is denied.');
        return ok({ ...c, state: 'denied', journal: note(c, at, `Denied: ${command.reason.trim().slice(0, MAX_TEXT)}`, command.by) });
      }
      const comment = command.comment?.trim().slice(0, MAX_TEXT);
      const approvals = [...c.approvals, { by: command.by, at, ...(comment ? { comment } : {}) }];
      const state = approvals.length >= c.requiredApprovals ? 'approved' : 'awaitingApproval';
      const text = `Approved (${approvals.length} of ${c.requiredApprovals}).${comment ? ` ${comment}` : ''}`;
      return ok({ ...c, approvals, state, journal: note(c, at, text, command.by) });
    }
    case 'start': {
      if (c.state !== 'approved')
        return fail(
          ErrorCode.CaseWrongState,
          c.state === 'awaitingApproval'
            ? `Incident ${c.id} needs ${c.requiredApprovals} approvals first (has ${c.approvals.length}).`
            : `Incident ${c.id} is ${c.state}.`,
        );
      if (command.by.aadObjectId !== c.requester.aadObjectId) return fail(ErrorCode.CaseNotRequester, 'Only the requester starts the run.');
      return ok({
        ...c,
        state: 'executing',
        runs: c.runs + 1,
        journal: note(c, at, `Run ${c.runs + 1} started for ${usersToRun(c).length} user(s).`, command.by),
      });
    }
    case 'recordResults': {
      if (c.state !== 'executing') return fail(ErrorCode.CaseWrongState, `Incident ${c.id} is not running.`);
      const known = new Set(c.users.map((u) => u.id));
      const results: Record<string, UserOutcome> = { ...c.results };
      for (const [id, outcome] of Object.entries(command.results)) {
        if (!known.has(id)) continue;
        const before = results[id];
        if (before && before.status !== 'failed') continue;
        results[id] = { ...outcome, at, run: c.runs };
      }
      return ok({ ...c, results });
    }
    case 'finish': {
      if (c.state !== 'executing') return fail(ErrorCode.CaseWrongState, `Incident ${c.id} is not running.`);
      const n = incidentCounts(c);
      return ok({
        ...c,
        state: 'completed',
        journal: note(
          c,
          at,
          `Run ${c.runs} finished: ${n.restored} restored, ${n.alreadyActive} already active, ${n.gone} permanently deleted, ${n.failed} failed.`,
        ),
      });
    }
    case 'retryFailed': {
      if (c.state !== 'completed') return fail(ErrorCode.CaseWrongState, `Incident ${c.id} is ${c.state}; only a completed run can be retried.`);
      if (command.by.aadObjectId !== c.requester.aadObjectId) return fail(ErrorCode.CaseNotRequester, 'Only the requester retries the failed users.');
      const failed = usersToRun(c).length;
      if (failed === 0) return fail(ErrorCode.CaseWrongState, 'No user failed: there is nothing to retry.');
      return ok({
        ...c,
        state: 'executing',
        runs: c.runs + 1,
        journal: note(c, at, `Run ${c.runs + 1} started: retrying ${failed} failed user(s).`, command.by),
      });
    }
  }
}
