import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppTokenSigner } from './auth/app-token';
import { Faults, type FaultInjector } from './faults';
import { toIncoming, writeResponse } from './http-adapter';
import { loadDemoSeed, parseSeed } from './load-demo-seed';
import { createTenantState, reseedTenant } from './load-tenant';
import { createPipeline, type GraphRequestSeen } from './request-pipeline';
import type { TenantSeed } from './seed-schema';
import type { TenantState } from './tenant-state';
import { setTimeout as sleep } from 'node:timers/promises';
import { Throttle, type IdentityLimits, type ThrottlingMode } from './throttling';
import { SimulatedRequestService } from './verified-id/request-service';
import { loadDemoWallet, type WalletSeed } from './verified-id/wallet';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default: the demo tenant (src/simulator/seed/demo-tenant.json). */
  seed?: TenantSeed;
  /** The clock. Seed times resolve against now() at start (and at reset). Default () => new Date(). */
  now?: () => Date;
  /** Default page size of collections (100); small values exercise @odata.nextLink. */
  pageSize?: number;
  /**
   * 'graph' models Graph's reporting bucket (5 requests / 10 s) with 429 + Retry-After, and the Verified ID Request
   * Service's 2 presentation requests a second. Default 'off'.
   */
  throttling?: ThrottlingMode;
  /** Seeds the random source of `rate` faults, so a fault run can be repeated exactly. Default 1. */
  faultSeed?: number;
  /** Told of every Graph request the simulator receives (tests record what the bot really sent, e.g. a $filter). */
  onGraphRequest?: (request: GraphRequestSeen) => void;
  /** With throttling 'graph': the identity and access token buckets; default the documented small-tenant limits. */
  identityLimits?: Partial<IdentityLimits>;
  /**
   * The Graph application permissions granted to the bot's app, replacing the seed's (default: the set docs/deploy.md
   * tells a customer to grant, auth/demo-app.ts). Tokens carry them as `roles`; a reset restores these.
   */
  grantedPermissions?: readonly string[];
  /** The Verified ID wallet and authority; default src/simulator/seed/demo-wallet.json. */
  walletSeed?: WalletSeed;
  /** Added to every HTTP request (a `$batch` once, as its inner requests run side by side), like a network round trip. Default 0. */
  latencyMs?: number;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234, no trailing slash; Graph v1.0 under `${url}/v1.0/`, beta under `${url}/beta/`. */
  readonly url: string;
  /** The live in-memory state, for tests to inspect. */
  readonly tenant: TenantState;
  readonly faults: FaultInjector;
  /** The simulated Verified ID Request Service (`${url}/verifiedid/v1.0/`): its requests, wallet and callbacks (`idle()`). */
  readonly verifiedId: SimulatedRequestService;
  close(): Promise<void>;
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts a simulated Entra tenant: a Microsoft Graph-compatible HTTP server (a v1.0 subset plus a few beta paths)
 * over an in-memory tenant built from the seed. Tests and the demo talk to it over real HTTP, through the same
 * Graph client the bot uses in production.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const now = options.now ?? ((): Date => new Date());
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const host = options.host ?? '127.0.0.1';
  const given = options.seed ?? loadDemoSeed();
  const seed = parseSeed(
    options.grantedPermissions ? { ...given, callerApp: { ...given.callerApp, grantedPermissions: [...options.grantedPermissions] } } : given,
  );
  const tenant = createTenantState(seed, now());
  const faults = new Faults(options.faultSeed ?? 1);
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latencyMs must be a non-negative number, got ${latencyMs}`);
  const throttle = new Throttle(options.throttling ?? 'off', now, options.identityLimits);
  let url = '';
  const signer = new AppTokenSigner();
  const verifiedId = new SimulatedRequestService(
    { tenant, signer, faults, now, baseUrl: () => url, enforceRateLimit: options.throttling === 'graph' },
    options.walletSeed ?? loadDemoWallet(),
  );
  const pipeline = createPipeline({
    tenant,
    verifiedId,
    faults,
    throttle,
    now,
    baseUrl: () => url,
    pageSize,
    signer,
    ...(options.onGraphRequest ? { onGraphRequest: options.onGraphRequest } : {}),
    reset: () => {
      reseedTenant(tenant, seed, now());
      verifiedId.reset();
      throttle.reset();
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const incoming = await toIncoming(req);
      if (latencyMs > 0) await sleep(latencyMs);
      const answer = await pipeline(incoming);
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      writeResponse(res, answer);
    } catch {
      // Only the body reader can get here (oversized or aborted body): answer plainly and move on.
      if (!res.headersSent) res.writeHead(413);
      res.end();
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  // Idle keep-alive connections are closed by the client, never by this server. Node's default (close after 5 s idle,
  // announced as `Keep-Alive: timeout=5`) lets a client that reuses a connection a moment before the server closes it
  // meet a reset it did not cause; under load that hit the test suite's own requests (once in a full run). Graph's
  // resets are modelled on purpose, by the `reset` fault. close() below still ends every connection.
  server.keepAliveTimeout = 0;
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    tenant,
    faults,
    verifiedId,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
