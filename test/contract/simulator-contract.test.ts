import { GRAPH_ROUTES } from '../../src/simulator/all-routes';
import { graph, useResetSimulator } from '../simulator/graph-client';
import { checkErrorBody, checkSuccessBody, loadGraphSchema, type GraphVersion } from './graph-schema-check';
import { AUTO_EXPANDED, CONTRACT_CASES, ERROR_ONLY_ROUTES, NOT_RETURNED, type ContractCase } from './route-cases';

/**
 * The simulated tenant against Graph's own schema: every route answers the demo tenant's requests with bodies whose
 * property names, types, enum values, @odata.type names, @odata.context and error shape are Graph's, per version.
 */
describe('contract: the simulated tenant against Graph metadata', () => {
  const sim = useResetSimulator();
  const schemas = { 'v1.0': loadGraphSchema('v1.0'), beta: loadGraphSchema('beta') };
  const routeKeys = GRAPH_ROUTES.map((r) => `${r.method} ${r.path}`);

  it('has a successful request and an error request for every route', () => {
    expect(routeKeys.filter((k) => !CONTRACT_CASES[k]?.some((c) => c.status < 300) && !ERROR_ONLY_ROUTES.includes(k))).toEqual([]);
    expect(routeKeys.filter((k) => !CONTRACT_CASES[k]?.some((c) => c.status >= 400))).toEqual([]);
    expect(Object.keys(CONTRACT_CASES).filter((k) => !routeKeys.includes(k))).toEqual([]);
  });

  const runs = GRAPH_ROUTES.flatMap((route) => {
    const versions: readonly GraphVersion[] = route.versions ?? ['v1.0', 'beta'];
    return (CONTRACT_CASES[`${route.method} ${route.path}`] ?? []).flatMap((c: ContractCase) =>
      (c.version ? [c.version] : versions).map((version) => ({ version, c, name: `${version} ${c.method ?? 'GET'} ${c.url} -> ${c.status}` })),
    );
  });

  it.each(runs)('$name', async ({ version, c }) => {
    if (c.before)
      expect((await graph(sim(), c.before.url, { version: c.before.version, method: c.before.method, body: c.before.body })).status).toBeLessThan(300);
    const res = await graph(sim(), c.url, { version, method: c.method ?? 'GET', body: c.body, extraHeaders: c.headers });
    expect({ status: res.status, body: res.status === c.status ? 'as expected' : res.body }).toEqual({ status: c.status, body: 'as expected' });
    if (c.status >= 400) expect(checkErrorBody(res.body)).toEqual([]);
    else if (c.expect) {
      const expanded = [...(c.expect.expanded ?? []), ...AUTO_EXPANDED];
      expect(checkSuccessBody(schemas[version], res.body, { ...c.expect, expanded, notReturned: NOT_RETURNED })).toEqual([]);
    } else expect(res.body).toBeUndefined();
  });
});
