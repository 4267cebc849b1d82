import type { TokenCredential } from '@azure/identity';
import {
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type FetchOptions,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { BearerTokenMiddleware } from './bearer-token-middleware';

export interface GraphClientOptions {
  /** Origin only, e.g. https://graph.microsoft.com or the simulated tenant's http://127.0.0.1:5080. */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  /** Retry delay base in seconds for throttled reads (the SDK honours Retry-After when present). */
  readonly retryDelaySeconds?: number;
  readonly maxRetries?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD']);
/** POST actions that only read (membership checks), safe to repeat. */
const READ_ONLY_POST = /\/(checkMemberGroups|checkMemberObjects|getMemberGroups)(\?|$)/;

/**
 * Only reads are retried automatically. The SDK's default retries POST too, and a retried
 * `POST .../temporaryAccessPassMethods` silently replaces a pass already handed out; writes get explicit,
 * idempotent retry logic where they are made.
 */
export function retryOnlyReads(_delay: number, _attempt: number, request: unknown, options: FetchOptions | undefined): boolean {
  const method = (options?.method ?? 'GET').toUpperCase();
  if (IDEMPOTENT.has(method)) return true;
  const url = typeof request === 'string' ? request : request instanceof Request ? request.url : '';
  return method === 'POST' && READ_ONLY_POST.test(url);
}

/** Builds the Graph client: bearer token for our origin → retry (reads only) → redirect → telemetry → fetch. */
export function createGraphClient(options: GraphClientOptions): Client {
  const chain: Middleware[] = [
    new BearerTokenMiddleware(options.credential, ['https://graph.microsoft.com/.default'], new URL(options.baseUrl).origin),
    new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 3, retryOnlyReads)),
    new RedirectHandler(),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  for (let i = 0; i < chain.length - 1; i++) {
    const current = chain[i];
    const next = chain[i + 1];
    if (current?.setNext && next) current.setNext(next);
  }
  const first = chain[0];
  if (!first) throw new Error('empty middleware chain');
  return Client.initWithMiddleware({ middleware: first, baseUrl: `${options.baseUrl}/`, defaultVersion: 'v1.0' });
}
