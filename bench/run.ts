/**
 * `npm run bench`: measures the bot against its floor and against the simulated tenant, prints the tables with ratios,
 * and writes bench/results.json. Not part of `npm test` (no timing is asserted anywhere): this is the measurement, read
 * by people. bench/README.md explains every figure.
 *
 * 0. Builds the bot (`npm run build`) and the bench's own processes (`tsconfig.bench.json`): everything measured runs
 *    compiled, as production does.
 * 1. Card clicks: the bot with one worker and with WEB_CONCURRENCY workers against the bare teams-ai bot, same click,
 *    same client, same run: CPU per click, p50/p99 at 1/10/100 concurrent, clicks per second, memory, start time, the
 *    first burst after start.
 * 2. Graph round trips to remove every method of a user, the bot's step vs a naive loop.
 * 3. From the approval click to every method removed and sessions revoked, the bot vs the sequential runbook.
 * 4. Bulk restore of 1,000 users: the bot's incident run vs the throttle floor and a sequential loop.
 *
 * BENCH_REPETITIONS (default 3) and BENCH_WORKERS (default 2) change the click section's size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LEVELS, measureClicks, ROOT, type LevelFigures, type ServerFigures } from './clicks';
import { BULK_USERS, LATENCY_MS, measureApprovalToRemoval, measureBulk, measureRoundTrips, startSimulatorProcess, WRITE_WINDOW_MS, WRITES } from './graph';

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const START_RUNS = 3;
const COLD_RUNS = 3;

/** The targets, each as "the figure ≤ limit". */
const TARGETS = {
  cpuPerClick: 1.2,
  p99OneWorker: 1.1,
  p99WorkersMs: 100,
  peakRssPerWorker: 1.2,
  coldOverWarm: 1.5,
} as const;

const r1 = (n: number): number => Math.round(n * 10) / 10;
const r2 = (n: number): number => Math.round(n * 100) / 100;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function build(): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.bench.json')], { cwd: ROOT, stdio: 'inherit' });
}

function byName(servers: readonly ServerFigures[], name: ServerFigures['name']): ServerFigures {
  const s = servers.find((x) => x.name === name);
  if (!s) throw new Error(`no figures for ${name}`);
  return s;
}

const at = (s: ServerFigures, concurrency: number): LevelFigures => {
  const l = s.levels.find((x) => x.concurrency === concurrency);
  if (!l) throw new Error(`no level ${concurrency}`);
  return l;
};

