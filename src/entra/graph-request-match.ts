import { GraphClientError } from '@microsoft/microsoft-graph-client';
import type { GraphRequestSpec, GraphVersion, QueryName } from './graph-request-types';
import { ALL_REQUESTS } from './graph-requests';

/**
 * A request the registry (graph-requests.ts) does not hold: a programming error, thrown before anything is sent.
 * It extends the SDK's GraphClientError so that the SDK passes it through as it is instead of turning it into a
 * GraphError, and the adapter's error mapping lets it through too (graph-errors.ts): it is never an "unavailable".
 */
export class UnregisteredGraphRequestError extends GraphClientError {
  readonly code = 'GRAPH.UNREGISTERED_REQUEST';
  constructor(
    readonly request: string,
    readonly reason: string,
  ) {
    super(`GRAPH.UNREGISTERED_REQUEST: ${request}: ${reason}. Every Graph request the bot makes must be in src/entra/graph-requests.ts.`);
    // GraphClientError's constructor sets its own prototype; restore ours so that instanceof works.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'UnregisteredGraphRequestError';
  }
}

/** Query options a page of a paged collection carries besides the first request's (from `@odata.nextLink`). */
const PAGING_OPTIONS = ['$skiptoken', '$skip'];

const QUOTED = "'(?:[^']|'')*'";
const DATETIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,7})?)?Z';

