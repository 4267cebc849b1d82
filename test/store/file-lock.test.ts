import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLocks, FileLockTimeout, startTimeOf } from '../../src/store/file-lock';
import { FileStorage } from '../../src/store/file-storage';
import { waitFor } from '../helpers/spawn-bot';

/**
 * FileStorage shared by several processes on one machine (the workers of WEB_CONCURRENCY on one DATA_DIR): conditional
 * writes to one key from two processes at once, each win replacing a distinct eTag and none lost; a lock left by a
 * killed process taken over; a lock of a live process waited for, within a bound.
 */
jest.setTimeout(120_000);

const CHILD = join(__dirname, '..', 'helpers', 'file-storage-child.ts');

function child(args: string[]): { exited: Promise<{ code: number | null; stdout: string; stderr: string }>; kill: () => void; stdout: () => string } {
  const process_ = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  process_.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  process_.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    exited: new Promise((resolve) => process_.on('exit', (code) => resolve({ code, stdout, stderr }))),
    kill: () => process_.kill('SIGKILL'),
    stdout: () => stdout,
  };
}

let folder = '';
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'entra-recovery-lock-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

it('two processes racing conditional writes on one key: every eTag is replaced by exactly one winner, no increment is lost', async () => {
  const key = 'cases/RC-RACE0001';
  await new FileStorage(folder).write({ [key]: { n: 0 } });
  const perProcess = 150;
  const runs = ['A', 'B'].map((name) => child(['hammer', folder, key, String(perProcess), name]));
  const results = await Promise.all(runs.map((r) => r.exited));
  for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const replaced = results.flatMap((r) => (JSON.parse(r.stdout) as { replaced: string[] }).replaced);
  expect(replaced).toHaveLength(2 * perProcess);
  // Two winners for one eTag would be a lost update: both read the same version and both wrote over it.
  expect(new Set(replaced).size).toBe(replaced.length);
  const final = (await new FileStorage(folder).read([key]))[key] as { n: number };
  expect(final.n).toBe(2 * perProcess);
  // Nothing left behind: no lock, no temporary file.
  expect((await readdir(folder)).filter((f) => !f.endsWith('.json'))).toEqual([]);
});

it('a lock left by a killed process is taken over at once; one in this process\u2019s own pid (a restarted container) too', async () => {
  const storage = new FileStorage(folder);
  const key = 'threads/RC-STALE001';
  await storage.write({ [key]: { value: 'before' } });
  const file = join(folder, `${Buffer.from(key).toString('base64url')}.json`);
  const holder = child(['hold', folder, file]);
  await waitFor(() => Promise.resolve(holder.stdout().includes('holding')), 'the child to hold the lock', 30_000);
  // While it lives, the lock is waited for, and the wait ends with an error naming the file.
  await expect(new FileLocks(300).with(file, () => Promise.resolve())).rejects.toThrow(FileLockTimeout);
  holder.kill();
  await holder.exited;
  const started = process.hrtime.bigint();
  await storage.write({ [key]: { value: 'after' } });
  expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
  expect(((await storage.read([key]))[key] as { value: string }).value).toBe('after');

  // A lock naming this very process (pid and start time) that this process does not hold: left by an earlier process
  // with the same pid, as after a container restart.
  await writeFile(`${file}.lock`, `${process.pid} ${startTimeOf(process.pid) ?? ''}`);
  await storage.delete([key]);
  expect(await storage.read([key])).toEqual({});
  expect(await readdir(folder)).toEqual([]);
});
