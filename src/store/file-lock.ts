import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** How long a writer waits for another process's lock before it gives up with FILE_LOCK.TIMEOUT. */
export const LOCK_WAIT_MS = 10_000;

/** A lock held longer than the wait by a live process: the write fails instead of waiting for ever. */
export class FileLockTimeout extends Error {
  readonly code = 'FILE_LOCK.TIMEOUT';
  constructor(lockFile: string, owner: string, waitMs: number) {
    super(
      `${lockFile} is held by process ${owner.split(' ')[0]} for more than ${waitMs / 1000} s. If no bot process with that id is running on this machine, ` +
        'delete the file; never share DATA_DIR between machines.',
    );
    this.name = 'FileLockTimeout';
  }
}

/**
 * When the process started, in clock ticks since boot (Linux, /proc/<pid>/stat field 22); undefined elsewhere. With the
 * pid it names a process: a pid reused after a crash (as in a container, where each start gets the same small pids)
 * has another start time, so the lock of the dead process is not taken for the live one's.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Per lock file, the end of this process's queue for it: whichever FileStorage asks, one holder per file in a process
 * at a time, so a lock file in this process's own name is always one an earlier process with the same pid left (a
 * restarted container). Process-wide by nature, hence module state.
 */
const QUEUES = new Map<string, Promise<void>>();

/** Whether the process that wrote `owner` ("<pid> <start time>") still runs; an unreadable owner is nobody, this process is nobody (QUEUES). */
function ownerAlive(owner: string): boolean {
  const [pidText, startTime] = owner.split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false; // empty or torn (a power cut before the file reached the disk)
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a process of another user has that pid; only its start time can tell it is not the owner.
  }
  const now = startTimeOf(pid);
  return now === undefined || startTime === undefined || startTime === '' || now === startTime;
}

/**
 * A lock file per key for the processes of one machine (the workers of one bot on one DATA_DIR): `<file>.lock` holds the
 * owner's pid and start time. It is created complete and exclusively (written under a temporary name, then hard-linked,
 * which fails when the name exists), so a second process never sees it half written and never creates it twice. A
 * lock whose owner is gone (killed in the middle of a write) is taken over: under a second lock (`.lock.break`), only
 * while it still names the dead owner, so two processes that both found it stale cannot remove a lock a third has just
 * taken. Waiting is bounded (LOCK_WAIT_MS) and ends with FileLockTimeout naming the file.
 *
 * Residual: a process killed within the few system calls that break a stale lock leaves `.lock.break`, which is taken
 * over the same way (its owner is dead) but without a third lock; two processes doing so at that same moment could
 * both break. That needs two crashes' worth of coincidence in microseconds, and costs at most one lost conditional write.
 */
export class FileLocks {
  private readonly self = `${process.pid} ${startTimeOf(process.pid) ?? ''}`;

  /** `waitMs`: how long to wait for a live owner (tests shorten it). */
  constructor(private readonly waitMs = LOCK_WAIT_MS) {}

  /** Runs `work` holding the lock of `file` (a record's path); the lock is released even when `work` throws. */
  async with<T>(file: string, work: () => Promise<T>): Promise<T> {
    const lockFile = resolve(`${file}.lock`);
    const previous = QUEUES.get(lockFile) ?? Promise.resolve();
    let done = (): void => undefined;
    const tail = previous.then(() => new Promise<void>((release) => (done = release)));
    QUEUES.set(lockFile, tail);
    await previous;
    try {
      await this.acquire(lockFile);
      try {
        return await work();
      } finally {
        await rm(lockFile, { force: true });
      }
    } finally {
      done();
      if (QUEUES.get(lockFile) === tail) QUEUES.delete(lockFile);
    }
  }

  private async acquire(lockFile: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt++) {
      if (await this.tryCreate(lockFile)) return;
      const owner = await readOwner(lockFile);
      if (owner === undefined) continue; // released between the two calls: try again at once
      if (!ownerAlive(owner)) {
        await this.breakStale(lockFile, owner);
        continue;
      }
      if (Date.now() > deadline) throw new FileLockTimeout(lockFile, owner, this.waitMs);
      // Locks are held for one read, write, fsync and rename: wait 1, 2, 4 … up to 16 ms between tries.
      await new Promise((resolve) => setTimeout(resolve, Math.min(16, 2 ** Math.min(attempt, 4))));
    }
  }

  /** Creates `lockFile` with this process as its owner, exclusively; false when it exists. */
  private async tryCreate(lockFile: string): Promise<boolean> {
    const temporary = `${lockFile}.${randomUUID()}.tmp`;
    await writeFile(temporary, this.self, { flag: 'wx', mode: 0o600 });
    try {
      await link(temporary, lockFile);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return false;
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** Removes `lockFile` if it still names the dead `owner`, holding `<lockFile>.break` so no one else breaks it meanwhile. */
  private async breakStale(lockFile: string, owner: string): Promise<void> {
    const breaker = `${lockFile}.break`;
    if (!(await this.tryCreate(breaker))) {
      const breakerOwner = await readOwner(breaker);
      if (breakerOwner !== undefined && !ownerAlive(breakerOwner)) await rm(breaker, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1));
      return;
    }
    try {
      if ((await readOwner(lockFile)) === owner) await rm(lockFile, { force: true });
    } finally {
      await rm(breaker, { force: true });
    }
  }
}

async function readOwner(lockFile: string): Promise<string | undefined> {
  try {
    return await readFile(lockFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
