import type { AffectedUser, IncidentActor, IncidentCase, IncidentWindow, UserOutcomeStatus } from '../domain/incident';

/** Stored with an eTag: every write after the first is conditional, as for cases. */
export interface StoredIncident {
  readonly value: IncidentCase;
  readonly eTag: string;
}

/** Bulk incidents, kept on the same durable storage as cases so they survive a restart. */
export interface IncidentStore {
  get(id: string): Promise<StoredIncident | undefined>;
  /** Stores a new incident; false when the id is taken. */
  create(value: IncidentCase): Promise<boolean>;
  /** Replaces the incident if its eTag still matches; otherwise resolves `conflict`. */
  replace(value: IncidentCase, eTag: string): Promise<StoredIncident | 'conflict'>;
  /** Ids of every stored incident, for the start-up sweep. */
  ids(): Promise<readonly string[]>;
}

/** What the actor did in the window, from the directory audit log, and where each deleted user is now. */
export interface IncidentFindings {
  readonly users: readonly AffectedUser[];
  readonly otherChanges: readonly { readonly activity: string; readonly count: number }[];
}

export interface RestoreOutcome {
  readonly status: UserOutcomeStatus;
  readonly requestId?: string;
  readonly error?: string;
}

export interface RestoreRun {
  readonly outcomes: ReadonlyMap<string, RestoreOutcome>;
  readonly roundTrips: number;
  readonly throttled: number;
}

/**
 * The directory calls of a bulk incident (Microsoft Graph, batched). Transport and permission failures of the reads
 * throw DirectoryError; a restore's failure is an outcome per user.
 */
export interface IncidentDirectory {
  findIncident(actor: IncidentActor, window: IncidentWindow): Promise<IncidentFindings>;
  /** Restores soft-deleted users, idempotently: a user already active is `alreadyActive`, one no longer there `gone`. */
  restoreUsers(userIds: readonly string[], onProgress?: (answered: number, total: number) => void): Promise<RestoreRun>;
}
