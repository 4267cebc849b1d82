import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBot, waitFor } from './spawn-bot';

/**
 * One bot process in production mode (`src/index.ts`, BOT_MODE=production, NODE_ENV=production), reached only over
 * HTTP, with its real Bot Framework token validation reading the channel's keys from a local OpenID metadata server
 * (BOT_OPENID_METADATA_URL, test/helpers/channel-openid.ts). Every credential is made up, and the network guard
 * (network-guard.ts) keeps the process on loopback: anything it tries outside fails at once and is logged.
 *
 * Production refuses CLOCK_OFFSET_MS, so this process runs on the real clock; tests sign its tokens relative to the
 * real Date.now() (not before a minute ago, expiring in an hour), which reads the same on any day.
 */
export const PROD = {
  appId: '11111111-2222-4333-8444-555555555555',
  appPassword: 'made-up-bot-password-for-tests-only',
  tenantId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  graphClientId: '22222222-3333-4444-8555-666666666666',
  graphSecret: 'made-up-graph-secret-for-tests-only',
  cardSigningKey: 'made-up-production-card-signing-key-0123456789',
  helpdeskGroup: '3c0d9e51-2000-4b2a-8f00-00000000b001',
  approverGroup: '3c0d9e51-2000-4b2a-8f00-00000000b002',
  privilegedApproverGroup: '3c0d9e51-2000-4b2a-8f00-00000000b003',
} as const;

/** The log line of network-guard.ts (preloaded into the process; importing it here would guard the test's own process). */
export const GUARD_MESSAGE = 'network guard refused a lookup';

/** The secrets the process holds: none may ever appear in an answer or a log line. */
export const PROD_SECRETS: readonly string[] = [PROD.appPassword, PROD.graphSecret, PROD.cardSigningKey];

export interface LogLine {
  readonly level?: string;
  readonly message?: string;
  readonly [field: string]: unknown;
}

export interface ProductionBot {
  readonly url: string;
  readonly dataDir: string;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
  /** The JSON log lines the process wrote (the bot's logger and the network guard); other output is skipped. */
  logLines(): LogLine[];
  /** Host names the process tried to reach beyond loopback (refused by the network guard). */
  outsideCalls(): string[];
  /** Files the bot wrote under DATA_DIR (cases, thread references), relative to it. */
  storedFiles(): string[];
  stop(): Promise<void>;
}

function parseLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // Not one of ours (a library printing an object literal): skipped.
    }
  }
  return lines;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

export async function startProductionBot(metadataUrl: string, env: Record<string, string> = {}): Promise<ProductionBot> {
  const dataDir = mkdtempSync(join(tmpdir(), 'prod-bot-'));
  const started = spawnBot({
    BOT_MODE: 'production',
    NODE_ENV: 'production',
    NODE_OPTIONS: `--require ${require.resolve('tsx/cjs')} --require ${join(__dirname, 'network-guard.ts')}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    MicrosoftAppId: PROD.appId,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: PROD.tenantId,
    MicrosoftAppPassword: PROD.appPassword,
    BOT_OPENID_METADATA_URL: metadataUrl,
    GRAPH_AUTH: 'clientSecret',
    GRAPH_CLIENT_ID: PROD.graphClientId,
    GRAPH_CLIENT_SECRET: PROD.graphSecret,
    HELPDESK_GROUP_IDS: PROD.helpdeskGroup,
    APPROVER_GROUP_IDS: PROD.approverGroup,
    PRIVILEGED_APPROVER_GROUP_IDS: PROD.privilegedApproverGroup,
    CARD_SIGNING_KEY: PROD.cardSigningKey,
    DATA_DIR: dataDir,
    ...env,
  });
  const listening = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/;
  // Started means listening and done with start-up: the resume of open cases logs its line after the server listens, and
  // a test that counts log lines must not see it arrive in the middle of a request.
  const ready = (): boolean => listening.test(started.output()) && started.output().includes('"message":"resumed open cases"');
  await waitFor(() => Promise.resolve(ready() || started.child.exitCode !== null), 'the production bot to listen and finish start-up', 60_000);
  const url = listening.exec(started.output())?.[1];
  if (!url) throw new Error(`the production bot did not start:\n${started.output()}`);
  return {
    url,
    dataDir,
    output: started.output,
    logLines: () => parseLines(started.output()),
    outsideCalls: () =>
      parseLines(started.output())
        .filter((l) => l.message === GUARD_MESSAGE)
        .map((l) => String(l.host)),
    storedFiles: () => filesUnder(dataDir),
    stop: async () => {
      if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
      await started.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
