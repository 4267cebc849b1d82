import type { TokenCredential } from '@azure/identity';
import { Client, HTTPMessageHandler, RedirectHandler, TelemetryHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import { BearerTokenMiddleware } from './bearer-token-middleware';
import { GraphRequestGuard } from './graph-request-guard';
import { DEFAULT_RETRY_POLICY, ResilientRetryHandler, type RetryPolicy } from './retry-middleware';
import type { Timing } from '../resilience';

export interface GraphClientOptions {
  /** Origin only, e.g. https://graph.microsoft.com or the simulated tenant's http://127.0.0.1:5080. */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  /** Overrides of DEFAULT_RETRY_POLICY (tests and the fault suite use short waits). */
  readonly retry?: Partial<RetryPolicy>;
  readonly timing?: Timing;
}

/**
 * Builds the Graph client: the registry guard (a request not in graph-requests.ts is refused before anything else) →
 * bearer token for our origin → retry (what the entry's `mayRepeat` allows; never a TAP create) → redirect →
 * telemetry → fetch.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const chain: Middleware[] = [
    new GraphRequestGuard(),
    new BearerTokenMiddleware(options.credential, ['https://graph.microsoft.com/.default'], new URL(options.baseUrl).origin),
    new ResilientRetryHandler({ ...DEFAULT_RETRY_POLICY, ...options.retry }, options.timing),
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
