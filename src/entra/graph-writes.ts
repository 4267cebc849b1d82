import { GraphError, ResponseType, type GraphRequest as SdkRequest } from '@microsoft/microsoft-graph-client';
import type { WriteResult } from '../ports/directory';
import { requestIdOf } from './graph-errors';

/** What a write answered: its status, the JSON body if any, and Graph's `request-id` for the record. */
export interface WriteAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly requestId?: string;
}

/**
 * Sends a write through the same client (auth, retry policy, telemetry) and keeps the `request-id` response header,
 * which the SDK's parsed responses drop. A non-2xx answer throws a GraphError shaped like the SDK's own (status,
 * code, request id, headers), so `toDirectoryError` and `isNotFound` treat reads and writes alike. The request body
 * is never copied into the error: it may hold a password.
 */
export async function sendWrite(request: SdkRequest, method: 'POST' | 'PATCH' | 'DELETE', body?: object): Promise<WriteAnswer> {
  const raw = request.responseType(ResponseType.RAW);
  const response = (await (method === 'POST' ? raw.post(body) : method === 'PATCH' ? raw.patch(body) : raw.delete())) as Response;
  const parsed = await readJson(response);
  const requestId = response.headers.get('request-id') ?? innerRequestId(parsed);
  if (response.ok) return { status: response.status, body: parsed, ...(requestId ? { requestId } : {}) };
  throw graphErrorOf(response, parsed, requestId);
}

/** A write that changed the directory, recorded by its request id. */
export function done(answer: WriteAnswer): WriteResult {
  return { requestIds: answer.requestId ? [answer.requestId] : [], alreadyDone: false };
}

/** A write that found its work already done (a 404, a conflict): the failed request's id is the record. */
export function alreadyDone(error: unknown): WriteResult {
  const requestId = requestIdOf(error);
  return { requestIds: requestId ? [requestId] : [], alreadyDone: true };
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } };
}

function innerRequestId(body: unknown): string | undefined {
  const id = (body as ErrorBody | undefined)?.error?.innerError?.['request-id'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function graphErrorOf(response: Response, body: unknown, requestId: string | undefined): GraphError {
  const detail = (body as ErrorBody | undefined)?.error;
  const error = new GraphError(response.status, typeof detail?.message === 'string' ? detail.message : `HTTP ${response.status}`);
  error.code = typeof detail?.code === 'string' ? detail.code : null;
  error.requestId = requestId ?? null;
  error.headers = response.headers;
  error.date = new Date();
  return error;
}
