import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../helpers/spawn-bot';

const ROOT = join(__dirname, '..', '..');

/**
 * Production starts the compiled build with plain node (`npm run build`, then `npm run start:prod`: NODE_ENV=production
 * node dist/index.js), never tsx. This builds with the same tsconfig.build.json into a temporary folder laid out like
 * the project (cards/ and node_modules/ next to dist/, linked) and starts it in demo mode (no credentials needed).
 */
describe('the compiled build (npm run build, npm run start:prod)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'entra-recovery-dist-'));
    symlinkSync(join(ROOT, 'cards'), join(dir, 'cards'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { cwd: ROOT });
  }, 90_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with node dist/index.js and NODE_ENV=production, finds cards/, answers /healthz, shows no stack traces, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(dir, 'dist', 'index.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', BOT_MODE: 'demo', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // PORT=0 picks a free port; the bot logs the URL it listens on (after loading every card template from ../cards).
      const listening = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/;
      await waitFor(() => Promise.resolve(listening.test(output)), 'the compiled bot to listen').catch((e: Error) => {
        throw new Error(`${e.message}\n${output}`);
      });
      const base = listening.exec(output)?.[1] ?? '';
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', mode: 'demo' });

      // A bad body gets a short JSON answer, never the stack and file paths of Express's default error page.
      const malformed = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message",' });
      expect(malformed.status).toBe(400);
      const page = await malformed.text();
      expect(JSON.parse(page)).toEqual({ error: 'Bad request.' });
      expect(output).not.toMatch(/SyntaxError|node_modules|\bat /);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 30_000);
});
