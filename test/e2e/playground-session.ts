import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PROCESSES } from '../helpers/test-clock';
import { waitFor } from '../helpers/spawn-bot';

const ROOT = join(__dirname, '..', '..');

/** Where the browser tests put their screenshots (gitignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');

export interface RunningDemo {
  /** Megan's Playground (the helpdesk agent). */
  readonly playgroundUrl: string;
  /** The approvers' Playgrounds: Alex (security approver) and Patti (privileged approver), each their own current user. */
  readonly approverUrls: { readonly alex: string; readonly patti: string };
  readonly simulatorUrl: string;
  readonly botUrl: string;
  /** Everything the processes printed so far (the launcher prefixes each line with [simulator], [bot], [playground], [playground:alex] ...). */
  output(): string;
  stop(): Promise<number | null>;
}

/** `npm start` exactly as a person runs it (src/start-demo.ts), on free ports so it never meets another demo. */
export async function startDemo(): Promise<RunningDemo> {
  const base = 20000 + Math.floor(Math.random() * 20000);
  // Megan's Playground on PLAYGROUND_PORT, Alex's and Patti's on the next two (src/start-demo.ts).
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
      // The bot and the simulated tenant on TEST_NOW (the launcher passes the offset to both).
      CLOCK_OFFSET_MS: String(PROCESSES.offsetMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const playgroundUrl = `http://localhost:${ports.playground}`;
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    return exited;
  };
  try {
    await waitFor(() => Promise.resolve(output.includes(`Open ${playgroundUrl}`)), 'the demo banner', 90_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  const approverUrls = { alex: `http://localhost:${ports.playground + 1}`, patti: `http://localhost:${ports.playground + 2}` };
  return { playgroundUrl, approverUrls, simulatorUrl: `http://127.0.0.1:${ports.sim}`, botUrl: `http://127.0.0.1:${ports.bot}`, output: () => output, stop };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * The browser comes with `npm install`: the devDependency @sparticuz/chromium ships a headless Chromium inside its npm
 * tarball (nothing is downloaded at install or run time; @playwright/browser-chromium and `playwright install`
 * download one and are refused here). scripts/chromium-path.mjs inflates it once into node_modules/.cache/chromium/
 * (in a child process: the package is ESM only, which jest's CommonJS cannot load). CHROMIUM_PATH overrides it with
 * any Chromium binary.
 */
interface ChromiumToLaunch {
  readonly executablePath: string;
  readonly extraArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Flags of @sparticuz/chromium's recommended list (chromium.args) that the test uses: they stop background pings and
 * keep text rendering the same everywhere. The rest are for AWS Lambda and are left out on purpose:
 * `--single-process`, `--no-zygote` (Lambda's sandboxing; here Chromium runs its usual processes), `--headless='shell'`
 * (playwright-core adds its own headless flags), `--disable-web-security`, `--allow-running-insecure-content`,
 * `--disable-site-isolation-trials` and the site-isolation features (the test must see the Playground as a person's
 * browser does), the SwiftShader GPU flags (the test runs with --disable-gpu), and its `--disable-features` /
 * `--enable-features`, which would replace playwright-core's own lists (Chromium keeps the last of a repeated switch).
 */
const FROM_PACKAGE_ARGS = ['--disable-domain-reliability', '--no-pings', '--font-render-hinting=none'];

/** Flags the test always passes. The machine's network is closed: Chromium must not try its background connections. */
const TEST_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function chromiumToLaunch(): Promise<ChromiumToLaunch> {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) {
      throw new Error(
        `CHROMIUM_PATH is ${override}, which does not exist. Set it to a Chromium binary, or unset it to use the Chromium that \`npm install\` brings (@sparticuz/chromium).`,
      );
    }
    return { executablePath: override, extraArgs: FROM_PACKAGE_ARGS, env: {} };
  }
  const script = join(ROOT, 'scripts', 'chromium-path.mjs');
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [script], { cwd: ROOT, timeout: 120_000 }));
  } catch (error) {
    throw new Error(
      `The browser test could not get its Chromium from the devDependency @sparticuz/chromium (${script} failed: ${(error as Error).message.trim()}). ` +
        'Run `npm install` (it brings the browser; nothing else to install), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  const found = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { executablePath: string; args: string[]; fontconfigFile: string };
  return {
    executablePath: found.executablePath,
    extraArgs: found.args.filter((arg) => FROM_PACKAGE_ARGS.includes(arg)),
    // The package's Chromium has fontconfig built in: this file points it at the Open Sans it ships (and the system's fonts).
    env: { FONTCONFIG_FILE: found.fontconfigFile },
  };
}

/** Headless Chromium with a fresh profile and no network beyond loopback. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromiumToLaunch();
  const profile = mkdtempSync(join(tmpdir(), 'entra-recovery-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      headless: true,
      args: [...TEST_ARGS, ...browser.extraArgs],
      env: { ...process.env, ...browser.env },
      viewport: { width: 1400, height: 1000 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `Chromium (${browser.executablePath}) did not start: ${(error as Error).message}\n` +
        'The Chromium of @sparticuz/chromium needs the system library libnss3 (libnss3.so), which Debian and Ubuntu base images have. ' +
        'Or set CHROMIUM_PATH to another Chromium binary.',
    );
  }
  context.setDefaultTimeout(60_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One frame of the Playground's conversation stream: what the bot posted or edited, as every viewer of the thread gets it. */
export interface ConversationFrame {
  readonly action: string;
  readonly actionConversationId?: string;
  readonly message?: { readonly messageId?: string; readonly attachments?: readonly { readonly content?: unknown }[] };
}

/**
 * Records the Playground's conversation stream as the page receives it (the web client renders the channel from it).
 * This is what the thread shows to everyone; invoke responses (answers to the clicker only) are not in it.
 */
export function recordConversation(page: Page): ConversationFrame[] {
  const frames: ConversationFrame[] = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/_ws_conversation/')) return;
    ws.on('framereceived', (frame) => {
      try {
        frames.push(JSON.parse(String(frame.payload)) as ConversationFrame);
      } catch {
        frames.push({ action: `unparsed: ${String(frame.payload).slice(0, 80)}` });
      }
    });
  });
  return frames;
}

/**
 * Waits until the thread has received nothing for `quietMs`: card edits reach the client one by one, and an edit that
 * arrives while a person fills a card's inputs redraws the card and clears them (as in Teams). People wait for the card
 * to settle before typing; so does the test.
 */
export async function settled(frames: readonly ConversationFrame[], quietMs = 1_000, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = frames.length;
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`the thread did not settle within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    if (frames.length !== seen) {
      seen = frames.length;
      quietSince = Date.now();
    }
  }
}

/** The newest card in the stream with an `Action.Execute` of this verb: its data, the message it is on and the thread. */
export function latestAction(
  frames: readonly ConversationFrame[],
  verb: string,
): { data: Record<string, unknown>; messageId: string; conversationId: string } | undefined {
  for (const frame of [...frames].reverse()) {
    const data = findActionData(frame.message?.attachments, verb);
    if (data && frame.message?.messageId && frame.actionConversationId)
      return { data, messageId: frame.message.messageId, conversationId: frame.actionConversationId };
  }
  return undefined;
}

function findActionData(node: unknown, verb: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findActionData(item, verb);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (record.type === 'Action.Execute' && record.verb === verb && record.data && typeof record.data === 'object') return record.data as Record<string, unknown>;
  return findActionData(Object.values(record), verb);
}

/** Saves a screenshot of the page as test-artifacts/e2e/NN-name.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export function clearArtifacts(): void {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}

/** The bot as the demo's Playgrounds know it. */
export const DEMO_BOT = { id: 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Entra Recovery' } as const;

/** Megan posts `@Entra recover <upn>` in the channel Recoveries; the case id from the newest intake card. */
export async function postRecover(page: Page, upn: string): Promise<{ caseId: string; intakeTitle: Locator }> {
  await page.getByRole('treeitem', { name: 'Identity Operations - Recoveries' }).click();
  await page.locator('[data-lexical-editor="true"]').click();
  await page.keyboard.type('@Entra');
  await page.getByText(DEMO_BOT.name, { exact: true }).last().click();
  await page.keyboard.type(` recover ${upn}`);
  await page.getByRole('button', { name: 'Post' }).click();
  const intakeTitle = page.getByText(/^Recovery case RC-[A-Z0-9]+$/).last();
  await intakeTitle.waitFor();
  return { caseId: /RC-[A-Z0-9]+/.exec(await intakeTitle.innerText())![0], intakeTitle };
}
