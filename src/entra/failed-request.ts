import type { GraphRequestSpec } from './graph-request-types';

/**
 * Which registry entry a failed answer was for, keyed by the answer's Headers object: the SDK's GraphError (and
 * sendWrite's) keeps that very object as `error.headers`, so the error mapping can name the permissions of the
 * request that failed, not of every request its operation makes. Weak: it keeps nothing alive.
 */
const FAILED = new WeakMap<Headers, GraphRequestSpec>();

/** Records the entry of a request whose answer was not a success (the registry guard does, for every answer). */
export function noteFailedAnswer(headers: Headers, spec: GraphRequestSpec): void {
  FAILED.set(headers, spec);
}

/** The entry of the request a Graph error came from, when it came from an answer of one. */
export function failedRequestOf(error: unknown): GraphRequestSpec | undefined {
  const headers = (error as { headers?: unknown } | null | undefined)?.headers;
  return headers instanceof Headers ? FAILED.get(headers) : undefined;
}
