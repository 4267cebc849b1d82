/**
 * A process of its own on a FileStorage folder, for test/store/file-lock.test.ts (run with `node --import tsx`):
 * - `hammer <folder> <key> <count> <name>`: `count` increments of one counter by conditional writes, each retried on
 *   an eTag conflict; prints, as one JSON line, the eTag each winning write replaced.
 * - `hold <folder> <file>`: takes the lock of `file`, prints "holding", and keeps it until killed.
 */
import { isETagConflict } from '../../src/store/durable-storage';
import { FileLocks } from '../../src/store/file-lock';
import { FileStorage } from '../../src/store/file-storage';

async function hammer(folder: string, key: string, count: number, name: string): Promise<void> {
  const storage = new FileStorage(folder);
  const replaced: string[] = [];
  while (replaced.length < count) {
    const current = (await storage.read([key]))[key] as { n: number; eTag: string } | undefined;
    if (!current) throw new Error(`${key} is missing`);
    try {
      await storage.write({ [key]: { n: current.n + 1, by: name, eTag: current.eTag } });
      replaced.push(current.eTag);
    } catch (e) {
      if (!isETagConflict(e)) throw e;
    }
  }
  process.stdout.write(`${JSON.stringify({ name, replaced })}\n`);
}

async function hold(file: string): Promise<void> {
  await new FileLocks().with(file, async () => {
    process.stdout.write('holding\n');
    // Held until killed: a timer keeps the process alive (a pending promise alone would let it exit).
    await new Promise(() => setInterval(() => undefined, 60_000));
  });
}

const [mode, folder = '', target = '', count = '0', name = ''] = process.argv.slice(2);
(mode === 'hammer' ? hammer(folder, target, Number(count), name) : hold(target)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
