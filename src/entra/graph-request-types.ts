/** The shapes of the Graph request registry (graph-requests.ts). */

export type GraphVersion = 'v1.0' | 'beta';
export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The query options one request sends, and their allowed values. A request may send fewer (or none); it may never send
 * another option or another value: the builder and the guard refuse it.
 */
export interface QuerySpec {
  /** The properties it may select. */
  readonly $select?: readonly string[];
  /**
   * The `$filter` forms it sends, written as the filter itself with placeholders: `'{name}'` is one OData string
   * literal (quotes doubled inside), `{datetime}` one ISO 8601 UTC date-time. A filter must match one form whole.
   */
  readonly $filter?: readonly string[];
  readonly $count?: true;
  readonly $top?: true;
  /** The navigation properties it may expand. */
  readonly $expand?: readonly string[];
}

export type QueryName = keyof QuerySpec;

/** One read `npm run smoke` makes to check a permission, built from the request's own entry. */
export interface SmokeProbe {
  /** The row's name in the report. */
  readonly check: string;
  /** The query options it sends, given the user id when it needs one. */
  readonly query?: (userId: string) => QueryValues;
  /** It needs a user's object id (read by the first probe). */
  readonly needsUser?: boolean;
  /** Only the `readiness` report reads this: a failure is a WARN, the recoveries still work. */
  readonly optional?: boolean;
  /** For an optional probe read by more than the readiness report: who needs it, for the WARN line. */
  readonly neededBy?: string;
}

/** The values of a request's query options (see QuerySpec): `$select`/`$expand` as lists, `$filter` as the filter. */
export interface QueryValues {
  readonly $select?: readonly string[];
  readonly $filter?: string;
  readonly $count?: true;
  readonly $top?: number;
  readonly $expand?: readonly string[];
}

/** One Graph request the bot makes. */
export interface GraphRequestSpec {
  /** Stable id, e.g. `users.authentication.methods.list`. */
  readonly id: string;
  readonly method: GraphMethod;
  readonly version: GraphVersion;
  /** Path after the version, `{name}` standing for one path segment, e.g. `/users/{userId}/authentication/methods`. */
  readonly path: string;
  readonly query: QuerySpec;
  /** The bot follows `@odata.nextLink`: its pages carry `$skiptoken` besides the options above. */
  readonly paged: boolean;
  /** Sent with `ConsistencyLevel: eventual` (advanced queries: `$count`, `endswith`). */
  readonly eventual?: true;
  /** The Graph type of the request body, or undefined when there is none. */
  readonly body?: string;
  /**
   * The least privileged application permissions the Graph reference lists for it, every one of them needed (two
   * means "X and Y"). Empty only for `$batch`, whose inner requests each need their own.
   */
  readonly permissions: readonly string[];
  /** Higher privileged application permissions the reference lists, each enough on its own. */
  readonly higher?: readonly string[];
  /** A licence Graph also requires (it answers 403 without it). */
  readonly licence?: string;
  /** A directory role the app's service principal also needs, and when. */
  readonly directoryRole?: string;
  /** The Graph API reference page the permissions and query options come from. */
  readonly reference: string;
  /** Where the reference is ambiguous, or what else decided the entry. */
  readonly note?: string;
  /**
   * Whether the client may send it again by itself after a transient failure or a lost answer: reads, yes; DELETE
   * (a method already gone answers 404, which the adapter counts as done), revoking sessions and a restore (a second
   * one answers 404 and the adapter finds the user active), yes; the password PATCH too (the identical body sets the
   * same password). Never a TAP create (each makes a new pass, replacing the one handed out) or a user create.
   */
  readonly mayRepeat: boolean;
  /** A POST that only reads (checkMemberGroups): not a write, whatever its method. */
  readonly readOnly?: true;
  /** What the bot uses it for. */
  readonly purpose: string;
  /**
   * The operations (as the bot's messages name them) that send this request: advice for a failure that cannot be
   * traced to its request names the permissions of every request of its operation.
   */
  readonly operations: readonly string[];
  readonly smoke?: SmokeProbe;
}
