import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../helpers/spawn-bot';

const ROOT = join(__dirname, '..', '..');

/** `npm start` in demo mode: the three processes come up, answer, and all stop on Ctrl-C (SIGINT). */
describe('npm start (demo launcher)', () => {
  it('starts the simulated tenant, the bot and the Agents Playground, prints the URL, and Ctrl-C stops all three', async () => {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const ports = { sim: base, bot: base + 1, playground: base + 2 };
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src', 'start-demo.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SIMULATOR_PORT: String(ports.sim),
        PORT: String(ports.bot),
        PLAYGROUND_PORT: String(ports.playground),
        TEAMSAPPTESTER_BROWSER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => Promise.resolve(output.includes(`Open http://localhost:${ports.playground}`)), 'the demo banner', 45_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${output}`);
      });
      expect(output).toContain('SIMULATED TENANT');
      expect((await fetch(`http://127.0.0.1:${ports.sim}/_simulator/health`)).ok).toBe(true);
      expect(await (await fetch(`http://127.0.0.1:${ports.bot}/healthz`)).json()).toEqual({ status: 'ok', mode: 'demo' });
      expect((await fetch(`http://localhost:${ports.playground}/`)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // Nothing is left listening.
    for (const url of [`http://127.0.0.1:${ports.sim}/_simulator/health`, `http://127.0.0.1:${ports.bot}/healthz`, `http://localhost:${ports.playground}/`]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  }, 90_000);
});
