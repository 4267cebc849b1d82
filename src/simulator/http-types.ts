import type { Json } from './json';
import type { TenantState } from './tenant-state';

export type ApiVersion = 'v1.0' | 'beta';

/** The OData system query options Graph endpoints document. */
export type QueryOption = '$filter' | '$top' | '$skiptoken' | '$select' | '$orderby' | '$count' | '$expand' | '$search' | '$skip';

/**
 * The query options Microsoft Graph documents for one endpoint, with the reference page they come from (its "Optional
 * query parameters" section). Declared on the route, so the list and its source live together; the bot's request
 * registry is checked against it. `$skiptoken` is always allowed: every collection may be paged through the
 * @odata.nextLink Graph issues.
 */
export interface DocumentedQuery {
  readonly page: string;
  readonly options: readonly QueryOption[];
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * A request as the router sees it, independent of node:http: `$batch` builds the same thing for each inner request,
 * so inner requests go through exactly the same checks as outer ones.
 */
export interface SimRequest {
  readonly method: string;
  /** Decoded path segments after the version, e.g. ['users', 'adele@contoso.com', 'authentication', 'methods']. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Json;
  /** A body that is not JSON (the control endpoints' admin page), sent as is; `headers` give its Content-Type. */
  readonly text?: string;
  /** Close the connection without answering (an injected connection reset); nothing else is sent. */
  readonly reset?: true;
}

/** Everything a handler may use. `now` is the simulator's clock read once per request. */
export interface RouteContext {
  readonly request: SimRequest;
  readonly version: ApiVersion;
  readonly params: Readonly<Record<string, string>>;
  readonly tenant: TenantState;
  readonly now: Date;
  /** e.g. http://127.0.0.1:41234, no trailing slash. */
  readonly baseUrl: string;
  readonly pageSize: number;
  readonly requestId: string;
  readonly clientRequestId: string;
}

export type Handler = (ctx: RouteContext) => SimResponse;

export interface Route {
  readonly method: HttpMethod;
  /** Segments after the version; `{name}` captures one segment. Literal segments match case-insensitively, like Graph. */
  readonly path: string;
  /** Omitted: both v1.0 and beta. */
  readonly versions?: readonly ApiVersion[];
  /** The query options Graph documents for the endpoint; every Graph route declares them (all-routes.ts enforces). */
  readonly query?: DocumentedQuery;
  readonly handler: Handler;
}
