import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../http-types';
import type { TenantState } from '../tenant-state';
import { GRAPH_AUDIENCE, TOKEN_LIFETIME_SECONDS, VERIFIED_ID_AUDIENCE, type AppTokenSigner } from './app-token';

/**
 * The Microsoft identity platform's token endpoint for the client credentials grant, as far as an app-only daemon
 * uses it: `POST /{tenant}/oauth2/v2.0/token` with a form body `grant_type=client_credentials`, `client_id`,
 * `client_secret` and `scope=https://graph.microsoft.com/.default`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). The answer is
 * `{token_type, expires_in, ext_expires_in, access_token}`; an error is `{error, error_description, error_codes,
 * timestamp, trace_id, correlation_id, error_uri}` with the AADSTS code Entra gives for that mistake
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export interface TokenRequest {
  readonly tenant: string;
  readonly method: string;
  /** The form fields; undefined when the body was not application/x-www-form-urlencoded. */
  readonly form: Readonly<Record<string, string>> | undefined;
}

interface StsError {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly description: string;
}

/** Entra writes timestamps in error bodies as "2023-06-11 13:40:19Z". */
function stsTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function stsError(e: StsError, now: Date): SimResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = stsTimestamp(now);
  return {
    status: e.status,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
    body: {
      error: e.error,
      error_description: `AADSTS${e.code}: ${e.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [e.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
    },
  };
}

const missing = (parameter: string): StsError => ({
  status: 400,
  error: 'invalid_request',
  code: 900144,
  description: `The request body must contain the following parameter: '${parameter}'.`,
});

/** What is wrong with the request, checked in the order Entra reports it; undefined when a token may be issued. */
function problemOf(tenant: TenantState, req: TokenRequest): StsError | undefined {
  const key = req.tenant.toLowerCase();
  if (key !== tenant.tenant.id.toLowerCase() && key !== tenant.tenant.verifiedDomain.toLowerCase()) {
    return {
      status: 400,
      error: 'invalid_request',
      code: 90002,
      description: `Tenant '${req.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    };
  }
  if (req.method !== 'POST')
    return { status: 400, error: 'invalid_request', code: 900561, description: 'The endpoint only accepts POST requests. Received a GET request.' };
  const form = req.form ?? {};
  const grantType = form['grant_type'];
  if (grantType === undefined) return missing('grant_type');
  if (grantType !== 'client_credentials') {
    return { status: 400, error: 'unsupported_grant_type', code: 70003, description: 'The app requested an unsupported grant type.' };
  }
  const clientId = form['client_id'];
  if (clientId === undefined) return missing('client_id');
  if (clientId.toLowerCase() !== tenant.callerApp.appId.toLowerCase()) {
    return {
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
      description: `Application with identifier '${clientId}' was not found in the directory '${tenant.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    };
  }
  const secret = form['client_secret'];
  if (secret === undefined) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000218,
      description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    };
  }
  if (secret !== tenant.callerApp.clientSecret) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${tenant.callerApp.appId}'.`,
    };
  }
  const scope = form['scope'];
  if (scope === undefined) return missing('scope');
  if (audienceOf(scope) === undefined) {
    return {
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  return undefined;
}

/**
 * The resource a `.default` scope names: Graph, or the Verified ID Request Service (its app id, spec §1.1); undefined
 * for anything else this tenant does not serve.
 */
function audienceOf(scope: string): string | undefined {
  const normalised = scope.replace(/\/+\.default$/, '/.default');
  if (normalised === `${GRAPH_AUDIENCE}/.default`) return GRAPH_AUDIENCE;
  if (normalised.toLowerCase() === `${VERIFIED_ID_AUDIENCE}/.default`) return VERIFIED_ID_AUDIENCE;
  return undefined;
}

/** The directory role templates the app's service principal holds: the token's `wids`. */
function roleTemplatesOf(tenant: TenantState): string[] {
  const sp = tenant.callerApp.servicePrincipalId.toLowerCase();
  return [...new Set(tenant.roleAssignments.filter((a) => a.principalId.toLowerCase() === sp).map((a) => a.roleDefinitionId))];
}

/**
 * Issues an app token whose `roles` are the permissions granted to the app now. A grant changed later does not reach
 * tokens already issued: as in Entra, the app must ask for a new token.
 */
export function answerTokenRequest(tenant: TenantState, signer: AppTokenSigner, req: TokenRequest, now: Date): SimResponse {
  const problem = problemOf(tenant, req);
  if (problem) return stsError(problem, now);
  const app = tenant.callerApp;
  const audience = audienceOf(req.form?.['scope'] ?? '') ?? GRAPH_AUDIENCE;
  const forGraph = audience === GRAPH_AUDIENCE;
  // Roles are the permissions granted on the resource the token is for; directory roles (`wids`) only ride on Graph's.
  const { token } = signer.issue(
    { tenantId: tenant.tenant.id, appId: app.appId, displayName: app.displayName, servicePrincipalId: app.servicePrincipalId },
    forGraph ? app.grantedPermissions : app.verifiedIdPermissions,
    forGraph ? roleTemplatesOf(tenant) : [],
    now,
    audience,
  );
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
    body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: token },
  };
}
