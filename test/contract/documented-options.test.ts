import { GRAPH_ROUTES, documentedQueryFor } from '../../src/simulator/all-routes';
import type { QueryOption } from '../../src/simulator/documented-query';
import { graph, useResetSimulator } from '../simulator/graph-client';
import type { GraphVersion } from './graph-schema-check';
import { CONTRACT_CASES } from './route-cases';

/** A value of each option that would be well-formed wherever the option is allowed. */
const SAMPLE: Readonly<Record<Exclude<QueryOption, '$skiptoken'>, string>> = {
  $filter: "id eq 'x'",
  $top: '1',
  $select: 'id',
  $orderby: 'id',
  $count: 'true',
  $expand: 'x',
  $search: '"displayName:x"',
  $skip: '1',
};

/**
 * Every route answers each query option its reference page does not document with Graph's 400, before it does
 * anything else; and every route cites that page.
 */
describe('contract: only the query options Graph documents', () => {
  const sim = useResetSimulator();

  it('declares, for every route, the options and the reference page they come from', () => {
    for (const route of GRAPH_ROUTES) {
      expect({ route: `${route.method} ${route.path}`, page: route.query?.page }).toEqual({
        route: `${route.method} ${route.path}`,
        page: expect.stringMatching(/^https:\/\/learn\.microsoft\.com\/graph\/api\//),
      });
    }
    expect(documentedQueryFor('GET', 'beta', '/roleManagement/directory/transitiveRoleAssignments')?.options).toEqual(['$count', '$filter', '$select']);
    expect(documentedQueryFor('GET', 'v1.0', '/users/adele@contoso.com/authentication/methods')?.options).toEqual([]);
    expect(documentedQueryFor('GET', 'v1.0', '/nothing')).toBeUndefined();
  });

  const runs = GRAPH_ROUTES.flatMap((route) => {
    const example = CONTRACT_CASES[`${route.method} ${route.path}`]?.[0];
    if (!example) return [];
    const version: GraphVersion = example.version ?? route.versions?.[0] ?? 'v1.0';
    const path = example.url.split('?')[0] ?? example.url;
    return (Object.keys(SAMPLE) as (keyof typeof SAMPLE)[])
      .filter((option) => !(route.query?.options ?? []).includes(option))
      .map((option) => ({
        name: `${version} ${route.method} ${path} ${option}`,
        version,
        path,
        option,
        method: route.method,
        body: example.body,
        headers: example.headers,
      }));
  });

  it('sends every undocumented option somewhere', () => {
    expect(runs.length).toBeGreaterThan(GRAPH_ROUTES.length);
  });

  it.each(runs)('$name -> 400', async ({ version, path, option, method, body, headers }) => {
    const url = `${path}?${option}=${encodeURIComponent(SAMPLE[option])}`;
    const res = await graph(sim(), url, { version, method, body, extraHeaders: headers });
    expect({ status: res.status, error: res.body?.error }).toEqual({
      status: 400,
      error: expect.objectContaining({ code: 'BadRequest', message: expect.stringContaining('is not allowed') }),
    });
  });

  it('says plainly (501) when Graph documents an option the simulated tenant does not implement', async () => {
    const res = await graph(sim(), '/users?$search=%22displayName:adele%22&$count=true', { extraHeaders: { ConsistencyLevel: 'eventual' } });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 501, code: 'NotImplemented' });
  });

  it('answers an unknown $ option and a repeated option with 400 too', async () => {
    expect((await graph(sim(), '/users?$frobnicate=1')).status).toBe(400);
    expect((await graph(sim(), '/users?$top=1&$top=2')).status).toBe(400);
  });
});
