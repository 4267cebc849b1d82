import type { RecoveryCase } from '../../src/domain/case';
import { matchRequest } from '../../src/entra/graph-request-match';
import { ALL_REQUESTS } from '../../src/entra/graph-requests';
import type { GraphRequestSeen } from '../../src/simulator/request-pipeline';
import { Verb } from '../../src/views/verbs';
import { smoke } from '../../scripts/smoke';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { incidentSeed, SYNC_ACCOUNT } from '../helpers/incident-tenant';
import { TEST_NOW } from '../helpers/test-clock';
import { demoSeedWith } from './simulated-directory';

/**
 * Every request the simulated tenant receives over whole runs of what the bot does (each demo playbook, `readiness`,
 * `incident`, `npm run smoke`) is a registry entry, and every registry entry is sent by at least one of those runs:
 * a request added without its entry fails here (and at the guard), and an entry nothing sends any more is noticed.
 */

/** The demo tenant with Lee holding one method of every type the bot can delete (copies of the other demo users'). */
function everyMethodTypeOnLee(): ReturnType<typeof demoSeedWith> {
  return demoSeedWith((seed) => {
    const lee = seed.users.find((u) => u.id === USERS.lee.id);
    if (!lee) throw new Error('no Lee in the demo seed');
    const has = new Set((lee.methods ?? []).map((m) => m.type));
    for (const method of seed.users.flatMap((u) => (u === lee ? [] : (u.methods ?? [])))) {
      if (has.has(method.type)) continue;
      has.add(method.type);
      lee.methods = [...(lee.methods ?? []), { ...method, id: `f0f0f0f0-0000-4000-8000-${String(has.size).padStart(12, '0')}` }];
    }
  });
}

/** What the simulator saw, as the adapter sent it (segments encoded again), matched against the registry. */
function matched(seen: GraphRequestSeen): { id?: string; problem?: string } {
  const path = seen.path.split('/').map(encodeURIComponent).join('/');
  const query = seen.query.toString();
  const found = matchRequest({
    method: seen.method,
    version: seen.version,
    pathAndQuery: query ? `${path}?${query}` : path,
    nextLink: seen.query.has('$skiptoken'),
  });
  return found.ok ? { id: found.spec.id } : { problem: `${seen.method} ${seen.version}${path}?${query}: ${found.reason}` };
}

/** A request as the bot's Graph client handed it to fetch (the simulator is not told of an outer `$batch`). */
interface Sent {
  readonly method: string;
  readonly url: string;
  readonly consistencyLevel: string | null;
}

function sentOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): Sent {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return { method: (init?.method ?? 'GET').toUpperCase(), url, consistencyLevel: new Headers(init?.headers).get('ConsistencyLevel') };
}

