/**
 * The Graph side of the bench: round trips to remove every method of a user, the bulk restore of 1,000 users against
 * the throttle floor, and the time from an approval click to "every method removed and sessions revoked", each
 * against a sequential script over the same simulated tenant, latency and throttling in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decideOnIncident, openIncident, runIncident, startIncident } from '../src/app/incident';
import { removeAllMethods } from '../src/app/execute-case';
import { incidentCounts } from '../src/domain/incident';
import { createGraphClient } from '../src/entra/graph-client';
import { GraphDirectory } from '../src/entra/graph-directory';
import { loadDemoSeed, type TenantSeed } from '../src/simulator';
import { parseConfig } from '../src/config';
import { composeBot } from '../src/compose-bot';
import { BackgroundWork } from '../src/app/background-work';
import { InMemoryStorage } from '../src/store/memory-storage';
import { Verb } from '../src/views/verbs';
import { BotInstance, FakeConnector } from '../test/helpers/bot-over-http';
import { USERS } from '../test/helpers/demo-ids';
import { PROCESSES } from '../test/helpers/test-clock';
import { incidentSeed, SYNC_ACCOUNT } from '../test/helpers/incident-tenant';
import { appToken, simulatorCredential } from '../test/helpers/simulator-token';
import { caseAwaitingApproval } from './case-setup';
import { outputMatch, stopChild } from './processes';
import { naiveRemoveAllMethods, naiveRestoreUsers, naiveRevokeSessions } from './naive';

const ROOT = join(__dirname, '..');
/** The same simulated network latency for every Graph request of every measurement. */
export const LATENCY_MS = 50;
/** The bulk run's write bucket: 250 writes per second (see bench/README.md for why it is scaled from Graph's 20/s). */
export const WRITES = 250;
export const WRITE_WINDOW_MS = 1_000;
export const BULK_USERS = 1_000;
const METHOD_COUNTS = [1, 5, 10] as const;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface SimProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The simulator in its own process (src/simulator/main.ts), so its work does not share this event loop; on the same
 * pinned clock as the bot processes (BotInstance passes the offset to them).
 */
export async function startSimulatorProcess(args: readonly string[]): Promise<SimProcess> {
  const clock = ['--clock-offset-ms', String(PROCESSES.offsetMs)];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'simulator', 'main.ts'), '--port', '0', '--latency-ms', String(LATENCY_MS), ...clock, ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = (await outputMatch(child, /listening on (http:\/\/[\d.:]+)/))[1] ?? '';
  return { url, stop: () => stopChild(child) };
}

/** Counts this process's HTTP requests to one origin (the Graph client uses the global fetch). */
function countRequestsTo(origin: string): { count: () => number; reset: () => void; restore: () => void } {
  const original = globalThis.fetch;
  let n = 0;
  globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(origin)) n++;
    return original(input, init);
  };
  return { count: () => n, reset: () => void (n = 0), restore: () => void (globalThis.fetch = original) };
}

// ---- 2. Round trips for one malicious recovery's method removal ----

type SeedMethod = NonNullable<TenantSeed['users'][number]['methods']>[number];

/** Authenticator `n` of a user (its id made unique by `hex`), registered `daysAgo`. */
const authenticator = (hex: string, n: number, daysAgo: number): SeedMethod => ({
  type: 'microsoftAuthenticator',
  id: `a7c0de11-${hex}-4a1b-9c2d-00000000000${n}`,
  displayName: `Phone ${n}`,
  phoneAppVersion: '6.8.6',
  createdDateTime: { daysAgo, time: '09:00:00' },
});

/** Security key `n` of a user (its id made unique by `hex`), registered `daysAgo`. */
const securityKey = (hex: string, n: number, daysAgo: number): SeedMethod => ({
  type: 'fido2',
  id: `fido2-${hex}-${n}`,
  displayName: `Key ${n}`,
  model: 'YubiKey 5 NFC',
  aaGuid: 'fa2b99dc-9e39-4257-8f92-4a30d23c4118',
  createdDateTime: { daysAgo, time: '09:00:00' },
});