/** A `$filter` form (see QuerySpec) as a regular expression matching a whole filter. */
function formPattern(form: string): RegExp {
  const parts = form.split(/('\{[A-Za-z]+\}'|\{datetime\})/);
  const source = parts.map((p) => (p === '{datetime}' ? DATETIME : /^'\{[A-Za-z]+\}'$/.test(p) ? QUOTED : p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

const FORMS = new Map<string, RegExp>();
function formMatches(form: string, filter: string): boolean {
  let pattern = FORMS.get(form);
  if (!pattern) {
    pattern = formPattern(form);
    FORMS.set(form, pattern);
  }
  return pattern.test(filter);
}

/** The reason a query option's value is not one the entry declares, or undefined when it is. */
export function queryValueProblem(spec: GraphRequestSpec, name: QueryName, value: string): string | undefined {
  const declared = spec.query[name];
  if (declared === undefined) return `${spec.id} sends no ${name}`;
  if (name === '$count') return value === 'true' ? undefined : `$count=${value} (only true)`;
  if (name === '$top') return /^[1-9]\d{0,3}$/.test(value) ? undefined : `$top=${value} is not a page size`;
  if (name === '$filter')
    return (declared as readonly string[]).some((form) => formMatches(form, value)) ? undefined : `$filter "${value}" is none of the forms of ${spec.id}`;
  const extra = value.split(',').filter((p) => !(declared as readonly string[]).includes(p));
  return extra.length === 0 ? undefined : `${name} ${extra.join(',')} is not declared for ${spec.id}`;
}

/** Path segments after the version, decoded; undefined when one is not properly percent-encoded. */
function segmentsOf(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** How many literal segments of the template match (more wins: the `microsoft.graph.user` cast over `{objectId}`), or -1. */
function pathScore(template: string, segments: readonly string[]): number {
  const parts = template.split('/').filter((s) => s !== '');
  if (parts.length !== segments.length) return -1;
  let literal = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const segment = segments[i] ?? '';
    if (/^\{[A-Za-z]+\}$/.test(part)) {
      if (segment === '') return -1;
    } else if (part.toLowerCase() === segment.toLowerCase()) literal++;
    else return -1;
  }
  return literal;
}

export interface RequestToMatch {
  readonly method: string;
  readonly version: string;
  /** After the version, with its query string, e.g. `/users/u1?$select=id`. */
  readonly pathAndQuery: string;
  /** The request's ConsistencyLevel header, when known (not known for what the simulator saw). */
  readonly consistencyLevel?: string | null;
  /** A page read through `@odata.nextLink`. */
  readonly nextLink?: boolean;
}

export type MatchResult = { readonly ok: true; readonly spec: GraphRequestSpec } | { readonly ok: false; readonly reason: string };

/** The registry entry a request is, by method, version and path; then its query options and header are checked. */
export function matchRequest(request: RequestToMatch): MatchResult {
  const [rawPath = '', search = ''] = splitOnce(request.pathAndQuery, '?');
  const segments = segmentsOf(rawPath);
  if (!segments) return { ok: false, reason: 'a path segment is not properly percent-encoded' };
  const method = request.method.toUpperCase();
  let best: { spec: GraphRequestSpec; score: number } | undefined;
  for (const spec of ALL_REQUESTS) {
    if (spec.method !== method || spec.version !== request.version) continue;
    const score = pathScore(spec.path, segments);
    if (score >= 0 && (!best || score > best.score)) best = { spec, score };
  }
  if (!best) return { ok: false, reason: `no entry for ${method} ${request.version}/${segments.join('/')}` };
  const spec = best.spec;
  const query = new URLSearchParams(search);
  const names = new Set<string>();
  for (const [key, value] of query) {
    const name = key.toLowerCase();
    if (names.has(name)) return { ok: false, reason: `${key} appears twice` };
    names.add(name);
    // A page token on a paged collection; and on a next link, a page size Graph chose where the bot sent none.
    const pageSize = name === '$top' && request.nextLink === true && spec.query.$top === undefined && /^\d+$/.test(value);
    if (spec.paged && (PAGING_OPTIONS.includes(name) || pageSize)) continue;
    const declared = (Object.keys(spec.query) as QueryName[]).find((n) => n.toLowerCase() === name);
    if (!declared) return { ok: false, reason: `${key} is not an option ${spec.id} sends` };
    const problem = queryValueProblem(spec, declared, value);
    if (problem) return { ok: false, reason: problem };
  }
  const advanced = names.has('$count') || /\bendswith\(/i.test(query.get('$filter') ?? '');
  if (request.consistencyLevel !== undefined) {
    const eventual = (request.consistencyLevel ?? '').toLowerCase() === 'eventual';
    if (eventual && !spec.eventual) return { ok: false, reason: `${spec.id} is not sent with ConsistencyLevel: eventual` };
    if (advanced && !eventual && !request.nextLink) return { ok: false, reason: `${spec.id} with $count or endswith needs ConsistencyLevel: eventual` };
  }
  return { ok: true, spec };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** An absolute Graph URL as version and path-with-query; undefined when it has no version segment. */
export function splitGraphUrl(url: string): { version: string; pathAndQuery: string } | undefined {
  const parsed = new URL(url);
  const [, version, ...rest] = parsed.pathname.split('/');
  if (!version) return undefined;
  return { version, pathAndQuery: `/${rest.join('/')}${parsed.search}` };
}

/** The entry an absolute Graph URL is, or undefined. */
export function requestFor(method: string, url: string): GraphRequestSpec | undefined {
  const split = splitGraphUrl(url);
  if (!split) return undefined;
  const found = matchRequest({ method, ...split, nextLink: true });
  return found.ok ? found.spec : undefined;
}

/**
 * Whether the client may send a request again by itself after a transient failure or a lost answer: what its registry
 * entry says (`mayRepeat`). A request the registry does not hold is never repeated (the guard refuses it anyway).
 */
export function mayRepeat(method: string, url: string): boolean {
  return requestFor(method, url)?.mayRepeat ?? false;
}

/** The entry of a request given relative to its version (as inside a `$batch`), or undefined. */
export function entryFor(method: string, version: GraphVersion, pathAndQuery: string): GraphRequestSpec | undefined {
  const found = matchRequest({ method, version, pathAndQuery, nextLink: true });
  return found.ok ? found.spec : undefined;
}

/** Like mayRepeat, for a request inside a `$batch` to `version` (its url is relative to the version). */
export function mayRepeatInBatch(method: string, version: GraphVersion, url: string): boolean {
  return entryFor(method, version, url)?.mayRepeat ?? false;
}
