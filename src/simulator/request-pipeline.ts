import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GRAPH_ROUTES } from './all-routes';
import type { AppTokenClaims, AppTokenSigner } from './auth/app-token';
import { authenticate, authorize } from './auth/authorize';
import { answerTokenRequest } from './auth/token-endpoint';
import { runBatch, type BatchItem } from './batch';
import { handleControl, type ControlDeps } from './control';
import { ConnectionResetFault, GraphHttpError, directoryErrors, errorBody, gatewayErrors } from './errors';
import type { Faults } from './faults';
import type { ApiVersion, SimRequest, SimResponse } from './http-types';
import { matchRoute } from './router';
import type { TenantState } from './tenant-state';
import type { Throttle } from './throttling';
import { REQUEST_SERVICE_PREFIX } from './verified-id/request-service';

/** A request as it arrives from the HTTP layer. */
export interface IncomingRequest {
  readonly method: string;
  /** The URL path, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The body was present but not valid JSON. */
  readonly bodyInvalid: boolean;
  /** The fields of an HTML form post (application/x-www-form-urlencoded); only control endpoints accept one. */
  readonly form?: Readonly<Record<string, string>>;
}

export interface PipelineDeps extends ControlDeps {
  readonly tenant: TenantState;
  readonly faults: Faults;
  readonly throttle: Throttle;
  readonly now: () => Date;
  readonly baseUrl: () => string;
  readonly pageSize: number;
  /** Signs the token endpoint's app tokens and checks the bearer token of every Graph request. */
  readonly signer: AppTokenSigner;
  /** Told of every Graph request (outer or inside a batch) before faults apply: what a test wants to see was sent. */
  readonly onGraphRequest?: (request: GraphRequestSeen) => void;
}

/** A Graph request as the simulator received it: the decoded path after the version and the decoded query. */
export interface GraphRequestSeen {
  readonly method: string;
  readonly version: ApiVersion;
  readonly path: string;
  readonly query: URLSearchParams;
}

interface Ids {
  readonly requestId: string;
  readonly clientRequestId: string;
}

function idsFor(headers: Readonly<Record<string, string>>): Ids {
  const requestId = randomUUID();
  return { requestId, clientRequestId: headers['client-request-id'] ?? requestId };
}

function withIds(res: SimResponse, ids: Ids): SimResponse {
  return { ...res, headers: { ...(res.headers ?? {}), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId } };
}

function decodeSegments(path: string): string[] {
  try {
    return path
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
  } catch {
    throw gatewayErrors.badRequest('The request URI is not valid: a path segment is not properly percent-encoded.');
  }
}

/** `/{tenant}/oauth2/v2.0/token`: the identity platform's token endpoint, served by the simulated tenant too. */
function isTokenEndpoint(segments: readonly string[]): boolean {
  return segments.length === 4 && segments[1]?.toLowerCase() === 'oauth2' && segments[2]?.toLowerCase() === 'v2.0' && segments[3]?.toLowerCase() === 'token';
}

/**
 * The one dispatcher: control endpoints and the token endpoint, then version, bearer token, JSON body, `$batch`, and
 * for every Graph request (outer or inside a batch) faults, throttling, routing, the permissions the route requires
 * of the token's roles, and Graph-shaped errors. Every answer carries request-id and client-request-id.
 */
