import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real entry point (`src/index.ts`) with exactly the given environment (no .env is read from the cwd). Node
 * itself runs it, with tsx as a loader, so that the child is the bot: a SIGKILL kills the bot, where the `tsx` command
 * would die alone and leave its node child running. One process unless the test sets WEB_CONCURRENCY (production's
 * default is one worker per CPU, which would make the child a primary that only forks). `compiled`: the build
 * (`npm run build`, dist/index.js), as production runs it (the benchmark measures that).
 */
export function spawnBot(env: Record<string, string>, compiled = false): { child: ChildProcess; exited: Promise<Exited>; output: () => string } {
  const entry = compiled ? [join(ROOT, 'dist', 'index.js')] : ['--import', 'tsx', join(ROOT, 'src', 'index.ts')];
  const child = spawn(process.execPath, entry, {
    cwd: join(ROOT, 'test'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WEB_CONCURRENCY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exited>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, exited, output: () => stdout + stderr };
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
