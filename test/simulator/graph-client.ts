import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { appToken } from '../helpers/simulator-token';

/** The clock every simulator test uses unless it says otherwise: seed times resolve against it. */
export const FIXED_NOW = new Date('2025-06-18T12:00:00.000Z');
export const fixedClock = (): Date => FIXED_NOW;

/** Ids of the demo tenant (docs/demo-tenant.md). */
export const ID = {
  megan: '9a1b7c20-0001-4e8a-9c11-000000000001',
  alex: '9a1b7c20-0002-4e8a-9c11-000000000002',
  patti: '9a1b7c20-0003-4e8a-9c11-000000000003',
  adele: '9a1b7c20-0004-4e8a-9c11-000000000004',
  lee: '9a1b7c20-0005-4e8a-9c11-000000000005',
  diego: '9a1b7c20-0006-4e8a-9c11-000000000006',
  isaiah: '9a1b7c20-0007-4e8a-9c11-000000000007',
  nestor: '9a1b7c20-0008-4e8a-9c11-000000000008',
  johanna: '9a1b7c20-0009-4e8a-9c11-000000000009',
  grady: '9a1b7c20-000a-4e8a-9c11-00000000000a',
  ravi: '9a1b7c20-000b-4e8a-9c11-00000000000b',
  miriam: '9a1b7c20-000c-4e8a-9c11-00000000000c',
  helpdeskGroup: '3c0d9e51-1000-4b2a-8f00-00000000a001',
  approversGroup: '3c0d9e51-1000-4b2a-8f00-00000000a002',
  privilegedApproversGroup: '3c0d9e51-1000-4b2a-8f00-00000000a003',
  botApp: 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
  hrApp: '7d3e5f10-aaaa-4bbb-8ccc-0000000000e1',
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
  password: '28c10230-6103-485e-b985-444c60001490',
} as const;

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Replaces the default headers (bearer token, JSON content type when there is a body). */
  headers?: Record<string, string>;
  /** Extra headers on top of the defaults. */
  extraHeaders?: Record<string, string>;
  version?: 'v1.0' | 'beta' | '';
}

/**
 * One real HTTP call to the simulator, with a real app token from its token endpoint by default. `body` is parsed JSON (typed loosely on
 * purpose: tests read Graph's shapes as a client would).
 */
export async function graph(sim: RunningSimulator, path: string, options: CallOptions = {}) {
  const version = options.version ?? 'v1.0';
  const url = path.startsWith('http') ? path : `${sim.url}${version ? `/${version}` : ''}${path}`;
  // A fresh token every call: a test may have moved the simulator's clock past an earlier token's expiry.
  const defaults: Record<string, string> = options.headers ? {} : { Authorization: `Bearer ${await appToken(sim.url)}` };
  if (options.body !== undefined) defaults['Content-Type'] = 'application/json';
  const headers = { ...(options.headers ?? defaults), ...(options.extraHeaders ?? {}) };
  const res = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export type Entity = Record<string, unknown>;

/** The `value` array of a collection response. */
export function values(body: unknown): Entity[] {
  const value = (body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) throw new Error(`not a collection: ${JSON.stringify(body)}`);
  return value as Entity[];
}

/** Follows @odata.nextLink to the end and returns every item, plus how many pages it took. */
export async function readAllPages(sim: RunningSimulator, first: string, options: CallOptions = {}): Promise<{ items: Entity[]; pages: number }> {
  const items: Entity[] = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const res = await graph(sim, next, options);
    if (res.status !== 200) throw new Error(`page ${pages + 1} failed: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...values(res.body));
    next = (res.body as { '@odata.nextLink'?: string })['@odata.nextLink'];
    pages++;
  }
  return { items, pages };
}

/** The whole tenant state as text, Maps included (JSON.stringify alone would print them as {}). */
export function dumpState(sim: RunningSimulator): string {
  const replacer = (_key: string, value: unknown): unknown => (value instanceof Map ? Object.fromEntries(value as Map<string, unknown>) : value);
  return JSON.stringify(sim.tenant, replacer);
}

/**
 * One simulated tenant for a describe block, on the fixed clock, re-seeded before every test. Returns a getter:
 * the simulator exists only once beforeAll has run.
 */
export function useResetSimulator(): () => RunningSimulator {
  let sim: RunningSimulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: fixedClock });
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    await graph(current(), '/_simulator/reset', { version: '', method: 'POST', headers: {} });
  });
  const current = (): RunningSimulator => {
    if (!sim) throw new Error('the simulator starts in beforeAll');
    return sim;
  };
  return current;
}

/** A POST to a control endpoint under /_simulator (no bearer token), with a JSON body when one is given. */
export function control(sim: RunningSimulator, path: string, body?: Record<string, unknown>) {
  return graph(sim, `/_simulator${path}`, { version: '', method: 'POST', headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body });
}