export function createPipeline(deps: PipelineDeps): (incoming: IncomingRequest) => Promise<SimResponse> {
  const fail = (error: GraphHttpError, ids: Ids): SimResponse => ({
    status: error.status,
    headers: error.headers,
    body: errorBody(error.code, error.message, { now: deps.now(), ...ids }, error.innerCode),
  });

  async function runGraph(request: SimRequest, version: ApiVersion, ids: Ids, claims: AppTokenClaims): Promise<SimResponse> {
    try {
      deps.onGraphRequest?.({ method: request.method, version, path: `/${request.segments.join('/')}`, query: new URLSearchParams(request.query) });
      const outcome = deps.faults.apply(request.method, `/${version}/${request.segments.join('/')}`);
      if (outcome.delayMs > 0) await sleep(outcome.delayMs);
      if (outcome.reset) throw new ConnectionResetFault();
      if (outcome.error) throw outcome.error;
      const throttled = deps.throttle.check(request.method, request.segments, request.query);
      if (throttled) throw throttled;
      const match = matchRoute(GRAPH_ROUTES, request.method, version, request.segments);
      if (match.kind === 'notFound') throw gatewayErrors.segmentNotFound(match.segment);
      if (match.kind === 'methodNotAllowed') throw directoryErrors.methodNotAllowed();
      authorize(claims, match.route, request);
      return match.route.handler({
        request,
        version,
        params: match.params,
        tenant: deps.tenant,
        now: deps.now(),
        baseUrl: deps.baseUrl(),
        pageSize: deps.pageSize,
        ...ids,
      });
    } catch (e) {
      if (e instanceof GraphHttpError) return fail(e, ids);
      throw e;
    }
  }

  async function runBatchItem(item: BatchItem, version: ApiVersion, outer: IncomingRequest, claims: AppTokenClaims): Promise<SimResponse> {
    const headers: Record<string, string> = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    headers['authorization'] = outer.headers['authorization'] ?? '';
    const ids = idsFor(headers);
    if (/^[a-z][a-z0-9+.-]*:/i.test(item.url))
      return fail(gatewayErrors.badRequest('Batch request URLs must be relative to the version, e.g. /users/{id}.'), ids);
    const url = new URL(item.url.startsWith('/') ? item.url : `/${item.url}`, 'http://batch.invalid');
    let segments: string[];
    try {
      segments = decodeSegments(url.pathname);
    } catch (e) {
      if (e instanceof GraphHttpError) return fail(e, ids);
      throw e;
    }
    if (segments[0]?.toLowerCase() === '$batch') return fail(gatewayErrors.badRequest('A batch cannot contain another batch.'), ids);
    return runGraph({ method: item.method.toUpperCase(), segments, query: url.searchParams, headers, body: item.body }, version, ids, claims);
  }

  async function answer(incoming: IncomingRequest, ids: Ids): Promise<SimResponse> {
    const segments = decodeSegments(incoming.path);
    if (segments[0] === '_simulator') {
      const form = incoming.form !== undefined;
      return handleControl(deps, {
        method: incoming.method,
        segments: segments.slice(1),
        query: incoming.query,
        headers: incoming.headers,
        body: form ? incoming.form : incoming.body,
        form,
      });
    }
    if (segments[0]?.toLowerCase() === REQUEST_SERVICE_PREFIX) {
      return deps.verifiedId.answer(incoming.method, segments.slice(1), incoming.headers, incoming.body, incoming.bodyInvalid);
    }
    if (isTokenEndpoint(segments)) {
      return answerTokenRequest(deps.tenant, deps.signer, { tenant: segments[0] ?? '', method: incoming.method, form: incoming.form }, deps.now());
    }
    const [version, ...rest] = segments;
    if (version !== 'v1.0' && version !== 'beta') throw gatewayErrors.invalidVersion(version ?? '');
    const claims = authenticate(incoming.headers, deps.signer, deps.now());
    if (incoming.bodyInvalid) throw gatewayErrors.invalidJson();
    if (incoming.body !== undefined && !/json/i.test(incoming.headers['content-type'] ?? '')) {
      throw gatewayErrors.badRequest('Write requests (excluding DELETE) must contain the Content-Type header declaration.');
    }
    if (rest.length === 1 && rest[0]?.toLowerCase() === '$batch') {
      if (incoming.method !== 'POST') throw directoryErrors.methodNotAllowed();
      return runBatch(incoming.body, { execute: (item) => runBatchItem(item, version, incoming, claims), fail: (e) => fail(e, idsFor({})) });
    }
    return runGraph({ method: incoming.method, segments: rest, query: incoming.query, headers: incoming.headers, body: incoming.body }, version, ids, claims);
  }

  return async (incoming) => {
    const ids = idsFor(incoming.headers);
    try {
      return withIds(await answer(incoming, ids), ids);
    } catch (e) {
      if (e instanceof GraphHttpError) return withIds(fail(e, ids), ids);
      // A reset inside a batch resets the batch's connection too: there is only one.
      if (e instanceof ConnectionResetFault) return { status: 0, reset: true };
      // A bug in the simulator: answer like Graph's own 500 so the client's error path is exercised, and say what broke.
      const message = e instanceof Error ? e.message : String(e);
      return withIds(fail(new GraphHttpError(500, 'generalException', `Simulator failure: ${message}`), ids), ids);
    }
  };
}
