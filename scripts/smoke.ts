/**
 * `npm run smoke`: checks, read-only, that the configured tenant is ready for the bot: the configuration is complete,
 * an app-only token can be had, every Graph read the bot makes is permitted, the write permissions are granted, the
 * TAP policy is enabled, the configured groups exist, and the app holds a directory role for resets. It loads the
 * configuration exactly as the bot does (src/config.ts, environment over ./.env) and never writes anything.
 * Prints a table of OK / MISSING / FAILED / NOT CHECKED with fixes; exits 1 when anything is missing or failed.
 * In demo mode (no credentials) it checks the simulated tenant at SIMULATOR_URL.
 */
import { config as loadDotenv } from 'dotenv';
import { configProblems, parseConfig } from '../src/config';
import { createGraphClient } from '../src/entra/graph-client';
import { createGraphCredential } from '../src/entra/credentials';
import { formatSmokeReport, runSmoke, smokePassed, type SmokeRow } from '../src/entra/tenant-smoke';

type Env = Record<string, string | undefined>;

/** Runs the checks for this environment and returns what to print and the exit code. */
export async function smoke(env: Env): Promise<{ code: number; output: string }> {
  const problems = configProblems(env);
  if (problems.length > 0) {
    const rows: SmokeRow[] = problems.map((p) => ({
      check: `Configuration: ${p.variable}`,
      status: 'MISSING',
      detail: p.message.slice(p.variable.length + 2),
      fix: `Set ${p.variable} (see .env.example and docs/deploy.md).`,
    }));
    return { code: 1, output: ['The configuration is incomplete; nothing was sent to any tenant.', formatSmokeReport(rows)].join('\n') };
  }
  const config = parseConfig(env);
  const credential = createGraphCredential(config.graph.credential);
  const graph = createGraphClient({ baseUrl: config.graph.baseUrl, credential, retry: { baseDelayMs: 50, maxRetries: 1 } });
  const rows = await runSmoke({
    graph,
    credential,
    baseUrl: config.graph.baseUrl,
    groups: {
      helpdesk: config.policy.helpdeskGroupIds,
      approvers: config.policy.approverGroupIds,
      privilegedApprovers: config.policy.privilegedApproverGroupIds,
    },
    ...(config.verifiedId ? { verifiedId: config.verifiedId } : {}),
  });
  const passed = smokePassed(rows);
  const header = `Read-only smoke check of the ${config.mode === 'demo' ? 'SIMULATED' : 'configured'} tenant ${config.tenantId} through ${config.graph.baseUrl}`;
  return {
    code: passed ? 0 : 1,
    output: [header, formatSmokeReport(rows), '', passed ? 'Ready: nothing is missing.' : 'Not ready: see the fixes above.'].join('\n'),
  };
}

if (require.main === module) {
  loadDotenv({ quiet: true });
  smoke(process.env).then(
    ({ code, output }) => {
      console.log(output);
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
