import { ALL_REQUESTS, PERMISSIONS_TO_GRANT } from '../../src/entra/graph-requests';
import { documentedQueryFor, GRAPH_ROUTES } from '../../src/simulator/all-routes';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { matchRoute } from '../../src/simulator/router';
import { permissionsFor, requirementsFor, satisfies } from '../../src/simulator/route-permissions';

/**
 * The bot's request registry (src/entra/graph-requests.ts) and the simulated tenant (src/simulator) are written apart,
 * each from the Graph reference: the simulator does not import the bot. This checks that they tell the same story:
 * every request the bot makes is a route the simulated tenant serves, its query options are among those the route's
 * reference page documents, the permissions the registry names are enough for the route and are its least
 * privileged ones, and the demo app is granted exactly the set docs/deploy.md tells a customer to grant.
 */

/** A request's path with every `{parameter}` given a plausible value, as the router sees a real request. */
function concrete(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => (s.startsWith('{') ? '00000000-0000-4000-8000-000000000001' : s));
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const withRoute = ALL_REQUESTS.filter((r) => r.path !== '/$batch');

describe('the request registry against the simulated tenant', () => {
  it('grants the demo app exactly the permissions docs/deploy.md tells a customer to grant', () => {
    expect(sorted(DEFAULT_GRANTED_PERMISSIONS)).toEqual(sorted(PERMISSIONS_TO_GRANT));
  });

  it.each(withRoute.map((r) => [r.id, r] as const))('%s is a route of the simulated tenant', (_id, r) => {
    const match = matchRoute(GRAPH_ROUTES, r.method, r.version, concrete(r.path));
    expect(match.kind).toBe('match');
  });

  it.each(withRoute.map((r) => [r.id, r] as const))('%s sends only query options its reference page documents', (_id, r) => {
    const documented = documentedQueryFor(r.method, r.version, concrete(r.path).join('/'));
    expect(documented).toBeDefined();
    const sent = Object.keys(r.query);
    expect(sent.filter((o) => !(documented?.options as readonly string[] | undefined)?.includes(o))).toEqual([]);
  });

  it.each(withRoute.map((r) => [r.id, r] as const))('%s: the registry\u2019s permissions are enough for the route and are its least privileged', (_id, r) => {
    const segments = concrete(r.path);
    const match = matchRoute(GRAPH_ROUTES, r.method, r.version, segments);
    if (match.kind !== 'match') throw new Error('no route');
    const table = permissionsFor(match.route);
    if (!table) throw new Error('no permission entry for the route');
    // The request as the bot sends it at its least (no optional $select): a password reset writes passwordProfile alone.
    const body = r.body?.includes('passwordProfile') ? { passwordProfile: { password: 'x', forceChangePasswordNextSignIn: true } } : undefined;
    const requirements = requirementsFor(table, { method: r.method, segments, query: new URLSearchParams(), headers: {}, body });
    for (const required of requirements) {
      expect(satisfies(new Set(r.permissions), required.anyOf)).toBe(true);
      expect(sorted(r.permissions)).toEqual(sorted(required.anyOf[0] ?? []));
    }
  });
});
