import type { Actor, ThreadRef } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { decideIncident, parseIncidentRequest, usersToRun, type IncidentCase, type IncidentCommand } from '../domain/incident';
import type { Clock } from '../ports/clock';
import { DirectoryError, type Directory } from '../ports/directory';
import type { IncidentDirectory, IncidentStore } from '../ports/incident-services';
import type { Logger } from '../ports/logger';
import type { BackgroundWork } from './background-work';
import { withDirectory } from './directory-failure';
import { MAX_ATTEMPTS, MAX_PAUSE_MS } from './mutate-case';
import { collisionPauseMs, realTiming } from '../resilience';

/** Told after every saved change, and during a run with how far it got (at most every `progressIntervalMs`). */
export interface IncidentObserver {
  incidentChanged(c: IncidentCase): Promise<void>;
  progress(c: IncidentCase, answered: number, total: number): Promise<void>;
}

export interface IncidentSettings {
  /** Distinct approvers a bulk run needs; 2 by default. */
  readonly quorum: number;
  readonly helpdeskGroupIds: readonly string[];
  readonly approverGroupIds: readonly string[];
  readonly progressIntervalMs: number;
}

export interface IncidentDeps {
  readonly incidents: IncidentStore;
  readonly finder: IncidentDirectory;
  /** Group membership, checked on every request and every approval. */
  readonly directory: Pick<Directory, 'memberOf'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly observer: IncidentObserver;
  readonly settings: IncidentSettings;
}

/**
 * load → decide → conditional save, retried with a fresh read on a write conflict (as mutateCase does for cases, with
 * its attempts and pauses). The
 * observer hears of every change people see; a recorded refusal is a journal line only, and nothing to show.
 */
async function mutate(deps: IncidentDeps, id: string, command: (c: IncidentCase) => IncidentCommand): Promise<Result<IncidentCase>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.incidents.get(id);
    if (!stored) return fail(ErrorCode.CaseNotFound, `There is no incident ${id}.`);
    const next = command(stored.value);
    const decided = decideIncident(stored.value, next, deps.clock.now());
    if (!decided.ok) return decided;
    if (decided.value === stored.value) return ok(stored.value);
    const saved = await deps.incidents.replace(decided.value, stored.eTag);
    if (saved !== 'conflict') {
      if (next.type !== 'recordRefusal') await deps.observer.incidentChanged(saved.value);
      return ok(saved.value);
    }
    // As for cases: a burst of clicks (each a decision or a journaled refusal) must not use up the attempts of the one
    // that counts, so writers spread out and try as often.
    await realTiming.sleep(collisionPauseMs(attempt, MAX_PAUSE_MS, realTiming.random));
  }
  return fail(ErrorCode.CaseBusy, `Incident ${id} is being changed by several people at once; try again.`);
}

/**
 * A helpdesk member names an actor and a window; the bot reads the audit log for the users that actor deleted and
 * stores one incident with the plan, waiting for the quorum. Nothing is changed in the directory. An actor that
 * deleted nobody in the window stores nothing and says so.
 */
export async function openIncident(
  deps: IncidentDeps,
  request: { text: string; requester: Actor | undefined; thread?: ThreadRef },
): Promise<Result<IncidentCase>> {
  const requester = request.requester;
  if (!requester) return fail(ErrorCode.RequesterUnknown, 'Teams did not say who you are; try again from the Teams client.');
  const parsed = parseIncidentRequest(request.text, deps.clock.now());
  if (!parsed.ok) return parsed;
  return withDirectory(deps.logger, 'open incident', async () => {
    if ((await deps.directory.memberOf(requester.aadObjectId, deps.settings.helpdeskGroupIds)).length === 0) {
      return fail(ErrorCode.RequesterNotAllowed, 'Only members of the helpdesk groups can open an incident.');
    }
    const findings = await deps.finder.findIncident(parsed.value.actor, parsed.value.window);
    if (findings.users.length === 0) {
      const other = findings.otherChanges.reduce((n, o) => n + o.count, 0);
      return fail(
        ErrorCode.TargetNotFound,
        `The audit log shows no user deleted by ${parsed.value.actor.value} between ${parsed.value.window.from} and ${parsed.value.window.to}${other ? ` (it made ${other} other change(s), which the bot does not reverse)` : ''}. Nothing was opened.`,
      );
    }
    const c: IncidentCase = {
      id: deps.newId(),
      kind: 'incident',
      version: 1,
      stateVersion: 1,
      createdAt: deps.clock.now().toISOString(),
      requester,
      ...(request.thread ? { thread: request.thread } : {}),
      actor: parsed.value.actor,
      window: parsed.value.window,
      users: findings.users,
      otherChanges: findings.otherChanges,
      requiredApprovals: deps.settings.quorum,
      approvals: [],
      state: 'awaitingApproval',
      results: {},
      runs: 0,
      journal: [
        { at: deps.clock.now().toISOString(), by: requester, text: `Opened: ${findings.users.length} user(s) deleted by ${parsed.value.actor.value}.` },
      ],
    };
    if (!(await deps.incidents.create(c))) return fail(ErrorCode.CaseBusy, 'An incident with the same id exists; try again.');
    await deps.observer.incidentChanged(c);
    return ok(c);
  });
}

