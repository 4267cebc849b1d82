/**
 * Card clicks against the floor, in one run: the compiled bot (one worker, and WEB_CONCURRENCY workers) and the bare
 * teams-ai bot (bench/floor-bot.ts) take the same click body from one load-generator process (bench/load.ts), level
 * after level, the servers interleaved within each repetition so that the machine's state at any moment weighs on all
 * of them alike. Server CPU comes from /proc for the server's whole process tree; the client reports its own.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardSigner } from '../src/teams/card-signature';
import { Verb } from '../src/views/verbs';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY } from '../test/helpers/bot-over-http';
import { cardInvoke, DEFAULT_THREAD } from '../test/helpers/bot-harness';
import { TENANT_ID, USERS } from '../test/helpers/demo-ids';
import { PROCESSES } from '../test/helpers/test-clock';
import { freePort } from '../test/helpers/free-port';
import { caseAwaitingApproval } from './case-setup';
import type { BurstRequest, BurstResult } from './load';
import { measureStart, outputMatch, processTree, rssMb, servingProcesses, stopChild, treeCpuMs, type StartMeasure } from './processes';

export const ROOT = join(__dirname, '..');
const COMPILED_BOT = join(ROOT, 'dist', 'index.js');
const FLOOR_BOT = join(ROOT, 'dist-bench', 'floor-bot.js');
const LOAD = join(ROOT, 'dist-bench', 'load.js');

/** Clicks per burst at each level; the burst of 100 is also the cold burst's size. */
export const LEVELS = [
  { concurrency: 1, clicks: 300 },
  { concurrency: 10, clicks: 1_000 },
  { concurrency: 100, clicks: 1_000 },
] as const;

export type ServerName = 'floor' | 'bot' | 'botWorkers';

export interface LevelFigures {
  readonly concurrency: number;
  readonly clicks: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly clicksPerSecond: number;
  /** The server's CPU (its whole process tree) per click, ms. */
  readonly serverCpuMs: number;
  /** The load generator's CPU per click, ms. */
  readonly clientCpuMs: number;
  /** Each burst's own p99 (the pooled p99 above hides whether one burst or all were slow), ms. */
  readonly p99OfEachBurstMs: readonly number[];
}

export interface ServerFigures {
  readonly name: ServerName;
  readonly workers: number;
  /** The first burst of 100 concurrent clicks after start (new connections, code not yet run for this click): the run with the median p99. */
  readonly cold: LevelFigures & { readonly p99OfEachRunMs?: readonly number[] };
  readonly levels: readonly LevelFigures[];
  /** Peak resident memory over the run, of the largest serving process (a worker, or the server itself), MB. */
  readonly peakRssPerProcessMb: number;
  readonly peakRssTotalMb: number;
  /** Spawn to /healthz and memory then, median of the start runs (one-worker servers only). */
  readonly start?: StartMeasure;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadGenerator {
    return new LoadGenerator(fork(LOAD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  burst(request: Omit<BurstRequest, 'kind'>): Promise<BurstResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: BurstResult) => {
        this.child.off('exit', onExit);
        if (m.error) reject(new Error(`a click got a wrong answer from ${request.url}: ${m.error}`));
        else resolve(m);
      });
      this.child.send({ kind: 'burst', ...request } satisfies BurstRequest);
    });
  }

  stop(): Promise<void> {
    this.child.send({ kind: 'exit' });
    return stopChild(this.child);
  }
}

interface RunningServer {
  readonly name: ServerName;
  readonly pid: number;
  readonly url: string;
  readonly body: string;
  readonly mustContain: string;
  readonly workers: number;
  stop(): Promise<void>;
}

const botEnv = (simulatorUrl: string, dataDir: string, workers: number): Record<string, string> => ({
  BOT_MODE: 'demo',
  SIMULATOR_URL: simulatorUrl,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  CARD_SIGNING_KEY: TEST_SIGNING_KEY,
  CLOCK_OFFSET_MS: String(PROCESSES.offsetMs),
  WEB_CONCURRENCY: String(workers),
});