/** A phone method: Graph's fixed id for its phone type, a 425 555 number. */
const phone = (id: string, phoneType: 'mobile' | 'alternateMobile' | 'office', last: string): SeedMethod => ({
  type: 'phone',
  id,
  phoneType,
  phoneNumber: `+1 425 555 ${last}`,
});

/** The first `k` (at most 10) methods of a user: every deletable kind, the default (Authenticator 1) among them. */
const methodsFor = (k: number, hex: string): SeedMethod[] =>
  [
    authenticator(hex, 1, 150),
    phone('3179e48a-750b-4051-897c-87b9720928f7', 'mobile', '0100'),
    securityKey(hex, 1, 100),
    phone('b6332ec1-7057-4abe-9331-3d72feddfe41', 'alternateMobile', '0101'),
    authenticator(hex, 2, 140),
    securityKey(hex, 2, 90),
    phone('e37fc753-ff3b-4958-9484-eaa9425c82bc', 'office', '0102'),
    securityKey(hex, 3, 80),
    authenticator(hex, 3, 130),
    securityKey(hex, 4, 70),
  ].slice(0, k);

/** An active user with `k` methods (Authenticator as the default), named `local`@contoso.com. */
function methodUser(id: string, local: string, k: number, hex: string): TenantSeed['users'][number] {
  return {
    id,
    displayName: local,
    userPrincipalName: `${local}@contoso.com`,
    mailNickname: local,
    createdDateTime: { daysAgo: 200, time: '09:00:00' },
    lastPasswordChangeDateTime: { daysAgo: 60, time: '09:00:00' },
    userPreferredMethodForSecondaryAuthentication: 'push',
    methods: methodsFor(k, hex),
  };
}

const rtUserId = (who: 'bot' | 'naive', k: number): string => `5f000000-0000-4000-8000-${who === 'bot' ? 'b' : 'a'}${String(k).padStart(11, '0')}`;

