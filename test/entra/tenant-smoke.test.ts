import { createServer } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { loadDemoSeed, startSimulator, type RunningSimulator, type TenantSeed } from '../../src/simulator';
import { createGraphClient } from '../../src/entra/graph-client';
import { runSmoke, smokePassed, tokenClaims, type SmokeRow } from '../../src/entra/tenant-smoke';
import { smoke } from '../../scripts/smoke';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { GROUPS } from '../helpers/demo-ids';
import { simulatorCredential } from '../helpers/simulator-token';

const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const AUTHENTICATION_ADMINISTRATOR = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';

/** The demo tenant with the bot's service principal holding a directory role, as docs/deploy.md section 2 asks. */
function seedWithAppRole(roleDefinitionId: string): TenantSeed {
  const seed = loadDemoSeed();
  return {
    ...seed,
    roleAssignments: [...(seed.roleAssignments ?? []), { id: 'bot-sp-role', principalId: seed.callerApp.servicePrincipalId, roleDefinitionId }],
  };
}

/** `npm run smoke` (scripts/smoke.ts) against the simulated tenant: ready, a missing permission, a wrong group, no tenant, no configuration. */
describe('npm run smoke: a read-only check of the tenant the configuration points at', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: seedWithAppRole(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR) });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => sim.faults.clear());

  const row = (output: string, check: string): string => output.split('\n').find((l) => l.includes(check)) ?? `(no row for ${check})`;

  it('passes against the simulated tenant: token, every read the bot makes, the TAP policy and the three demo groups', async () => {
    const { code, output } = await smoke({ SIMULATOR_URL: sim.url });
    expect(output).toContain('Ready: nothing is missing.');
    expect(code).toBe(0);
    for (const check of [
      'Read users',
      "Read a user's authentication methods",
      'Read audit logs',
      'Read sign-in logs',
      'Read the registration report',
      'Read directory role assignments',
      'Read transitive role assignments (beta)',
      'Read Conditional Access policies',
      'Read role definitions (readiness report)',
      'Read PIM role eligibilities (readiness report)',
      'Temporary Access Pass policy',
    ]) {
      expect(row(output, check)).toMatch(/^OK /);
    }
    expect(row(output, GROUPS.approvers)).toMatch(/^OK .*"Recovery Approvers", members readable/);
    // The simulated tenant's token carries the demo app's grants as roles and its service principal as oid.
    expect(row(output, 'Permission UserAuthenticationMethod.ReadWrite.All')).toMatch(/^OK .*granted: UserAuthenticationMethod.ReadWrite.All/);
    expect(row(output, 'Permission User.RevokeSessions.All')).toMatch(/^OK .*granted: User.RevokeSessions.All/);
    expect(row(output, "Directory role of the app's service principal")).toMatch(/^OK .*Privileged Authentication Administrator/);
  });

  it('names the permission behind a 403 (here on the sign-in logs) and fails', async () => {
    sim.faults.add({ path: /\/auditLogs\/signIns/, kind: 'error', status: 403 });
    const { code, output } = await smoke({ SIMULATOR_URL: sim.url });
    expect(code).toBe(1);
    expect(row(output, 'Read sign-in logs')).toMatch(/^MISSING .*GET \/auditLogs\/signIns\?\$top=1: 403 Authorization_RequestDenied/);
    expect(output).toContain(
      '- Read sign-in logs: Grant the application permission AuditLog.Read.All, and Microsoft Entra ID P1 or P2 to the Graph app and give admin consent.',
    );
    expect(row(output, 'Read audit logs')).toMatch(/^OK /);
    expect(output).toContain('Not ready: see the fixes above.');
  });

  it('names both permissions List directoryAudits needs: AuditLog.Read.All and Directory.Read.All', async () => {
    // docs-contrib v1.0 includes/permissions/directoryaudit-list-permissions.md: "AuditLog.Read.All and Directory.Read.All".
    sim.faults.add({ path: /\/auditLogs\/directoryAudits/, kind: 'error', status: 403 });
    const { code, output } = await smoke({ SIMULATOR_URL: sim.url });
    expect(code).toBe(1);
    expect(output).toContain(
      '- Read audit logs: Grant the application permissions AuditLog.Read.All and Directory.Read.All to the Graph app and give admin consent.',
    );
  });

  it('a 403 on a read only the readiness report needs is a WARN with its fix, and the tenant is still ready', async () => {
    sim.faults.add({ path: /\/roleEligibilitySchedules/, kind: 'error', status: 403 });
    const { code, output } = await smoke({ SIMULATOR_URL: sim.url });
    expect(row(output, 'Read PIM role eligibilities (readiness report)')).toMatch(
      /^WARN .*403 Authorization_RequestDenied.*only the readiness report needs it/,
    );
    expect(output).toContain(
      '- Read PIM role eligibilities (readiness report): Grant the application permission RoleEligibilitySchedule.Read.Directory, and Microsoft Entra ID P2 to the Graph app and give admin consent.',
    );
    expect(row(output, 'Read role definitions (readiness report)')).toMatch(/^OK /);
    expect(code).toBe(0);
    expect(output).toContain('Ready: nothing is missing.');
  });

  it('says which configured group id does not resolve', async () => {
    const unknown = '3c0d9e51-1000-4b2a-8f00-00000000ffff';
    const { code, output } = await smoke({ SIMULATOR_URL: sim.url, APPROVER_GROUP_IDS: `${GROUPS.approvers},${unknown}` });
    expect(code).toBe(1);
    expect(row(output, unknown)).toMatch(/^MISSING +APPROVER_GROUP_IDS: 3c0d9e51-1000-4b2a-8f00-00000000ffff +no group with this object id \(404/);
    expect(row(output, GROUPS.approvers)).toMatch(/^OK /);
    expect(output).toContain('Put the object id of the approver group (Entra admin center > Groups) in APPROVER_GROUP_IDS.');
  });

  it('against an unreachable tenant, stops at the token: the simulated tenant serves the token endpoint too', async () => {
    const closed = await closedPort();
    const { code, output } = await smoke({ SIMULATOR_URL: `http://127.0.0.1:${closed}` });
    expect(code).toBe(1);
    expect(row(output, 'Acquire an app-only token for Graph')).toMatch(/^MISSING .*fetch failed/);
    expect(output).not.toContain('Read users');
  });

  it('with production mode and nothing configured, names every missing variable at once', async () => {
    const { code, output } = await smoke({ BOT_MODE: 'production' });
    expect(code).toBe(1);
    expect(output).toContain('The configuration is incomplete; nothing was sent to any tenant.');
    for (const variable of [
      'MicrosoftAppId',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'MicrosoftAppPassword',
      'GRAPH_AUTH',
      'GRAPH_CLIENT_ID',
      'GRAPH_CLIENT_SECRET',
      'HELPDESK_GROUP_IDS',
      'APPROVER_GROUP_IDS',
      'PRIVILEGED_APPROVER_GROUP_IDS',
      'CARD_SIGNING_KEY',
    ]) {
      expect(row(output, `Configuration: ${variable} `)).toMatch(/^MISSING /);
    }
  });

  it('with a certificate credential, asks for the certificate path instead of the secret', async () => {
    const { output } = await smoke({ BOT_MODE: 'production', GRAPH_AUTH: 'certificate' });
    expect(output).toContain('Configuration: GRAPH_CERTIFICATE_PATH');
    expect(output).not.toContain('Configuration: GRAPH_CLIENT_SECRET');
  });

  describe("with the simulated tenant's token: the app's grants as roles, its service principal as oid", () => {
    const run = async (target: RunningSimulator, granted?: readonly string[]): Promise<SmokeRow[]> => {
      if (granted) {
        const res = await fetch(`${target.url}/_simulator/app/permissions`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grantedPermissions: granted }),
        });
        expect(res.status).toBe(200);
      }
      // A fresh credential, so a fresh token: one issued before the change would keep the old roles, as in Entra.
      const credential = simulatorCredential(target.url);
      const graph = createGraphClient({ baseUrl: target.url, credential, retry: { maxRetries: 0 } });
      return runSmoke({
        graph,
        credential,
        baseUrl: target.url,
        groups: { helpdesk: [GROUPS.helpdesk], approvers: [GROUPS.approvers], privilegedApprovers: [GROUPS.privilegedApprovers] },
      });
    };
    const find = (rows: SmokeRow[], check: string): SmokeRow => rows.find((r) => r.check.startsWith(check))!;
    const without = (permission: string): string[] => DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== permission);
    afterEach(async () => {
      await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
    });

    it('reads the roles claim: a write permission not granted is MISSING with its name', async () => {
      // User.ReadWrite.All is a higher alternative for the restore (its reference page lists it): both go.
      const rows = await run(
        sim,
        without('User.DeleteRestore.All').filter((p) => p !== 'User.ReadWrite.All'),
      );
      expect(find(rows, 'Permission User.DeleteRestore.All')).toMatchObject({
        status: 'MISSING',
        fix: 'Grant User.DeleteRestore.All (application) and give admin consent.',
      });
      expect(find(rows, 'Permission UserAuthenticationMethod.ReadWrite.All')).toMatchObject({
        status: 'OK',
        detail: 'granted: UserAuthenticationMethod.ReadWrite.All',
      });
      expect(smokePassed(rows)).toBe(false);
    });

    it('asks for User.RevokeSessions.All to revoke sessions: User.ReadWrite.All is not listed for it in application context', async () => {
      // docs-contrib v1.0 includes/permissions/user-revokesigninsessions-permissions.md: Application, least privileged
      // User.RevokeSessions.All, higher privileged "Not available".
      const rows = await run(sim, without('User.RevokeSessions.All'));
      expect(find(rows, 'Permission User.RevokeSessions.All')).toMatchObject({
        status: 'MISSING',
        fix: 'Grant User.RevokeSessions.All (application) and give admin consent.',
      });
      expect(find(rows, 'Permission User.ReadWrite.All')).toMatchObject({ status: 'OK' });
    });

    it("checks the directory role of the app's service principal (the token's oid)", async () => {
      const privileged = await run(sim);
      expect(find(privileged, 'Directory role')).toMatchObject({ status: 'OK' });
      expect(smokePassed(privileged)).toBe(true);
      const limitedSim = await startSimulator({ port: 0, seed: seedWithAppRole(AUTHENTICATION_ADMINISTRATOR) });
      try {
        const limited = await run(limitedSim);
        expect(find(limited, 'Directory role')).toMatchObject({
          status: 'MISSING',
          detail: 'holds Authentication Administrator: enough for users without admin roles, not for privileged targets',
        });
      } finally {
        await limitedSim.close();
      }
    });

    it('stops at the token when it cannot be had (no network to the authority, a wrong secret), and says what to check', async () => {
      const failing: TokenCredential = {
        getToken: () => Promise.reject(new Error('network_error: See https://aka.ms/msal.js.errors#network_error for details')),
      };
      const rows = await runSmoke({
        graph: createGraphClient({ baseUrl: sim.url, credential: failing, retry: { maxRetries: 0 } }),
        credential: failing,
        baseUrl: sim.url,
        groups: { helpdesk: [], approvers: [], privilegedApprovers: [] },
      });
      expect(rows).toEqual([
        {
          check: 'Acquire an app-only token for Graph',
          status: 'MISSING',
          detail: 'network_error: See https://aka.ms/msal.js.errors#network_error for details',
          fix: 'Check GRAPH_AUTH, GRAPH_CLIENT_ID, GRAPH_TENANT_ID and the secret, certificate or managed identity, and that login.microsoftonline.com is reachable.',
        },
      ]);
      expect(smokePassed(rows)).toBe(false);
    });

    it('a token that is not a JWT has no claims', () => {
      expect(tokenClaims('not-a-jwt')).toBeUndefined();
      expect(tokenClaims(['e30', Buffer.from(JSON.stringify({ roles: ['A'] })).toString('base64url'), 'sig'].join('.'))).toEqual({ roles: ['A'] });
    });
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