/** The bench's click: an approver refreshes the approval card of a case waiting for approval, signed as the bot signs. */
function refreshBody(caseId: string, version: number, serviceUrl: string): string {
  const sig = new CardSigner(TEST_SIGNING_KEY).sign({ tenantId: TENANT_ID, conversationId: DEFAULT_THREAD, caseId, version });
  const activity = cardInvoke(
    Verb.refreshApproval,
    { caseId, version, sig },
    { from: { id: `29:${USERS.alex.id}`, name: USERS.alex.name, aadObjectId: USERS.alex.id } },
  );
  return JSON.stringify({ ...activity, id: '__ID__', serviceUrl });
}

/** A compiled bot with a case waiting for approval (Megan recovers Adele, accidental, approval requested, settled). */
async function startBot(name: ServerName, workers: number, simulatorUrl: string, connector: FakeConnector, dirs: string[]): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  dirs.push(dataDir);
  const bot = await BotInstance.start(name, botEnv(simulatorUrl, dataDir, workers), connector, { compiled: true });
  const { caseId, current } = await caseAwaitingApproval(bot, connector, dataDir, USERS.adele.upn, 'accidental');
  // The version an approver's card carries once the request has settled (Teams refreshes the card to it).
  const version = (await current()).version;
  return {
    name,
    pid: bot.pid ?? 0,
    url: `${bot.url}/api/messages`,
    body: refreshBody(caseId, version, connector.url),
    mustContain: caseId,
    workers,
    stop: async () => void (await bot.stop()),
  };
}

