import type { JsonObject } from './json';

/**
 * A Graph error a handler throws; the request pipeline turns it into Graph's body
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` with the status.
 * Throwing keeps handlers linear: every check reads as "if this is wrong, answer like Graph does".
 */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** A code Graph puts inside innerError as well (a 429 carries `"code": "429"` there). */
    readonly innerCode?: string,
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

/** A fault that closes the connection instead of answering; the pipeline lets it through to the HTTP layer. */
export class ConnectionResetFault extends Error {
  constructor() {
    super('connection reset by an injected fault');
    this.name = 'ConnectionResetFault';
  }
}

/** Directory (Core Directory / AAD Graph) style: `Request_*` codes. */
export const directoryErrors = {
  badRequest: (message: string): GraphHttpError => new GraphHttpError(400, 'Request_BadRequest', message),
  unsupportedQuery: (message: string): GraphHttpError => new GraphHttpError(400, 'Request_UnsupportedQuery', message),
  notFound: (id: string): GraphHttpError =>
    new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  methodNotAllowed: (): GraphHttpError => new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  unknownProperty: (property: string, type: string): GraphHttpError =>
    new GraphHttpError(400, 'Request_BadRequest', `Could not find a property named '${property}' on type 'microsoft.graph.${type}'.`),
  weakPassword: (): GraphHttpError =>
    new GraphHttpError(
      400,
      'Request_BadRequest',
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    ),
};

/** Gateway style: codes Graph itself produces before a workload sees the request. */
export const gatewayErrors = {
  badRequest: (message: string): GraphHttpError => new GraphHttpError(400, 'BadRequest', message),
  segmentNotFound: (segment: string): GraphHttpError => new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  invalidVersion: (version: string): GraphHttpError => new GraphHttpError(400, 'BadRequest', `Invalid version: ${version}`),
  invalidJson: (): GraphHttpError =>
    new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
  throttled: (retryAfterSeconds: number | undefined): GraphHttpError =>
    new GraphHttpError(
      429,
      'TooManyRequests',
      'Please retry again later.',
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
      '429',
    ),
};

/** Authentication-methods workload style: lower-camel codes. */
export const methodErrors = {
  badRequest: (message: string): GraphHttpError => new GraphHttpError(400, 'badRequest', message),
  notFound: (): GraphHttpError => new GraphHttpError(404, 'itemNotFound', 'The requested authentication method was not found for this user.'),
};

/** Graph writes innerError.date without fractional seconds or zone: "2025-02-13T10:17:06". */
export function innerErrorDate(now: Date): string {
  return now.toISOString().slice(0, 19);
}

export interface ErrorMeta {
  readonly now: Date;
  readonly requestId: string;
  readonly clientRequestId: string;
}

export function errorBody(code: string, message: string, meta: ErrorMeta, innerCode?: string): JsonObject {
  const innerError: JsonObject = { date: innerErrorDate(meta.now), 'request-id': meta.requestId, 'client-request-id': meta.clientRequestId };
  if (innerCode !== undefined) innerError.code = innerCode;
  return { error: { code, message, innerError } };
}
