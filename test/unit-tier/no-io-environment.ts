import childProcess from 'node:child_process';
import net from 'node:net';
import NodeEnvironment from 'jest-environment-node';

/** The message every blocked call throws, so a failing test says which rule it broke and where to go instead. */
export const NO_IO_MESSAGE = 'the unit tier does no I/O: use the fakes in test/fakes, or move this test to the integration tier (jest.config.js)';

type Patch = readonly [target: object, key: string, original: unknown];

/**
 * The unit tier's test environment: Node's, with sockets, servers, child processes and fetch refused for as long as
 * one test file runs. Node's built-in modules are shared by every file a worker runs (unit and integration alike), so
 * the patches are undone in teardown, which Jest runs even when the file fails.
 */
export default class NoIoEnvironment extends NodeEnvironment {
  private readonly patches: Patch[] = [];

  override async setup(): Promise<void> {
    await super.setup();
    const refuse = (what: string) => () => {
      throw new Error(`${what}: ${NO_IO_MESSAGE}`);
    };
    // Every client socket (http, https, fetch, Azure SDKs) ends in Socket#connect; every server in Server#listen.
    this.patch(net.Socket.prototype, 'connect', refuse('net.Socket#connect'));
    this.patch(net.Server.prototype, 'listen', refuse('net.Server#listen'));
    for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
      this.patch(childProcess, name, refuse(`child_process.${name}`));
    }
    this.global.fetch = refuse('fetch');
  }

  override async teardown(): Promise<void> {
    for (const [target, key, original] of this.patches.reverse()) (target as Record<string, unknown>)[key] = original;
    this.patches.length = 0;
    await super.teardown();
  }

  private patch(target: object, key: string, replacement: unknown): void {
    const slots = target as Record<string, unknown>;
    this.patches.push([target, key, slots[key]]);
    slots[key] = replacement;
  }
}