/**
 * An approver approves (`reason` is then an optional comment) or denies (`reason` required); membership in the approver
 * groups is read from the directory on every click and every typed command.
 */
export async function decideOnIncident(
  deps: IncidentDeps,
  request: { id: string; by: Actor; decision: 'approve' | 'deny'; reason?: string },
): Promise<Result<IncidentCase>> {
  const id = checkIncidentId(request.id);
  if (!id.ok) return id;
  return withDirectory(deps.logger, 'decide incident', async () => {
    if ((await deps.directory.memberOf(request.by.aadObjectId, deps.settings.approverGroupIds)).length === 0) {
      return fail(ErrorCode.ApproverNotAllowed, 'Only members of the approver groups can decide on an incident.');
    }
    return mutate(deps, id.value, () =>
      request.decision === 'approve'
        ? { type: 'approve', by: request.by, ...(request.reason?.trim() ? { comment: request.reason } : {}) }
        : { type: 'deny', by: request.by, reason: request.reason ?? '' },
    );
  });
}

/** The requester starts the approved run; `run` then restores the users (call it as background work). */
export async function startIncident(deps: IncidentDeps, request: { id: string; by: Actor }): Promise<Result<IncidentCase>> {
  const id = checkIncidentId(request.id);
  return id.ok ? mutate(deps, id.value, () => ({ type: 'start', by: request.by })) : id;
}

/** The requester runs the failed users again, under the same approval. */
export async function retryFailedUsers(deps: IncidentDeps, request: { id: string; by: Actor }): Promise<Result<IncidentCase>> {
  const id = checkIncidentId(request.id);
  return id.ok ? mutate(deps, id.value, () => ({ type: 'retryFailed', by: request.by })) : id;
}

/**
 * Restores the users of a running incident that are not done yet, records every user's outcome, and finishes the
 * run. Safe to repeat after a crash: a user restored by a run whose results were never saved answers 404 and is found
 * active, so it is recorded as already active and restored only once.
 */
