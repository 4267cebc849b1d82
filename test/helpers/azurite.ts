import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const AZURITE = join(__dirname, '..', '..', 'node_modules', '.bin', 'azurite-blob');
/** Azurite's well-known development account (public, documented by Microsoft). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** Starts Azurite's Blob service (the `azurite` npm package) on a free loopback port, in memory. */
export async function startAzurite(): Promise<RunningAzurite> {
  const port = await freePort();
  // In memory, from a scratch working folder so Azurite writes nothing into the project.
  const workspace = await mkdtemp(join(tmpdir(), 'azurite-'));
  const child: ChildProcess = spawn(AZURITE, ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--silent'], {
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/${ACCOUNT}?comp=list`);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Azurite did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
      await rm(workspace, { recursive: true, force: true });
    },
  };
}
