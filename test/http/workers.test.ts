import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBot, waitFor } from '../helpers/spawn-bot';

/**
 * WEB_CONCURRENCY > 1 (src/workers.ts), with real processes: the workers share one port (PORT=0 included: node:cluster
 * hands every worker the primary's one socket), a worker killed is replaced, SIGTERM to the primary stops every worker
 * cleanly (exit 0), a configuration error is printed once, and workers that keep dying at start make the primary give
 * up instead of looping.
 */
jest.setTimeout(120_000);

interface Listening {
  readonly worker: number;
  readonly pid: number;
  readonly url: string;
}

/** The `listening` lines of the workers (each names its worker id and pid). */
function listeningLines(output: string): Listening[] {
  return output
    .split('\n')
    .filter((l) => l.includes('"message":"listening"'))
    .map((l) => JSON.parse(l) as Listening);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How many workers the primary has found ready (listening, open cases resumed, signal handlers in place). */
function readyCount(output: string): number {
  return output.split('\n').filter((l) => l.includes('"message":"worker ready"')).length;
}

/** Which worker answers GET /healthz on a fresh connection (the primary deals connections out in turn). */
async function answeredBy(url: string): Promise<string | null> {
  const response = await fetch(`${url}/healthz`, { headers: { connection: 'close' } });
  await response.text();
  return response.headers.get('x-bot-worker');
}

let folder = '';
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'entra-recovery-workers-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

it('two workers on one port: both answer, a killed worker is replaced on that port, SIGTERM stops them all with exit 0', async () => {
  const bot = spawnBot({ BOT_MODE: 'demo', PORT: '0', LOG_LEVEL: 'info', WEB_CONCURRENCY: '2', DATA_DIR: folder });
  try {
    await waitFor(() => Promise.resolve(readyCount(bot.output()) === 2), 'two workers to be ready', 60_000);
    const [first, second] = listeningLines(bot.output()) as [Listening, Listening];
    expect(second.url).toBe(first.url);
    expect(first.pid).not.toBe(second.pid);
    expect([first.pid, second.pid]).not.toContain(bot.child.pid);
    const answers = new Set<string | null>();
    for (let i = 0; i < 6; i++) answers.add(await answeredBy(first.url));
    expect([...answers].sort()).toEqual([String(first.worker), String(second.worker)].sort());

    // A worker dies (killed): the primary starts another, on the same port.
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => Promise.resolve(readyCount(bot.output()) === 3), 'a third worker to be ready', 60_000);
    const third = listeningLines(bot.output())[2] as Listening;
    expect(third.url).toBe(first.url);
    expect(bot.output()).toContain('"message":"a worker died; starting another"');
    expect(alive(first.pid)).toBe(false);

    bot.child.kill('SIGTERM');
    const exited = await Promise.race([
      bot.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the primary did not stop on SIGTERM:\n${bot.output()}`)), 30_000).unref()),
    ]);
    expect(exited.code).toBe(0);
    // Each live worker stopped as one process stops (in-flight requests finish), and none is left running.
    const stopped = exited.stdout.split('\n').filter((l) => l.includes('"message":"shutting down"'));
    expect(stopped.map((l) => (JSON.parse(l) as { pid: number }).pid).sort()).toEqual([second.pid, third.pid].sort());
    expect([second.pid, third.pid].filter(alive)).toEqual([]);
  } finally {
    bot.child.kill('SIGKILL');
  }
});

it('SIGKILL of the primary takes its workers with it, as it takes a single process', async () => {
  const bot = spawnBot({ BOT_MODE: 'demo', PORT: '0', WEB_CONCURRENCY: '2', DATA_DIR: folder });
  await waitFor(() => Promise.resolve(listeningLines(bot.output()).length === 2), 'two workers to listen', 60_000);
  const pids = listeningLines(bot.output()).map((l) => l.pid);
  bot.child.kill('SIGKILL');
  await bot.exited;
  await waitFor(() => Promise.resolve(pids.every((p) => !alive(p))), 'the workers to end', 10_000);
});

it('a configuration error is printed once, by the primary, before any worker starts', async () => {
  const { exited } = spawnBot({ BOT_MODE: 'demo', PORT: '0', WEB_CONCURRENCY: '2' });
  const result = await exited;
  expect(result.code).toBe(1);
  expect(result.stderr.match(/Configuration error: WEB_CONCURRENCY: is 2, but cases are kept in this process's memory/g)).toHaveLength(1);
  expect(result.stdout).not.toContain('starting workers');
});

it('workers that keep dying before they are ready: the primary says so and exits 1, without a restart loop', async () => {
  // DATA_DIR names a file: each worker listens, then cannot list the cases it must resume, and exits 1.
  const notAFolder = join(folder, 'not-a-folder');
  await writeFile(notAFolder, '');
  const { exited } = spawnBot({ BOT_MODE: 'demo', PORT: '0', WEB_CONCURRENCY: '2', DATA_DIR: notAFolder });
  const result = await exited;
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('workers keep dying before they are ready: giving up');
  expect(result.stderr.match(/"message":"a worker died; starting another"/g)?.length).toBeLessThan(5);
});
