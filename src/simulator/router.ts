import type { ApiVersion, Route } from './http-types';

export type RouteMatch =
  | { readonly kind: 'match'; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'methodNotAllowed' }
  | { readonly kind: 'notFound'; readonly segment: string };

function splitPattern(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Matches segments against one pattern; returns the captured params, or how many leading segments matched. */
function matchPattern(pattern: readonly string[], segments: readonly string[]): Record<string, string> | number {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] ?? '';
    const got = segments[i];
    if (got === undefined) return i;
    if (want.startsWith('{') && want.endsWith('}')) params[want.slice(1, -1)] = got;
    else if (want.toLowerCase() !== got.toLowerCase()) return i;
  }
  return pattern.length === segments.length ? params : pattern.length;
}

/**
 * Finds the route for a request. When nothing matches, reports the first segment no route knows, which is what
 * Graph names in "Resource not found for the segment '...'"; when the path exists but not for this HTTP method, says so.
 */
export function matchRoute(routes: readonly Route[], method: string, version: ApiVersion, segments: readonly string[]): RouteMatch {
  let deepest = 0;
  let pathExists = false;
  for (const route of routes) {
    if (route.versions && !route.versions.includes(version)) continue;
    const result = matchPattern(splitPattern(route.path), segments);
    if (typeof result === 'number') {
      deepest = Math.max(deepest, result);
      continue;
    }
    if (route.method === method) return { kind: 'match', route, params: result };
    pathExists = true;
  }
  if (pathExists) return { kind: 'methodNotAllowed' };
  return { kind: 'notFound', segment: segments[Math.min(deepest, segments.length - 1)] ?? '' };
}
