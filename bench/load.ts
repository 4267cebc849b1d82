/**
 * The bench's load generator, in its own process (bench/run.ts forks it) so that its work never shares the measured
 * server's event loop, and light: `node:http` with a keep-alive agent per server (global `fetch` cost 0.4–0.7 ms of
 * CPU per request here, as much as the floor's server). It reports its own CPU per click, so a reader sees what the
 * client took from the machine's cores.
 *
 * Protocol (IPC): the parent sends a BurstRequest, the child answers with a BurstResult; `{ kind: 'exit' }` ends it.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface BurstRequest {
  readonly kind: 'burst';
  /** The server's /api/messages URL. */
  readonly url: string;
  /** The request body; every `__ID__` is replaced by a number unique within this process. */
  readonly body: string;
  readonly concurrency: number;
  readonly clicks: number;
  /** Every answer must be 200 and contain this text (the card the click asked for)... */
  readonly mustContain: string;
  /** ...and must not contain this one (a refusal drawn on the card). */
  readonly mustNotContain: string;
}

export interface BurstResult {
  readonly kind: 'result';
  /** Each click's latency in ms, sorted. */
  readonly latencies: number[];
  readonly wallMs: number;
  /** This process's CPU (user + system) during the burst, in ms. */
  readonly clientCpuMs: number;
  /** The first wrong answer, if any (the parent refuses to report a burst with one). */
  readonly error?: string;
}

const agents = new Map<string, Agent>();
let nextId = 0;

function post(url: URL, agent: Agent, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function burst(r: BurstRequest): Promise<BurstResult> {
  const url = new URL(r.url);
  // One agent per server for the life of this process: the first burst opens the connections, later bursts reuse them.
  let agent = agents.get(url.origin);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 100 });
    agents.set(url.origin, agent);
  }
  const parts = r.body.split('__ID__');
  const latencies: number[] = [];
  let error: string | undefined;
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (sent < r.clicks && error === undefined) {
      sent++;
      const payload = parts.join(`bench-${++nextId}`);
      const started = performance.now();
      const answer = await post(url, agent, payload);
      latencies.push(performance.now() - started);
      if (answer.status !== 200 || !answer.text.includes(r.mustContain) || answer.text.includes(r.mustNotContain))
        error ??= `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
    }
  };
  await Promise.all(Array.from({ length: r.concurrency }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { kind: 'result', latencies: latencies.sort((a, b) => a - b), wallMs, clientCpuMs: (cpu.user + cpu.system) / 1000, ...(error ? { error } : {}) };
}

process.on('message', (message: BurstRequest | { kind: 'exit' }) => {
  if (message.kind === 'exit') {
    for (const agent of agents.values()) agent.destroy();
    process.exit(0);
  }
  burst(message).then(
    (result) => process.send?.(result),
    (e: unknown) =>
      process.send?.({ kind: 'result', latencies: [], wallMs: 0, clientCpuMs: 0, error: e instanceof Error ? e.message : String(e) } satisfies BurstResult),
  );
});