export async function runIncident(deps: IncidentDeps, id: string): Promise<Result<IncidentCase>> {
  const stored = await deps.incidents.get(id);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no incident ${id}.`);
  if (stored.value.state !== 'executing') return ok(stored.value);
  const targets = usersToRun(stored.value).map((u) => u.id);
  let lastProgress = 0;
  const onProgress = (answered: number, total: number): void => {
    const at = deps.clock.now().getTime();
    if (at - lastProgress < deps.settings.progressIntervalMs) return;
    lastProgress = at;
    deps.observer
      .progress(stored.value, answered, total)
      .catch((e: unknown) => deps.logger.warn('incident progress not posted', { id, error: e instanceof Error ? e.message : String(e) }));
  };
  try {
    const run = await deps.finder.restoreUsers(targets, onProgress);
    const recorded = await mutate(deps, id, () => ({ type: 'recordResults', results: Object.fromEntries(run.outcomes) }));
    if (!recorded.ok) return recorded;
    deps.logger.info('incident run', { id, users: targets.length, roundTrips: run.roundTrips, throttled: run.throttled });
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    // The run could not be completed as a whole: every user of it is recorded as failed, retryable. Some may have been
    // restored; the retry finds them active and records them so.
    deps.logger.warn('incident run failed', { id, failure: e.failure, requestId: e.requestId });
    const error = `${e.message} Some users may have been restored; retrying finds them active.`.slice(0, 300);
    await mutate(deps, id, () => ({ type: 'recordResults', results: Object.fromEntries(targets.map((t) => [t, { status: 'failed' as const, error }])) }));
  }
  return mutate(deps, id, () => ({ type: 'finish' }));
}

/**
 * A refused click on an incident card, in the incident's journal with its code (bounded, as for cases): the record
 * shows who tried what, even when nothing changed.
 */
export async function recordIncidentRefusal(deps: IncidentDeps, request: { id: string; by: Actor | undefined; action: string; code: string }): Promise<void> {
  const id = checkIncidentId(request.id);
  if (!id.ok) return;
  const recorded = await mutate(deps, id.value, () => ({ type: 'recordRefusal', by: request.by, action: request.action, code: request.code }));
  // An id that names no incident has no journal to write to; anything else is worth a look in the log.
  if (!recorded.ok && recorded.code !== ErrorCode.CaseNotFound) {
    deps.logger.warn('incident refusal not journaled', { id: request.id, action: request.action, code: recorded.code });
  }
}

/** The stored incident, for the card handler's checks (conversation, version) before any use case runs. */
export async function getIncident(deps: IncidentDeps, id: string): Promise<IncidentCase | undefined> {
  const checked = checkIncidentId(id);
  return checked.ok ? (await deps.incidents.get(checked.value))?.value : undefined;
}

/** At start-up: runs every incident a stopped instance left executing. */
export async function resumeIncidents(deps: IncidentDeps): Promise<readonly string[]> {
  const resumed: string[] = [];
  for (const id of await deps.incidents.ids()) {
    const stored = await deps.incidents.get(id);
    if (stored?.value.state !== 'executing') continue;
    await runIncident(deps, id);
    resumed.push(id);
  }
  return resumed;
}

const INCIDENT_ID = /^IN-[0-9A-HJKMNP-TV-Z]{8}$/;

/** Checks an incident id typed by a person: a clear message for anything else, before any storage read. */
export function checkIncidentId(raw: string): Result<string> {
  const id = raw.trim().toUpperCase();
  return INCIDENT_ID.test(id) ? ok(id) : fail(ErrorCode.InputMalformed, `"${raw.slice(0, 40)}" is not an incident id such as IN-7K2M9QXA.`);
}

/** Status and export: for members of the helpdesk and approver groups. */
export async function readIncident(deps: IncidentDeps, request: { rawId: string; requester: Actor | undefined }): Promise<Result<IncidentCase>> {
  const requester = request.requester;
  if (!requester) return fail(ErrorCode.RequesterUnknown, 'Teams did not say who you are; try again from the Teams client.');
  const id = checkIncidentId(request.rawId);
  if (!id.ok) return id;
  return withDirectory(deps.logger, 'read incident', async () => {
    const groups = [...deps.settings.helpdeskGroupIds, ...deps.settings.approverGroupIds];
    if ((await deps.directory.memberOf(requester.aadObjectId, groups)).length === 0)
      return fail(ErrorCode.RequesterNotAllowed, 'Only members of the helpdesk and approver groups can read incidents.');
    const stored = await deps.incidents.get(id.value);
    return stored ? ok(stored.value) : fail(ErrorCode.CaseNotFound, `There is no incident ${id.value}.`);
  });
}

/**
 * The incident use cases bound to their dependencies, as the Teams layer calls them; a run goes on `background`, one
 * chain per incident, after the command has been answered.
 */
export function bindIncidentActions(deps: IncidentDeps, background: BackgroundWork) {
  return {
    open: (request: { text: string; requester: Actor | undefined; thread: ThreadRef }) => openIncident(deps, request),
    decide: (request: { id: string; by: Actor; decision: 'approve' | 'deny'; reason?: string }) => decideOnIncident(deps, request),
    start: (request: { id: string; by: Actor }) => startIncident(deps, request),
    retry: (request: { id: string; by: Actor }) => retryFailedUsers(deps, request),
    read: (request: { rawId: string; requester: Actor | undefined }) => readIncident(deps, request),
    get: (id: string) => getIncident(deps, id),
    recordRefusal: (request: { id: string; by: Actor | undefined; action: string; code: string }) => recordIncidentRefusal(deps, request),
    runInBackground: (id: string): void => background.run(`incident:${id}`, () => runIncident(deps, id)),
  };
}
