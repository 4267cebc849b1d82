import { readFileSync } from 'node:fs';
import { startSimulator, type SimulatorOptions } from './index';

/**
 * Options from argv only (`--port 5080 --throttling graph --latency-ms 50 --write-limit 200 --write-window-ms 1000
 * --clock-offset-ms -1234`, the last for tests that pin the tenant's clock); no environment.
 */
export function parseArgs(argv: readonly string[]): SimulatorOptions {
  const options: SimulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    const integer = (text: string): number => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, got "${text}"`);
      return n;
    };
    if (flag === '--port') options.port = integer(need());
    else if (flag === '--host') options.host = need();
    else if (flag === '--page-size') options.pageSize = integer(need());
    else if (flag === '--throttling') {
      const mode = need();
      if (mode !== 'off' && mode !== 'graph') throw new Error(`--throttling must be "off" or "graph", got "${mode}"`);
      options.throttling = mode;
    } else if (flag === '--seed') options.seed = JSON.parse(readFileSync(need(), 'utf8')) as SimulatorOptions['seed'];
    else if (flag === '--clock-offset-ms') {
      const text = need();
      const offset = Number(text);
      if (!Number.isInteger(offset)) throw new Error(`--clock-offset-ms must be an integer (milliseconds, may be negative), got "${text}"`);
      options.now = () => new Date(Date.now() + offset);
    } else if (flag === '--latency-ms') options.latencyMs = integer(need());
    else if (flag === '--write-limit') options.identityLimits = { ...options.identityLimits, writes: integer(need()) };
    else if (flag === '--write-window-ms') options.identityLimits = { ...options.identityLimits, writeWindowMs: integer(need()) };
    else if (flag === '--ru-limit') options.identityLimits = { ...options.identityLimits, resourceUnits: integer(need()) };
    else
      throw new Error(
        `Unknown option ${flag}. Usage: tsx src/simulator/main.ts [--port 5080] [--host 127.0.0.1] [--page-size 100] [--throttling off|graph] [--seed tenant.json] [--latency-ms 0] [--clock-offset-ms 0] [--ru-limit 3500] [--write-limit 3000] [--write-window-ms 150000]`,
      );
  }
  return options;
}

async function main(): Promise<void> {
  const simulator = await startSimulator(parseArgs(process.argv.slice(2)));
  console.log(`Simulated Entra tenant (Microsoft Graph) listening on ${simulator.url}  (v1.0: ${simulator.url}/v1.0/, beta: ${simulator.url}/beta/)`);
  console.log(`Demo admin page (the human steps: restore from backup, user signs in, user registers a key): ${simulator.url}/_simulator/admin`);
  const stop = (signal: string): void => {
    console.log(`${signal}: stopping the simulated tenant`);
    simulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error('The simulated tenant did not stop cleanly:', e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
