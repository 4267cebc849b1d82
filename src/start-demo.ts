/**
 * `npm start`. In demo mode (no credentials in the environment or .env) it starts the simulated Entra tenant, the bot,
 * and one Microsoft 365 Agents Playground per person who clicks in the demo (Megan, Alex, Patti, on PLAYGROUND_PORT and
 * the next two ports), then prints their URLs; Ctrl-C stops them all.
 * With production credentials it starts the bot alone, against real Graph: the compiled build (`node dist/index.js`,
 * NODE_ENV=production, as `npm run start:prod`), built first when dist/ is missing or older than src/; never tsx.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, parseConfig, parseDemoLauncherConfig } from './config';
import { compiledBuildState, compiledEntry } from './launcher/compiled-build';
import { DEMO_PLAYGROUNDS, PLAYGROUND_PEOPLE, playgroundConfig } from './launcher/playground-people';

const root = join(__dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (line: string): string => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) console.log(prefix(line));
    });
  }
  return { name, process: child };
}

async function waitForHttp(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Production runs the compiled build: `npm run build` when dist/index.js is missing or older than src/. */
function buildIfNeeded(): void {
  const state = compiledBuildState(root);
  if (state === 'fresh') return;
  const what = state === 'missing' ? 'dist/index.js does not exist' : 'dist/index.js is older than src/';
  if (!existsSync(bin('tsc'))) {
    console.error(`${what}, and TypeScript (a devDependency) is not installed. Run \`npm ci && npm run build\`, then \`npm run start:prod\`.`);
    process.exit(1);
  }
  console.log(`${what}: building it (npm run build)...`);
  const built = spawnSync(bin('tsc'), ['-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('`npm run build` failed; the bot was not started.');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = parseConfig(process.env);
  if (config.mode === 'production') {
    console.log('Credentials found: starting the bot in production mode (real Graph, real Teams). No simulator, no Playground.');
    buildIfNeeded();
    const bot = start('bot', process.execPath, [compiledEntry(root)], { ...process.env, NODE_ENV: 'production' });
    bot.process.on('exit', (code) => process.exit(code ?? 1));
    const forward = (signal: NodeJS.Signals): void => void bot.process.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return;
  }

  const ports = parseDemoLauncherConfig(process.env);
  const simulatorUrl = `http://127.0.0.1:${ports.simulatorPort}`;
  const botUrl = `http://127.0.0.1:${ports.botPort}`;
  const children: Child[] = [];
  let stopping = false;

  const stopAll = async (exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the Playgrounds, the bot and the simulated tenant...');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.process.exitCode !== null || c.process.signalCode !== null) return resolve();
            const timer = setTimeout(() => c.process.kill('SIGKILL'), 8000);
            c.process.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const watch = (child: Child): Child => {
    child.process.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`${child.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the others.`);
      void stopAll(1);
    });
    children.push(child);
    return child;
  };

  try {
    await startDemoProcesses();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stopAll(1);
  }

  async function startDemoProcesses(): Promise<void> {
    // The bot reads CLOCK_OFFSET_MS from the environment it inherits; the simulated tenant gets the same offset, so a
    // test that pins the demo's clock pins both.
    const clockArgs = config.clockOffsetMs !== 0 ? ['--clock-offset-ms', String(config.clockOffsetMs)] : [];
    watch(start('simulator', bin('tsx'), [join(root, 'src', 'simulator', 'main.ts'), '--port', String(ports.simulatorPort), ...clockArgs], process.env));
    await waitForHttp(`${simulatorUrl}/_simulator/health`, 'The simulated tenant');

    watch(
      start('bot', bin('tsx'), [join(root, 'src', 'index.ts')], { ...process.env, BOT_MODE: 'demo', PORT: String(ports.botPort), SIMULATOR_URL: simulatorUrl }),
    );
    await waitForHttp(`${botUrl}/healthz`, 'The bot');

    // One Playground per person who clicks: the Playground has one current user and cannot switch (launcher/playground-people.ts).
    const folder = join(root, 'devTools', 'playground');
    mkdirSync(folder, { recursive: true });
    const playgrounds = DEMO_PLAYGROUNDS.map((p, i) => ({ ...p, port: ports.playgroundPort + i, person: PLAYGROUND_PEOPLE[p.who] }));
    for (const p of playgrounds) {
      const configPath = join(folder, `${p.who}.yml`);
      writeFileSync(configPath, playgroundConfig(p.who));
      watch(
        start(
          p.who === 'megan' ? 'playground' : `playground:${p.who}`,
          bin('agentsplayground'),
          ['--app-endpoint', `${botUrl}/api/messages`, '--channel-id', 'msteams', '--port', String(p.port), '--disable-telemetry'],
          { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath, M365_AGENTS_PLAYGROUND_LOGFILE: join(folder, `${p.who}.log`) },
        ),
      );
    }
    await Promise.all(playgrounds.map((p) => waitForHttp(`http://localhost:${p.port}`, `The Agents Playground of ${p.person.name}`)));

    console.log(
      [
        '',
        '  Entra recovery bot demo is running (SIMULATED TENANT: nothing real is read or changed).',
        '  One Microsoft 365 Agents Playground per person; open each in its own browser window, all before you start:',
        ...playgrounds.map((p) => `    ${p.person.name.padEnd(16)} http://localhost:${p.port}   (${p.role})`),
        `  Open http://localhost:${ports.playgroundPort} (Megan) and, in the Identity Operations team, channel Recoveries, type @Entra,`,
        '  pick Entra Recovery from the list, and post',
        '      @Entra Recovery recover adele@contoso.com',
        '  (a channel message reaches the bot only with the @mention; in a 1:1 chat with the bot, post just: recover adele@contoso.com)',
        '  Alex and Patti get the approval request in their Personal Chat with the bot.',
        '  Other demo users: lee@ (malicious), diego@ (soft-deleted), isaiah@ (hard-deleted), nestor@ (privileged).',
        `  Simulated tenant: ${simulatorUrl}   Bot: ${botUrl}/api/messages   Ctrl-C stops everything.`,
        '',
      ].join('\n'),
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}\nSee .env.example and the README.`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
