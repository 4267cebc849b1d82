/**
 * What the bench reads about the processes it measures, from Linux /proc: CPU time and resident memory of a process
 * and of every process under it (a bot with WEB_CONCURRENCY workers is a primary and its workers), and how long a
 * server takes from spawn to answering GET /healthz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ, fixed at 100 on every architecture Node supports). */
const TICK_MS = 10;

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, in ms. */
  readonly cpuMs: number;
}

/** /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'. */
function statOf(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: state(3) ppid(4) ... utime(14) stime(15), i.e. indexes 0, 1, ..., 11, 12 here.
    return { pid, ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

/** The process and every live process under it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  }
  const tree: number[] = [];
  const visit = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** CPU time (user + system, ms) used so far by the process and every live process under it. */
export function treeCpuMs(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + (statOf(pid)?.cpuMs ?? 0), 0);
}

/** Resident memory in MB: now (VmRSS) or the peak since the process started (VmHWM). */
export function rssMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The processes that serve requests: a server's workers when it has any (its primary only distributes connections),
 * else the server itself.
 */
export function servingProcesses(root: number): number[] {
  const tree = processTree(root);
  return tree.length > 1 ? tree.slice(1) : tree;
}

/**
 * Resolves with the first match of `pattern` in the child's output; rejects when the child exits first or after `ms`.
 * The output is drained afterwards (read and dropped), so a child that keeps writing never fills its pipe and stalls.
 */
export function outputMatch(child: ChildProcess, pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = pattern.exec(output);
      if (m) {
        done();
        resolve(m);
      }
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`the process exited (${code}) before printing ${pattern}:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no ${pattern} after ${ms} ms:\n${output.slice(-2000)}`));
    }, ms);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${url}/healthz`, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
  });
}

export interface StartMeasure {
  /** From spawn to the first 200 from GET /healthz, in ms. */
  readonly startMs: number;
  /** Resident memory at that moment, per serving process (the largest) and for the whole tree, in MB. */
  readonly rssPerProcessMb: number;
  readonly rssTotalMb: number;
}

/**
 * Spawns a server on a fixed port, polls GET /healthz every 5 ms until it answers 200, reads its memory, and stops
 * it. `port` must be free; the server's `listening` output is not waited for, so every server is timed the same way.
 */
export async function measureStart(argv: readonly string[], env: Record<string, string>, port: number, cwd: string): Promise<StartMeasure> {
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    const deadline = t0 + 60_000;
    while (!(await healthy(url))) {
      if (child.exitCode !== null) throw new Error(`${argv.join(' ')} exited (${child.exitCode}) before it answered /healthz`);
      if (performance.now() > deadline) throw new Error(`${argv.join(' ')} did not answer /healthz within 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const startMs = performance.now() - t0;
    const pid = child.pid ?? 0;
    const per = servingProcesses(pid).map((p) => rssMb(p, 'VmRSS') ?? 0);
    const total = processTree(pid).reduce((sum, p) => sum + (rssMb(p, 'VmRSS') ?? 0), 0);
    return { startMs, rssPerProcessMb: Math.max(...per), rssTotalMb: total };
  } finally {
    await stopChild(child);
  }
}

/** SIGTERM, then SIGKILL after 10 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
