import type { RecoveryCase } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { apply, type CaseEvent, type Command } from '../domain/workflow';
import type { CaseStore } from '../ports/case-store';
import type { CaseDeps } from '../ports/case-services';
import { collisionPauseMs, realTiming } from '../resilience';

export interface Mutation {
  readonly case: RecoveryCase;
  readonly events: readonly CaseEvent[];
}

/**
 * Enough for a burst of 20 clicks on one case, each writing (a decision, or a refusal for the journal): with 5, the
 * quorum's "start" lost to the refusals and the case stayed approved with nothing running (issue 15).
 */
export const MAX_ATTEMPTS = 40;
/** The longest pause between two attempts: conflicting writers spread out instead of colliding again at once. */
export const MAX_PAUSE_MS = 40;

/**
 * load → decide → conditional save, retried on a write conflict with a fresh read, so two people clicking at once
 * are decided one after the other against the latest case and nothing is lost or counted twice. `command` sees the
 * freshly loaded case each attempt; returning a Failure stops without writing.
 */
export async function mutateCase(
  cases: CaseStore,
  caseId: string,
  now: () => Date,
  command: (c: RecoveryCase) => Result<Command> | Command,
): Promise<Result<Mutation>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await cases.get(caseId);
    if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${caseId}.`);
    const built = command(stored.value);
    const cmd = 'ok' in built ? built : ok(built);
    if (!cmd.ok) return cmd;
    const applied = apply(stored.value, cmd.value, now());
    if (!applied.ok) return applied;
    if (applied.value.events.length === 0) return ok({ case: stored.value, events: [] });
    const saved = await cases.replace(applied.value.case, stored.eTag);
    if (saved !== 'conflict') return ok({ case: saved.value, events: applied.value.events });
    await realTiming.sleep(collisionPauseMs(attempt, MAX_PAUSE_MS, realTiming.random));
  }
  return fail(ErrorCode.CaseBusy, `Case ${caseId} is being changed by several people at once; try again.`);
}

type CaseCommand = Command | ((c: RecoveryCase) => Result<Command> | Command);

/**
 * Save, then show: the one way a use case changes a case. `mutateCase`, then the observer (the thread's cards) hears of
 * the new case when anything changed; a refusal is returned as is and shows nothing.
 */
export async function saveCase(deps: Pick<CaseDeps, 'cases' | 'clock' | 'observer'>, caseId: string, command: CaseCommand): Promise<Result<Mutation>> {
  const mutated = await mutateCase(deps.cases, caseId, () => deps.clock.now(), typeof command === 'function' ? command : () => command);
  if (mutated.ok && mutated.value.events.length > 0) await deps.observer.caseChanged(mutated.value.case);
  return mutated;
}

/** `saveCase`, answering with the saved case. */
export async function record(deps: Pick<CaseDeps, 'cases' | 'clock' | 'observer'>, caseId: string, command: CaseCommand): Promise<Result<RecoveryCase>> {
  const saved = await saveCase(deps, caseId, command);
  return saved.ok ? ok(saved.value.case) : saved;
}
