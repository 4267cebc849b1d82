import type { Client, GraphRequest as SdkRequest } from '@microsoft/microsoft-graph-client';
import type { GraphRequestSpec, QueryName, QueryValues } from './graph-request-types';
import { queryValueProblem, UnregisteredGraphRequestError } from './graph-request-match';

/** Values for the `{name}` segments of an entry's path. */
export type PathParams = Readonly<Record<string, string>>;

/** The order query options are written in (as the adapter wrote them by hand before). */
const ORDER: readonly QueryName[] = ['$filter', '$count', '$select', '$expand', '$top'];

function written(name: QueryName, value: QueryValues[QueryName]): string {
  if (name === '$filter') return encodeURIComponent(String(value));
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/**
 * The path and query of a registry entry, relative to its version, for `client.api()` or a `$batch` inner `url`:
 * each path parameter percent-encoded, each query option checked against what the entry declares (names, `$select`
 * and `$expand` properties, `$filter` forms). Anything else throws UnregisteredGraphRequestError before a request
 * exists: an undeclared option is a change to the registry first.
 */
export function graphPath(spec: GraphRequestSpec, params: PathParams = {}, query: QueryValues = {}): string {
  const used = new Set<string>();
  const path = spec.path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new UnregisteredGraphRequestError(spec.id, `path parameter {${name}} is missing`);
    used.add(name);
    return encodeURIComponent(value);
  });
  const extra = Object.keys(params).filter((name) => !used.has(name));
  if (extra.length > 0) throw new UnregisteredGraphRequestError(spec.id, `${extra.join(', ')} is not a path parameter of ${spec.path}`);
  const options: string[] = [];
  for (const name of Object.keys(query) as QueryName[]) {
    if (!ORDER.includes(name)) throw new UnregisteredGraphRequestError(spec.id, `${name} is not a query option the registry knows`);
  }
  for (const name of ORDER) {
    const value = query[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    const problem = queryValueProblem(spec, name, text);
    if (problem) throw new UnregisteredGraphRequestError(spec.id, problem);
    options.push(`${name}=${written(name, value)}`);
  }
  return options.length > 0 ? `${path}?${options.join('&')}` : path;
}

/** Whether Graph needs `ConsistencyLevel: eventual` for these options: `$count`, or an `endswith` filter. */
export function needsEventual(query: QueryValues): boolean {
  return query.$count === true || /\bendswith\(/i.test(query.$filter ?? '');
}

/** An SDK request for a registry entry: its path (graphPath), its version, and `ConsistencyLevel: eventual` when needed. */
export function graphRequest(client: Client, spec: GraphRequestSpec, params: PathParams = {}, query: QueryValues = {}): SdkRequest {
  let request = client.api(graphPath(spec, params, query)).version(spec.version);
  if (needsEventual(query)) request = request.header('ConsistencyLevel', 'eventual');
  return request;
}