async function startFloor(body: string, mustContain: string): Promise<RunningServer> {
  const child = spawn(process.execPath, [FLOOR_BOT], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = (await outputMatch(child, /listening on (http:\/\/[\d.:]+)/))[1] ?? '';
  return { name: 'floor', pid: child.pid ?? 0, url: `${url}/api/messages`, body, mustContain, workers: 1, stop: () => stopChild(child) };
}

function figures(level: { concurrency: number }, bursts: readonly BurstResult[], serverCpuMs: number): LevelFigures {
  const latencies = bursts.flatMap((b) => b.latencies).sort((a, b) => a - b);
  const wallMs = bursts.reduce((s, b) => s + b.wallMs, 0);
  const clientCpuMs = bursts.reduce((s, b) => s + b.clientCpuMs, 0);
  return {
    concurrency: level.concurrency,
    clicks: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    clicksPerSecond: latencies.length / (wallMs / 1000),
    serverCpuMs: serverCpuMs / latencies.length,
    clientCpuMs: clientCpuMs / latencies.length,
    p99OfEachBurstMs: bursts.map((b) => Math.round(percentile(b.latencies, 99) * 10) / 10),
  };
}

/** Median of the start runs by start time. */
function median(runs: readonly StartMeasure[]): StartMeasure {
  const sorted = [...runs].sort((a, b) => a.startMs - b.startMs);
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (!mid) throw new Error('no start runs');
  return mid;
}

/** Clicks each warm server takes before anything is reported: V8 has compiled the click's path by then (~3,000 clicks). */
const WARM_UP = { concurrency: 100, clicks: 3_000 };
/** Clicks per connection sent, unmeasured, before each measured burst. */
const PRIMING_ROUNDS = 2;
/** The cold burst: the first burst of 100 concurrent clicks after a start. */
const COLD = { concurrency: 100, clicks: 1_000 };

/**
 * 1. Start time and memory at start of the floor and the one-worker bot, `startRuns` times each, alternating.
 * 2. The first burst after start, `coldRuns` times for each server (a fresh process each time; the bots with their case
 *    set up first), alternating: the run with the median p99 is reported.
 * 3. Warm servers (after WARM_UP clicks each, not reported): the click levels, `repetitions` times, every server at
 *    every level.
 */
export async function measureClicks(options: {
  simulatorUrl: string;
  workers: number;
  repetitions: number;
  startRuns: number;
  coldRuns: number;
}): Promise<ServerFigures[]> {
  const dirs: string[] = [];
  const starts: Record<'floor' | 'bot', StartMeasure[]> = { floor: [], bot: [] };
  for (let i = 0; i < options.startRuns; i++) {
    starts.floor.push(await measureStart([FLOOR_BOT], {}, await freePort(), ROOT));
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
    dirs.push(dataDir);
    starts.bot.push(await measureStart([COMPILED_BOT], botEnv(options.simulatorUrl, dataDir, 1), await freePort(), join(ROOT, 'test')));
  }

  const connector = await FakeConnector.start();
  const load = LoadGenerator.start();
  const servers: RunningServer[] = [];
  const burst = async (server: RunningServer, concurrency: number, clicks: number): Promise<{ result: BurstResult; cpuMs: number }> => {
    const before = treeCpuMs(server.pid);
    const result = await load.burst({
      url: server.url,
      body: server.body,
      concurrency,
      clicks,
      mustContain: server.mustContain,
      mustNotContain: '"id":"refusal"',
    });
    return { result, cpuMs: treeCpuMs(server.pid) - before };
  };
  try {
    const colds = new Map<ServerName, LevelFigures[]>();
    for (let i = 0; i < options.coldRuns; i++) {
      // One server alive at a time, so that no other process's start-up shares the cores with a cold burst. Each is
      // stopped by the finally below if its start or its burst fails (stopping twice is harmless).
      let body: { body: string; mustContain: string } | undefined;
      for (const name of ['bot', 'botWorkers', 'floor'] as const) {
        const server =
          name === 'floor'
            ? await startFloor(body?.body ?? '', body?.mustContain ?? '')
            : await startBot(name, name === 'bot' ? 1 : options.workers, options.simulatorUrl, connector, dirs);
        servers.push(server);
        body ??= server;
        // The bots served their setup's requests before this burst; the floor serves one click, so that no cold burst
        // pays for a server's very first request.
        if (name === 'floor') await burst(server, 1, 1);
        const { result, cpuMs } = await burst(server, COLD.concurrency, COLD.clicks);
        await server.stop();
        servers.splice(0);
        colds.set(name, [...(colds.get(name) ?? []), figures(COLD, [result], cpuMs)]);
      }
    }
    const medianCold = (name: ServerName): ServerFigures['cold'] => {
      const runs = [...(colds.get(name) ?? [])].sort((x, y) => x.p99Ms - y.p99Ms);
      const mid = runs[Math.floor(runs.length / 2)];
      if (!mid) throw new Error(`no cold run of ${name}`);
      return { ...mid, p99OfEachRunMs: runs.map((r) => r.p99Ms) };
    };

    servers.push(await startBot('bot', 1, options.simulatorUrl, connector, dirs));
    servers.push(await startBot('botWorkers', options.workers, options.simulatorUrl, connector, dirs));
    const bot = servers[0];
    if (!bot) throw new Error('no bot');
    servers.push(await startFloor(bot.body, bot.mustContain));
    for (const server of servers) await burst(server, WARM_UP.concurrency, WARM_UP.clicks);
    const samples = new Map<string, { bursts: BurstResult[]; cpuMs: number }>();
    for (let rep = 0; rep < options.repetitions; rep++) {
      for (const level of LEVELS) {
        // The order of the servers turns every repetition: none always runs right after another's burst.
        for (let k = 0; k < servers.length; k++) {
          const server = servers[(k + rep) % servers.length];
          if (!server) continue;
          // Connections idle longer than the server's keep-alive timeout (Node's 5 s) were closed meanwhile; opening
          // them again is the cold burst's business (bench/README.md), so each burst starts on open connections.
          await burst(server, level.concurrency, PRIMING_ROUNDS * level.concurrency);
          const { result, cpuMs } = await burst(server, level.concurrency, level.clicks);
          const key = `${server.name}/${level.concurrency}`;
          const entry = samples.get(key) ?? { bursts: [], cpuMs: 0 };
          entry.bursts.push(result);
          entry.cpuMs += cpuMs;
          samples.set(key, entry);
        }
      }
    }
    return servers.map((server) => {
      const serving = servingProcesses(server.pid);
      const start = server.name === 'floor' ? median(starts.floor) : server.name === 'bot' ? median(starts.bot) : undefined;
      return {
        name: server.name,
        workers: serving.length === 1 && serving[0] === server.pid ? 1 : serving.length,
        cold: medianCold(server.name),
        levels: LEVELS.map((level) => {
          const entry = samples.get(`${server.name}/${level.concurrency}`) ?? { bursts: [], cpuMs: 0 };
          return figures(level, entry.bursts, entry.cpuMs);
        }),
        peakRssPerProcessMb: Math.max(...serving.map((p) => rssMb(p, 'VmHWM') ?? 0)),
        peakRssTotalMb: processTree(server.pid).reduce((s, p) => s + (rssMb(p, 'VmHWM') ?? 0), 0),
        ...(start ? { start } : {}),
      };
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await load.stop();
    await connector.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
