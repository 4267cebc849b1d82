import { fail, type Failure } from '../domain/errors';
import { DirectoryError } from '../ports/directory';
import type { Logger } from '../ports/logger';

/** What the log says of a directory failure: its stable code, Graph's request id and the message (never a body). */
export function directoryErrorFields(e: DirectoryError): { code: string; requestId: string | undefined; detail: string } {
  return { code: e.code, requestId: e.requestId, detail: e.message };
}

/**
 * Runs a directory-backed action; a DirectoryError becomes a Failure people can act on, anything else propagates.
 * Reads (the default) changed nothing and say so; a write whose answer was lost (`mayHaveChanged`) must not.
 */
export async function withDirectory<T>(
  logger: Logger,
  what: string,
  action: () => Promise<T>,
  options: { mayHaveChanged: boolean } = { mayHaveChanged: false },
): Promise<T | Failure> {
  try {
    return await action();
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    logger.warn(`directory call failed: ${what}`, { failure: e.failure, ...directoryErrorFields(e) });
    return fail(e.code, `${e.message}${e.requestId ? ` Graph request id: ${e.requestId}.` : ''}${options.mayHaveChanged ? '' : ' Nothing was changed.'}`);
  }
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false && typeof (value as { code?: unknown }).code === 'string';
}
