import { GraphError } from '@microsoft/microsoft-graph-client';
import { ErrorCode } from '../domain/errors';
import { DirectoryError, type DirectoryFailure } from '../ports/directory';
import { failedRequestOf, noteFailedAnswer } from './failed-request';
import { UnregisteredGraphRequestError } from './graph-request-match';
import type { GraphRequestSpec } from './graph-request-types';
import { requestsOf, type GraphOperation } from './graph-requests';
import { retryAfterFrom } from '../resilience';

export function statusOf(error: unknown): number | undefined {
  return error instanceof GraphError ? error.statusCode : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** The failed request's Graph request id, when Graph gave one. */
export function requestIdOf(error: unknown): string | undefined {
  return error instanceof GraphError ? (error.requestId ?? undefined) : undefined;
}

/** The Graph error code (`Request_BadRequest`, `badRequest`, ...), when the error came from Graph. */
export function codeOf(error: unknown): string | undefined {
  return error instanceof GraphError ? (error.code ?? undefined) : undefined;
}

export { GRAPH_OPERATIONS, type GraphOperation } from './graph-requests';

/** What a Graph failure means for the person in the thread; each kind has one stable code and one kind of advice. */
type Kind =
  | 'permission'
  | 'license'
  | 'token'
  | 'notFound'
  | 'conflict'
  | 'throttled'
  | 'unavailable'
  | 'timeout'
  | 'unreachable'
  | 'badRequest'
  | 'tapPolicy'
  | 'passwordPolicy';

const KINDS: Record<Kind, { failure: DirectoryFailure; code: ErrorCode }> = {
  permission: { failure: 'denied', code: ErrorCode.DirectoryDenied },
  license: { failure: 'denied', code: ErrorCode.DirectoryLicenseMissing },
  token: { failure: 'denied', code: ErrorCode.DirectoryAuthFailed },
  notFound: { failure: 'notFound', code: ErrorCode.DirectoryNotFound },
  conflict: { failure: 'unavailable', code: ErrorCode.DirectoryConflict },
  throttled: { failure: 'throttled', code: ErrorCode.DirectoryThrottled },
  unavailable: { failure: 'unavailable', code: ErrorCode.DirectoryUnavailable },
  timeout: { failure: 'unavailable', code: ErrorCode.DirectoryTimeout },
  unreachable: { failure: 'unavailable', code: ErrorCode.DirectoryUnreachable },
  badRequest: { failure: 'badRequest', code: ErrorCode.DirectoryBadRequest },
  tapPolicy: { failure: 'badRequest', code: ErrorCode.DirectoryTapPolicy },
  passwordPolicy: { failure: 'badRequest', code: ErrorCode.DirectoryPasswordPolicy },
};

/** Graph's codes (directory `Request_*`, authentication-methods lower camel, gateway) and the client's own, by kind. */
const BY_GRAPH_CODE: Readonly<Record<string, Kind>> = {
  authorization_requestdenied: 'permission',
  accessdenied: 'permission',
  forbidden: 'permission',
  authentication_requestfromnonpremiumtenantorb2ctenant: 'license',
  // PIM's own answer without Entra ID P2: "The tenant needs an AAD Premium 2 license." (microsoft/EntraExporter#61 for
  // privilegedAccess; JulianHayward/Azure-MG-Sub-Governance-Reporting#114 shows the code, AadPremiumLicenseRequired).
  aadpremiumlicenserequired: 'license',
  invalidauthenticationtoken: 'token',
  authentication_expiredtoken: 'token',
  authentication_missingormalformed: 'token',
  unauthenticated: 'token',
  request_resourcenotfound: 'notFound',
  resourcenotfound: 'notFound',
  itemnotfound: 'notFound',
  directory_concurrencyviolation: 'conflict',
  toomanyrequests: 'throttled',
  activitylimitreached: 'throttled',
  servicenotavailable: 'unavailable',
  generalexception: 'unavailable',
  badgateway: 'unavailable',
  gatewaytimeout: 'timeout',
  clienttimeout: 'timeout',
  clientconnectionfailed: 'unreachable',
  request_badrequest: 'badRequest',
  badrequest: 'badRequest',
  invalidrequest: 'badRequest',
  request_unsupportedquery: 'badRequest',
};

/** The failure and code of an HTTP status alone (a `$batch` inner answer): the same table as a single request's. */
export function failureByStatus(status: number): { failure: DirectoryFailure; code: ErrorCode } {
  return KINDS[kindByStatus(status)];
}

function kindByStatus(status: number): Kind {
  if (status <= 0) return 'unreachable';
  if (status === 401) return 'token';
  if (status === 403) return 'permission';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'badRequest';
}

/** "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass]." */
const TAP_POLICY = /UserCredentialPolicy|policy does not allow|not enabled for (this|the) user|LifetimeInMinutes/i;
/** "The specified password does not comply with password complexity requirements." */
const PASSWORD_POLICY = /password/i;

function kindOf(error: GraphError, operation: GraphOperation): Kind {
  const byCode = BY_GRAPH_CODE[(error.code ?? '').toLowerCase()];
  const kind = byCode ?? kindByStatus(error.statusCode);
  if ((kind === 'badRequest' || kind === 'permission') && operation === 'create Temporary Access Pass' && TAP_POLICY.test(error.message)) return 'tapPolicy';
  if (kind === 'badRequest' && (operation === 'set password' || operation === 'create user') && PASSWORD_POLICY.test(error.message)) return 'passwordPolicy';
  return kind;
}

/** "application permission X", or "application permissions X and Y" when both are needed. */
export function permissionPhrase(permissions: readonly string[]): string {
  return `${permissions.length > 1 ? 'application permissions' : 'application permission'} ${permissions.join(' and ')}`;
}

/**
 * What a refused request needs, from the registry: the entry of the request that failed when the error came from its
 * answer, else every request the operation makes (their permissions, each once, all needed).
 */
export function needsOf(error: unknown, operation: GraphOperation): { permissions: readonly string[]; role?: string } {
  const failed = failedRequestOf(error);
  const requests: readonly GraphRequestSpec[] = failed ? [failed] : requestsOf(operation);
  const role = requests.find((r) => r.directoryRole)?.directoryRole;
  return { permissions: [...new Set(requests.flatMap((r) => r.permissions))], ...(role ? { role } : {}) };
}

/** The advice an admin can act on: which permission or role, which setting, or when to try again. Fixed text only. */
function adviceFor(kind: Kind, operation: GraphOperation, retryAfterSeconds: number | undefined, error?: unknown): string {
  switch (kind) {
    case 'permission': {
      const needs = needsOf(error, operation);
      return `Microsoft Graph refused to let the bot ${operation}: its app registration needs the ${permissionPhrase(needs.permissions)} with admin consent (Entra admin center > App registrations > API permissions)${needs.role ? `; ${needs.role}` : ''}.`;
    }
    case 'license':
      return `Microsoft Graph says this tenant has no Microsoft Entra ID P1 or P2 licence, which is needed to ${operation}. This part of the record cannot be read.`;
    case 'token':
      return 'Microsoft Graph did not accept the bot\u2019s credentials. Check GRAPH_CLIENT_ID, GRAPH_TENANT_ID and the client secret or certificate (expired?), then restart the bot.';
    case 'notFound':
      return `Microsoft Graph could not find the object to ${operation}; it may have been deleted or restored meanwhile.`;
    case 'conflict':
      return 'Another change to this user is still being applied in Entra. Wait a minute, then try again.';
    case 'throttled':
      return `Microsoft Graph is throttling the bot${retryAfterSeconds ? ` and asked it to wait ${retryAfterSeconds} s` : ''}. Wait${retryAfterSeconds ? ' that long' : ' a minute'}, then try again.`;
    case 'unavailable':
      return 'Microsoft Graph is temporarily unavailable. Try again in a few minutes; if it persists, check Microsoft 365 service health.';
    case 'timeout':
      return 'Microsoft Graph did not answer in time. Try again in a few minutes.';
    case 'unreachable':
      return 'The bot could not reach Microsoft Graph: the connection failed. Try again; if it persists, check the bot host\u2019s network, DNS and proxy.';
    case 'badRequest':
      return `Microsoft Graph rejected the request to ${operation} as invalid.`;
    case 'tapPolicy':
      return 'The tenant\u2019s authentication methods policy does not allow a Temporary Access Pass here (disabled, the user is not in its target groups, or the lifetime is outside its range). An Authentication Policy Administrator can change it under Entra admin center > Protection > Authentication methods > Temporary Access Pass.';
    case 'passwordPolicy':
      return 'Microsoft Graph refused the password: it does not meet the tenant\u2019s password rules. Generate another one and try again.';
  }
}

/** Whole seconds Graph asked to wait (its Retry-After, seconds or an HTTP date, read by the resilience module), for the advice. */
function retryAfterOf(error: GraphError): number | undefined {
  const ms = retryAfterFrom(error.headers ?? undefined, Date.now());
  return ms !== undefined && ms > 0 ? Math.ceil(ms / 1000) : undefined;
}

/**
 * Turns whatever the Graph client threw into a DirectoryError with a stable code and a message an admin can act on
 * (the permission or role the operation needs, the setting to change, or when to try again), safe to show in a
 * channel: fixed texts, never the Graph message or body. The Graph error code and the request id are kept for
 * support. `messages` replaces the advice for an operation whose failures need their own (a TAP whose creation is
 * unconfirmed); those texts must be fixed strings, never built from request data. A permission, credential or
 * policy problem always gets its own advice: a permission problem names the permissions the registry gives for the
 * request that failed (graph-requests.ts). An UnregisteredGraphRequestError is thrown on, not mapped.
 */
export function toDirectoryError(error: unknown, operation: GraphOperation, messages: Partial<Record<DirectoryFailure, string>> = {}): DirectoryError {
  if (error instanceof DirectoryError) return error;
  // A request the registry does not hold is a bug in the bot: it goes on as it is, never as "Graph unavailable".
  if (error instanceof UnregisteredGraphRequestError) throw error;
  if (error instanceof GraphError) {
    const kind = kindOf(error, operation);
    const { failure, code } = KINDS[kind];
    const retryAfter = retryAfterOf(error);
    const specific = kind === 'permission' || kind === 'token' || kind === 'license' || kind === 'tapPolicy' || kind === 'passwordPolicy';
    const advice = (!specific ? messages[failure] : undefined) ?? adviceFor(kind, operation, retryAfter, error);
    const status = error.statusCode > 0 ? `HTTP ${error.statusCode}${error.code ? ` ${error.code}` : ''}` : `no answer${error.code ? `, ${error.code}` : ''}`;
    return new DirectoryError(failure, `${advice} (${operation}: ${status})`, error.requestId ?? undefined, retryAfter, code);
  }
  return new DirectoryError(
    'unavailable',
    `${messages.unavailable ?? adviceFor('unavailable', operation, undefined)} (${operation}: ${error instanceof Error ? error.name : 'unknown error'})`,
  );
}

/**
 * The DirectoryError for a request inside a `$batch` that Graph refused with 401/403: mapped like a single request's,
 * from a GraphError noted with the request's registry entry, so the advice names that request's permissions.
 */
export function deniedInBatch(
  answer: { status: number; body?: unknown; requestId?: string },
  operation: GraphOperation,
  spec: GraphRequestSpec | undefined,
): DirectoryError {
  const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const error = new GraphError(answer.status, `HTTP ${answer.status}`);
  error.code = typeof code === 'string' ? code : null;
  error.requestId = answer.requestId ?? null;
  error.headers = new Headers();
  if (spec) noteFailedAnswer(error.headers, spec);
  return toDirectoryError(error, operation);
}
