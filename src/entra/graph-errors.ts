import { GraphError } from '@microsoft/microsoft-graph-client';
import { DirectoryError, type DirectoryFailure } from '../ports/directory';

export function statusOf(error: unknown): number | undefined {
  return error instanceof GraphError ? error.statusCode : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

function failureFor(status: number): DirectoryFailure {
  if (status === 401 || status === 403) return 'denied';
  if (status === 429) return 'throttled';
  if (status === 404) return 'notFound';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'unavailable';
}

const SAFE_MESSAGES: Record<DirectoryFailure, string> = {
  denied: 'Microsoft Graph refused the request: the bot is missing a permission or a directory role for this user.',
  throttled: 'Microsoft Graph is throttling the bot. Wait a minute and try again.',
  unavailable: 'Microsoft Graph did not answer. Try again in a few minutes.',
  notFound: 'Microsoft Graph could not find the object.',
  badRequest: 'Microsoft Graph rejected the request as invalid.',
};

/** The failed request's Graph request id, when Graph gave one. */
export function requestIdOf(error: unknown): string | undefined {
  return error instanceof GraphError ? (error.requestId ?? undefined) : undefined;
}

/** The Graph error code (`Request_BadRequest`, `badRequest`, ...), when the error came from Graph. */
export function codeOf(error: unknown): string | undefined {
  return error instanceof GraphError ? (error.code ?? undefined) : undefined;
}

/**
 * Turns whatever the Graph client threw into a DirectoryError with a message that is safe to show in a channel.
 * The Graph error code is kept for logs (it names no secret); the Graph message and body are not. `messages`
 * replaces the generic text for an operation whose failures need their own advice (a TAP whose creation is
 * unconfirmed, a password Graph refused); those texts must be fixed strings, never built from request data.
 */
export function toDirectoryError(error: unknown, operation: string, messages: Partial<Record<DirectoryFailure, string>> = {}): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : 503;
    const failure = failureFor(status);
    const retryAfter = Number(error.headers?.get('Retry-After'));
    return new DirectoryError(
      failure,
      `${messages[failure] ?? SAFE_MESSAGES[failure]} (${operation}: HTTP ${status}${error.code ? ` ${error.code}` : ''})`,
      error.requestId ?? undefined,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return new DirectoryError('unavailable', `${messages.unavailable ?? SAFE_MESSAGES.unavailable} (${operation}: ${error instanceof Error ? error.name : 'unknown error'})`);
}