function printClicks(servers: readonly ServerFigures[]): Record<string, unknown> {
  const floor = byName(servers, 'floor');
  const bot = byName(servers, 'bot');
  const workers = byName(servers, 'botWorkers');
  const label = (s: ServerFigures): string => (s.name === 'floor' ? 'bare teams-ai (floor)' : `bot, ${s.workers} worker${s.workers === 1 ? '' : 's'}`);
  console.log('Card click → invoke response (compiled servers, one keep-alive client process, same click body)');
  const rows: Record<string, string | number>[] = [];
  for (const level of LEVELS) {
    for (const s of [floor, bot, workers]) {
      const l = at(s, level.concurrency);
      const f = at(floor, level.concurrency);
      rows.push({
        concurrent: level.concurrency,
        server: label(s),
        'CPU ms/click': r2(l.serverCpuMs),
        '× floor CPU': r2(l.serverCpuMs / f.serverCpuMs),
        'p50 ms': r1(l.p50Ms),
        'p99 ms': r1(l.p99Ms),
        '× floor p99': r2(l.p99Ms / f.p99Ms),
        'clicks/s': Math.round(l.clicksPerSecond),
        'client CPU ms/click': r2(l.clientCpuMs),
      });
    }
  }
  console.table(rows);
  console.log(`First burst after start (100 concurrent, new connections; median of ${COLD_RUNS} fresh starts) against the warm bursts at 100`);
  console.table(
    [floor, bot, workers].map((s) => ({
      server: label(s),
      'cold p50 ms': r1(s.cold.p50Ms),
      'cold p99 ms': r1(s.cold.p99Ms),
      'warm p99 ms': r1(at(s, 100).p99Ms),
      'cold ÷ warm p99': r2(s.cold.p99Ms / at(s, 100).p99Ms),
    })),
  );
  console.log('Memory and start');
  console.table(
    [floor, bot, workers].map((s) => ({
      server: label(s),
      'start → /healthz ms': s.start ? Math.round(s.start.startMs) : '',
      '× floor start': s.start && floor.start ? r2(s.start.startMs / floor.start.startMs) : '',
      'RSS at start MB': s.start ? Math.round(s.start.rssPerProcessMb) : '',
      'peak RSS per process MB': Math.round(s.peakRssPerProcessMb),
      '× floor peak': r2(s.peakRssPerProcessMb / floor.peakRssPerProcessMb),
      'peak RSS all processes MB': Math.round(s.peakRssTotalMb),
    })),
  );
  const cpuRatio = at(bot, 100).serverCpuMs / at(floor, 100).serverCpuMs;
  const cpuRatioAll = LEVELS.map((l) => at(bot, l.concurrency).serverCpuMs / at(floor, l.concurrency).serverCpuMs);
  const p99One = at(bot, 100).p99Ms / at(floor, 100).p99Ms;
  const p99Workers = at(workers, 100).p99Ms;
  const rssRatio = Math.max(bot.peakRssPerProcessMb, workers.peakRssPerProcessMb) / floor.peakRssPerProcessMb;
  const cold = bot.cold.p99Ms / at(bot, 100).p99Ms;
  const targets = {
    [`CPU per click ≤ ${TARGETS.cpuPerClick}× floor (at 1/10/100: ${cpuRatioAll.map(r2).join(' / ')})`]: met(Math.max(...cpuRatioAll) <= TARGETS.cpuPerClick),
    [`p99 at 100, one worker ≤ ${TARGETS.p99OneWorker}× floor (${r2(p99One)}×)`]: met(p99One <= TARGETS.p99OneWorker),
    [`p99 at 100 with ${workers.workers} workers ≤ ${TARGETS.p99WorkersMs} ms (${r1(p99Workers)} ms)`]: met(p99Workers <= TARGETS.p99WorkersMs),
    [`peak RSS per worker ≤ ${TARGETS.peakRssPerWorker}× floor (${r2(rssRatio)}×)`]: met(rssRatio <= TARGETS.peakRssPerWorker),
    [`first burst p99 ≤ ${TARGETS.coldOverWarm}× warm, one worker (${r2(cold)}×)`]: met(cold <= TARGETS.coldOverWarm),
  };
  console.log('Targets (issue 19)');
  console.table(Object.entries(targets).map(([target, result]) => ({ target, result })));
  return { cpuRatioAt100: r2(cpuRatio), targets };
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    build();
    console.log(
      `\nBenchmark on ${cpus().length} CPUs, Node ${process.version}: simulated latency ${LATENCY_MS} ms per Graph request; ` +
        `bulk write bucket ${WRITES} per ${WRITE_WINDOW_MS} ms; ${REPETITIONS} repetitions of each click level.\n`,
    );
    const sim = await startSimulatorProcess([]);
    let servers: ServerFigures[];
    try {
      servers = await measureClicks({ simulatorUrl: sim.url, workers: WORKERS, repetitions: REPETITIONS, startRuns: START_RUNS, coldRuns: COLD_RUNS });
    } finally {
      await sim.stop();
    }
    const summary = printClicks(servers);

    const trips = await measureRoundTrips(dir);
    console.log('Graph round trips to remove every method of one user (malicious recovery)');
    console.table(
      trips.map((t) => ({
        k: t.k,
        'removed (bot)': t.methodsRemoved,
        'bot round trips': t.bot,
        'naive round trips': t.naive,
        'removed (naive)': t.naiveRemoved,
        'target ≤ 3': met(t.bot <= 3),
      })),
    );

    const removal = await measureApprovalToRemoval(dir);
    console.log(`Approval click → every method removed and sessions revoked (${removal.methods} methods, ${LATENCY_MS} ms per Graph request)`);
    console.table([
      {
        what: `bot: click → removal starts ${Math.round(removal.botClickToRemovalStartMs)}, removal ${Math.round(removal.botRemovalMs)}, revocation ${Math.round(removal.botRevokeMs)}`,
        'wall ms': Math.round(removal.botMs),
        removed: removal.botRemoved,
        ratio: '',
      },
      {
        what: `sequential runbook (${removal.runbookRoundTrips} requests, one at a time)`,
        'wall ms': Math.round(removal.runbookMs),
        removed: removal.runbookRemoved,
        ratio: `${r1(removal.runbookMs / removal.botMs)}× the bot`,
      },
    ]);

    const bulk = await measureBulk(dir);
    console.log(`Bulk restore of ${BULK_USERS} users (one run, same latency and throttling)`);
    console.table([
      {
        what: 'bot ($batch, adaptive)',
        'wall s': r2((bulk.botMs ?? 0) / 1000),
        'round trips': bulk.botRoundTrips,
        ratio: `${bulk.botOverFloor}× floor (target ≤ 1.2)`,
      },
      { what: 'throttle floor (requests ÷ rate)', 'wall s': r2((bulk.floorMs ?? 0) / 1000), 'round trips': '', ratio: '' },
      {
        what: 'naive sequential loop',
        'wall s': r2((bulk.naiveMs ?? 0) / 1000),
        'round trips': bulk.naiveRoundTrips,
        ratio: `${bulk.naiveOverBot}× the bot (target ≥ 10)`,
      },
    ]);
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, platform: process.platform, cpus: cpus().length },
      settings: {
        latencyMs: LATENCY_MS,
        bulkWriteLimit: WRITES,
        bulkWriteWindowMs: WRITE_WINDOW_MS,
        repetitions: REPETITIONS,
        workers: WORKERS,
        levels: LEVELS,
      },
      clicks: servers,
      clickSummary: summary,
      roundTrips: trips,
      approvalToRemoval: removal,
      bulk,
      benchProcessPeakRssMb: r1(process.resourceUsage().maxRSS / 1024),
      totalSeconds: r1((performance.now() - started) / 1000),
    };
    writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nWrote bench/results.json in ${results.totalSeconds} s.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