describe('the registry covers every Graph request of every run, and every entry is used', () => {
  const seen: GraphRequestSeen[] = [];
  const record = (r: GraphRequestSeen): void => void seen.push(r);
  let fetchSpy: jest.SpiedFunction<typeof fetch>;
  beforeEach(() => {
    // Observes what leaves the client, and calls the real fetch.
    fetchSpy = jest.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchSpy.mockRestore());

  it('holds every request of the playbooks, readiness, incident and smoke runs, and each of its entries is sent by one of them', async () => {
    // Small pages, so that the collections are read through @odata.nextLink as well.
    // Adele has an alternate email (otherMails): her cases tell her there, from Patti's mailbox.
    const bot = await BotHarness.start(everyMethodTypeOnLee(), undefined, {
      simulator: { onGraphRequest: record, pageSize: 3 },
      env: { NOTIFY_MAIL_SENDER: USERS.patti.upn },
    });
    try {
      const current = async (id: string): Promise<RecoveryCase> => (await bot.cases.get(id))!.value;
      const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
      const nextWaiting = (c: RecoveryCase) => c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');

      // Malicious, whole: every method removed (each type), sessions revoked, password, TAP, re-check, validation.
      let c = await bot.caseAwaitingApproval(USERS.lee.upn, 'malicious');
      await bot.click(Verb.approve, data(c), { from: USERS.alex });
      c = await current(c.id);
      expect((bot.simulator.tenant.methods.get(USERS.lee.id) ?? []).map((m) => m.type)).toEqual(['password']);
      c = await bot.identityByFallback(c.id);
      await bot.click(Verb.revealPassword, data(c, { stepId: nextWaiting(c)?.id }));
      c = await current(c.id);
      // The first TAP create is answered 503: the bot reads the user's passes, deletes the one nobody saw, creates again.
      bot.simulator.faults.add({ method: 'POST', path: /\/temporaryAccessPassMethods$/, kind: 'error', status: 503, code: 'serviceNotAvailable', times: 1 });
      await bot.click(Verb.revealTap, data(c, { stepId: nextWaiting(c)?.id, tapLifetime: '60', tapOneTime: 'true' }));
      expect(bot.simulator.faults.list()).toEqual([]);
      const registered = await fetch(`${bot.simulator.url}/_simulator/users/${USERS.lee.id}/register-method`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'fido2', displayName: 'YubiKey 5C' }),
      });
      expect(registered.status).toBe(201);
      c = await current(c.id);
      await bot.click(Verb.confirmGuided, data(c, { stepId: nextWaiting(c)?.id }));
      await fetch(`${bot.simulator.url}/_simulator/users/${USERS.lee.id}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'fido2' }),
      });
      c = await current(c.id);
      await bot.click(Verb.recheck, data(c));
      expect((await current(c.id)).state).toBe('validating');

      // Accidental: guided point-in-time restore, re-checked.
      c = await bot.caseAwaitingApproval(USERS.adele.upn, 'accidental');
      await bot.click(Verb.approve, data(c), { from: USERS.alex });
      await fetch(`${bot.simulator.url}/_simulator/backup/users/${USERS.adele.id}/restore`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      c = await current(c.id);
      await bot.click(Verb.confirmGuided, data(c, { stepId: nextWaiting(c)?.id }));

      // Soft-deleted (restore) and hard-deleted (recreate) targets. A soft-deleted target counts as privileged (its
      // memberships can't be read until it is restored): the two privileged approvers decide.
      c = await bot.caseAwaitingApproval(USERS.diego.upn, 'malicious');
      await bot.click(Verb.approve, data(c), { from: USERS.patti });
      await bot.click(Verb.approve, data(await current(c.id)), { from: USERS.nestor });
      expect(bot.simulator.tenant.users.has(USERS.diego.id)).toBe(true);
      c = await bot.caseAwaitingApproval(USERS.isaiah.upn, 'accidental', 'Offboarding script hit the wrong user; HR confirmed');
      await bot.click(Verb.approve, data(c), { from: USERS.alex });
      expect((await current(c.id)).recreatedUserId).toBeDefined();

      // Targets named by object id: active, and one hard-deleted (looked up in deleted items first).
      expect(repliesText(await bot.send(`recover ${USERS.johanna.id}`))).toMatch(/Recovery case RC-/);
      expect(repliesText(await bot.send(`recover ${USERS.isaiah.id}`))).not.toBe('');

      expect(repliesText(await bot.send('readiness'))).toContain('readiness');
      // Every probe answers; the demo app's service principal holds no directory role (docs/deploy.md section 8), the
      // one row smoke reports missing against the demo tenant.
      const checked = await smoke({ SIMULATOR_URL: bot.simulator.url });
      const notOk = checked.output.split('\n').filter((l) => /^(MISSING|FAILED|WARN|NOT CHECKED) /.test(l));
      expect(notOk.map((l) => l.split(/\s{2,}/)[1])).toEqual(["Directory role of the app's service principal"]);
    } finally {
      await bot.stop();
    }

    const incident = await BotHarness.start(
      incidentSeed({ deleted: 25, startedAt: new Date(TEST_NOW.getTime() - 3_600_000), purged: 1, restoredSince: 1 }),
      undefined,
      {
        simulator: { onGraphRequest: record },
      },
    );
    try {
      const plan = repliesText(await incident.send(`incident ${SYNC_ACCOUNT.upn} last 6h`, { from: USERS.megan }));
      const id = /Incident (IN-\d{8})/.exec(plan)?.[1] ?? '';
      await incident.send(`incident approve ${id}`, { from: USERS.alex });
      await incident.send(`incident approve ${id}`, { from: USERS.patti });
      expect(repliesText(await incident.send(`incident start ${id}`, { from: USERS.megan }))).toContain('run 1 started');
    } finally {
      await incident.stop();
    }

    const results = seen.map(matched);
    expect(results.flatMap((r) => (r.problem ? [r.problem] : []))).toEqual([]);
    // What left the client, with its ConsistencyLevel header: the same check, and the outer $batch requests.
    const graphUrl = /^http:\/\/127\.0\.0\.1:\d+\/(v1\.0|beta)(\/[^?]*)(\?.*)?$/;
    const sent = fetchSpy.mock.calls.map(([input, init]) => sentOf(input, init)).filter((r) => graphUrl.test(r.url));
    const clientResults = sent.map((r) => {
      const [, version = '', path = '', query = ''] = graphUrl.exec(r.url) ?? [];
      const found = matchRequest({
        method: r.method,
        version,
        pathAndQuery: `${path}${query}`,
        consistencyLevel: r.consistencyLevel,
        nextLink: query.includes('$skiptoken'),
      });
      return found.ok ? { id: found.spec.id } : { problem: `${r.method} ${r.url}: ${found.reason}` };
    });
    expect(clientResults.flatMap((r) => (r.problem ? [r.problem] : []))).toEqual([]);
    const used = new Set([...results, ...clientResults].map((r) => r.id));
    expect(ALL_REQUESTS.map((r) => r.id).filter((id) => !used.has(id))).toEqual([]);
    // The pages were read through next links too.
    expect(seen.some((r) => r.query.has('$skiptoken'))).toBe(true);
  }, 120_000);
});
