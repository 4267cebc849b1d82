import type { AuditEvent } from './audit';

/**
 * The Account Recovery audit events of the user (spec §6.3, from ED AUTH/concept-account-recovery-audit-log-events.md,
 * 2025-10-15). PROVISIONAL: one docs revision with no link from the table of contents was found; the names, their
 * `category` and `loggedByService` may change. Keep every use of them behind these constants, and say so to people.
 */
export const ACCOUNT_RECOVERY_EVENTS = {
  started: 'User started account recovery',
  issuanceStarted: 'User started identity issuance with certified partner',
  issuanceCompleted: 'User completed identity issuance with certified partner',
  documentFailed: 'User failed document validation',
  presentationCompleted: 'User completed identity presentation',
  faceCheckFailed: 'User failed face check comparison',
  accountMatched: 'User account matched and validated',
  accountNotMatched: 'User account not matched or validated',
  securityInfoRegistered: 'User registered security information',
  completed: 'User completed account recovery',
} as const;

/** Said wherever people read an outcome built on those names. */
export const PROVISIONAL_NOTE = 'The event names are provisional (one unlinked docs revision); confirm in the audit log.';

const FAILURES: Readonly<Record<string, string>> = {
  [ACCOUNT_RECOVERY_EVENTS.faceCheckFailed]: 'The face check did not match the photo on the ID document.',
  [ACCOUNT_RECOVERY_EVENTS.accountNotMatched]: 'The names on the ID document did not match the account (they must match exactly).',
  [ACCOUNT_RECOVERY_EVENTS.documentFailed]: 'The identity-verification provider could not validate the ID document.',
};

const KNOWN: ReadonlySet<string> = new Set(Object.values(ACCOUNT_RECOVERY_EVENTS));

export type AccountRecoveryStatus = 'notStarted' | 'inProgress' | 'completed' | 'failed';

export interface AccountRecoveryOutcome {
  readonly status: AccountRecoveryStatus;
  /** The Account Recovery events seen since the hand-off, oldest first. */
  readonly seen: readonly { readonly activity: string; readonly at: string; readonly result: string }[];
  /** For `failed`: what went wrong, in words for the agent. */
  readonly failure?: string;
  /** Always PROVISIONAL_NOTE: the status rests on event names not yet confirmed. */
  readonly note: string;
}

const isFailureResult = (result: string): boolean => result.toLowerCase() === 'failure';

/**
 * The state of the user's recovery from the directory audit events that target them (Directory.listAudit), counting
 * only those at or after `since` (the hand-off). `completed` needs "User completed account recovery" with a result
 * other than failure; a failure event makes it `failed` unless a completion comes after it; any other recovery event
 * means `inProgress`. Events with other names (the user's own sign-ins, the lead's steps) are ignored. The caller also
 * confirms a completion by listing the user's methods: these names are provisional.
 */
export function accountRecoveryOutcome(events: readonly AuditEvent[], since: string | Date): AccountRecoveryOutcome {
  // Compared as instants: Graph writes 7 fractional digits, toISOString 3, a seed none.
  const from = typeof since === 'string' ? Date.parse(since) : since.getTime();
  const seen = events
    .filter((e) => KNOWN.has(e.activity) && Date.parse(e.at) >= from)
    .map((e) => ({ activity: e.activity, at: e.at, result: e.result }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const note = PROVISIONAL_NOTE;
  let status: AccountRecoveryStatus = seen.length === 0 ? 'notStarted' : 'inProgress';
  let failure: string | undefined;
  for (const e of seen) {
    const failed =
      FAILURES[e.activity] ?? (e.activity === ACCOUNT_RECOVERY_EVENTS.completed && isFailureResult(e.result) ? 'Recovery ended in failure.' : undefined);
    if (failed !== undefined) {
      status = 'failed';
      failure = `${failed} (${e.activity}, ${e.at})`;
    } else if (e.activity === ACCOUNT_RECOVERY_EVENTS.completed) {
      status = 'completed';
      failure = undefined;
    }
  }
  return { status, seen, ...(status === 'failed' && failure !== undefined ? { failure } : {}), note };
}