export async function measureRoundTrips(dir: string): Promise<{ k: number; methodsRemoved: number; bot: number; naive: number; naiveRemoved: number }[]> {
  const seed = loadDemoSeed();
  for (const k of METHOD_COUNTS) {
    for (const who of ['bot', 'naive'] as const)
      seed.users.push(methodUser(rtUserId(who, k), `rt-${who}-${k}`, k, `${who === 'bot' ? 'b' : 'a'}${k}`.padStart(4, '0')));
  }
  const seedFile = join(dir, 'round-trips.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const sim = await startSimulatorProcess(['--seed', seedFile]);
  const counter = countRequestsTo(sim.url);
  try {
    const client = createGraphClient({ baseUrl: sim.url, credential: simulatorCredential(sim.url) });
    const directory = new GraphDirectory(client, sim.url);
    const rows = [];
    for (const k of METHOD_COUNTS) {
      counter.reset();
      const outcome = await removeAllMethods({ directory }, rtUserId('bot', k));
      const bot = counter.count();
      const removed = Number(/Removed (\d+) method/.exec(outcome.detail)?.[1] ?? NaN);
      const naive = await naiveRemoveAllMethods({ url: sim.url, token: await appToken(sim.url) }, rtUserId('naive', k));
      rows.push({ k, methodsRemoved: removed, bot, naive: naive.roundTrips, naiveRemoved: naive.deleted });
    }
    return rows;
  } finally {
    counter.restore();
    await sim.stop();
  }
}

// ---- 3. From the approval click to every method removed and sessions revoked ----

/** Methods of the user in the approval-to-removal measurement: the most the round-trip table measures. */
const REMOVAL_METHODS = 10;
const removalUserId = (who: 'bot' | 'naive'): string => `5f000000-0000-4000-8000-${who === 'bot' ? 'c' : 'd'}00000000010`;

export interface RemovalFigures {
  readonly methods: number;
  /** Approval click sent → the bot's step "revoke sessions" done (its removal step runs first), ms. */
  readonly botMs: number;
  readonly botRemoved: number;
  /** The approval recorded, the run started, the removal step started (each a write to the case and its cards), ms. */
  readonly botClickToRemovalStartMs: number;
  /** The removal step's Graph work (list, ordered deletions, list again), ms. */
  readonly botRemovalMs: number;
  /** From the removal step done to the revocation done, ms. */
  readonly botRevokeMs: number;
  /** The runbook: list each method type, delete each method, revoke sessions, one request at a time, ms. */
  readonly runbookMs: number;
  readonly runbookRoundTrips: number;
  readonly runbookRemoved: number;
}

/**
 * A malicious recovery of an active user with 10 methods, in the compiled bot over HTTP: Megan opens it, confirms
 * malicious, requests approval; the bench times from Alex's approval click to the moment the bot's journal says the
 * sessions were revoked (its removal step runs first, then revocation; the step times are the bot's clock, which is the
 * bench's wall clock plus the pinned offset). The runbook does the same to a twin user, one request at a time.
 */
export async function measureApprovalToRemoval(dir: string): Promise<RemovalFigures> {
  const seed = loadDemoSeed();
  seed.users.push(
    methodUser(removalUserId('bot'), 'removal-bot', REMOVAL_METHODS, 'c010'),
    methodUser(removalUserId('naive'), 'removal-naive', REMOVAL_METHODS, 'd010'),
  );
  const seedFile = join(dir, 'removal.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const sim = await startSimulatorProcess(['--seed', seedFile]);
  const connector = await FakeConnector.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-removal-'));
  const bot = await BotInstance.start('removal', { SIMULATOR_URL: sim.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', WEB_CONCURRENCY: '1' }, connector, {
    compiled: true,
  });
  try {
    const { caseId, current, until } = await caseAwaitingApproval(bot, connector, dataDir, 'removal-bot@contoso.com', 'malicious');
    const waiting = await current();
    const stepOf = (kind: string): string => {
      const step = waiting.plan?.find((s) => s.kind === kind);
      if (!step) throw new Error(`the plan of ${caseId} has no ${kind} step`);
      return step.id;
    };
    const removeStep = stepOf('removeAllMethods');
    const revokeStep = stepOf('revokeSessions');
    const clickedAt = Date.now();
    await bot.click(Verb.approve, { caseId, version: waiting.version, comment: 'Benchmark' }, USERS.alex);
    const ran = await until('the removal and the revocation', (c) => c.steps?.[revokeStep]?.status === 'done', 10);
    const wall = (iso: string | undefined): number => Date.parse(iso ?? '') - PROCESSES.offsetMs;
    const revokedAt = wall(ran.steps?.[revokeStep]?.at);
    const removalStarted = wall([...ran.journal].reverse().find((j) => j.event.startsWith('Step started: Remove every'))?.at);
    const botRemoved = Number(/Removed (\d+) method/.exec(ran.steps?.[removeStep]?.detail ?? '')?.[1] ?? NaN);

    const graph = { url: sim.url, token: await appToken(sim.url) };
    const t0 = performance.now();
    const removed = await naiveRemoveAllMethods(graph, removalUserId('naive'));
    const revoked = await naiveRevokeSessions(graph, removalUserId('naive'));
    const runbookMs = performance.now() - t0;
    if (!revoked.revoked) throw new Error('the runbook could not revoke the sessions');
    return {
      methods: REMOVAL_METHODS,
      botMs: revokedAt - clickedAt,
      botClickToRemovalStartMs: removalStarted - clickedAt,
      botRemovalMs: wall(ran.steps?.[removeStep]?.at) - removalStarted,
      botRevokeMs: revokedAt - wall(ran.steps?.[removeStep]?.at),
      botRemoved,
      runbookMs,
      runbookRoundTrips: removed.roundTrips + revoked.roundTrips,
      runbookRemoved: removed.deleted,
    };
  } finally {
    await bot.stop();
    await connector.close();
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- 4. Bulk restore of 1,000 users ----

export async function measureBulk(dir: string): Promise<Record<string, number>> {
  const seedFile = join(dir, 'incident.json');
  writeFileSync(seedFile, JSON.stringify(incidentSeed({ deleted: BULK_USERS, startedAt: new Date(PROCESSES.now().getTime() - 2 * 3_600_000), updates: 20 })));
  const sim = await startSimulatorProcess([
    '--seed',
    seedFile,
    '--throttling',
    'graph',
    '--write-limit',
    String(WRITES),
    '--write-window-ms',
    String(WRITE_WINDOW_MS),
  ]);
  const counter = countRequestsTo(sim.url);
  try {
    // The bot as src/index.ts composes it, on the bench's edges: wall clock, memory storage, a thread that takes every
    // card and answers nothing, timers the bench never reaches.
    let n = 0;
    const { incidentDeps: deps } = composeBot(parseConfig({ BOT_MODE: 'demo', SIMULATOR_URL: sim.url }), {
      clock: { now: PROCESSES.now },
      logger: silent,
      storage: new InMemoryStorage(),
      poster: { post: () => Promise.resolve(`bench-${++n}`), update: () => Promise.resolve(), memberIds: () => Promise.resolve(new Map()) },
      scheduler: { at: () => undefined },
      background: new BackgroundWork(silent),
      newCaseId: () => `RC-BENCH${String(++n).padStart(3, '0')}`,
      newIncidentId: () => `IN-BENCH${String(++n).padStart(3, '0')}`,
    });
    const must = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
      if (!r.ok) throw new Error(r.message);
      return r.value;
    };
    const t0 = performance.now();
    const opened = must(await openIncident(deps, { text: `${SYNC_ACCOUNT.upn} last 6h`, requester: { aadObjectId: USERS.megan.id, name: USERS.megan.name } }));
    const findMs = performance.now() - t0;
    must(await decideOnIncident(deps, { id: opened.id, by: { aadObjectId: USERS.alex.id, name: USERS.alex.name }, decision: 'approve' }));
    must(await decideOnIncident(deps, { id: opened.id, by: { aadObjectId: USERS.patti.id, name: USERS.patti.name }, decision: 'approve' }));
    must(await startIncident(deps, { id: opened.id, by: { aadObjectId: USERS.megan.id, name: USERS.megan.name } }));
    counter.reset();
    const t1 = performance.now();
    const done = must(await runIncident(deps, opened.id));
    const botMs = performance.now() - t1;
    const botRoundTrips = counter.count();
    const counts = incidentCounts(done);
    if (counts.restored !== BULK_USERS) throw new Error(`the bot restored ${counts.restored} of ${BULK_USERS} users: ${JSON.stringify(counts)}`);

    // The same users deleted again, the throttle's buckets full again: the naive loop starts where the bot started.
    await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
    const ids = done.users.map((u) => u.id);
    const naiveGraph = { url: sim.url, token: await appToken(sim.url) };
    const t2 = performance.now();
    const naive = await naiveRestoreUsers(naiveGraph, ids);
    const naiveMs = performance.now() - t2;
    if (naive.restored !== BULK_USERS) throw new Error(`the naive loop restored ${naive.restored} of ${BULK_USERS}`);

    const floorMs = (BULK_USERS / (WRITES / (WRITE_WINDOW_MS / 1000))) * 1000;
    return {
      users: BULK_USERS,
      findMs: round(findMs, 0),
      botMs: round(botMs, 0),
      botRoundTrips,
      floorMs: round(floorMs, 0),
      botOverFloor: round(botMs / floorMs, 2),
      naiveMs: round(naiveMs, 0),
      naiveRoundTrips: naive.roundTrips,
      naiveOverBot: round(naiveMs / botMs, 1),
    };
  } finally {
    counter.restore();
    await sim.stop();
  }
}
