import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../http-types';

/**
 * `error.code` by HTTP status, as the Request Service names them (https://learn.microsoft.com/entra/verified-id/error-codes,
 * shared/spec/verified-id.md §1.3).
 */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  429: 'tooManyRequests',
  500: 'internalServerError',
  503: 'serviceUnavailable',
};

/** The message the service gives with each `error.code` (only `badRequest`'s is quoted by the spec; the others are plain wording). */
const MESSAGE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'The request is invalid.',
  401: 'The request is not authorized.',
  403: 'The request is forbidden.',
  404: 'The requested resource was not found.',
  405: 'The HTTP method is not allowed.',
  429: 'Too many requests. Retry later.',
  500: 'An internal server error occurred.',
  503: 'The service is unavailable. Retry later.',
};

/** A refusal of the simulated Request Service; its body is §1.3's `{ requestId, date, mscv, error: { code, message, innererror } }`. */
export class RequestServiceError extends Error {
  constructor(
    readonly status: number,
    readonly innerCode: string,
    readonly innerMessage: string,
    readonly target?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(innerMessage);
    this.name = 'RequestServiceError';
  }
}

/** A field that is missing or wrong: 400 badRequest / badOrMissingField naming it in `target`. */
export function badField(target: string, message: string): RequestServiceError {
  return new RequestServiceError(400, 'badOrMissingField', message, target);
}

/** The answer to a refusal. `mscv` is Microsoft's correlation vector: random here. */
export function serviceErrorResponse(error: RequestServiceError, now: Date): SimResponse {
  const innererror: Record<string, string> = { code: error.innerCode, message: error.innerMessage };
  if (error.target !== undefined) innererror.target = error.target;
  return {
    status: error.status,
    headers: error.headers,
    body: {
      requestId: randomUUID(),
      date: now.toUTCString(),
      mscv: randomUUID().replace(/-/g, '').slice(0, 22),
      error: { code: CODE_BY_STATUS[error.status] ?? 'internalServerError', message: MESSAGE_BY_STATUS[error.status] ?? 'The request failed.', innererror },
    },
  };
}
