import { GraphHttpError } from '../errors';
import type { Route, SimRequest } from '../http-types';
import { permissionsFor, requirementsFor, satisfies, type PermissionRequirement } from '../route-permissions';
import type { AppTokenClaims, AppTokenSigner, TokenProblem } from './app-token';

const WWW_AUTHENTICATE = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/**
 * Graph's 401 wording for each problem, as clients have seen it: "Access token is empty." (no token),
 * "CompactToken parsing failed with error code: 80049217" (not a JWT; microsoftgraph/android-java-meetingfeedback-rest-sample#11,
 * merrycodes/Office-E5#6), "Access token validation failure. Invalid audience." / "Access token validation failure."
 * (thephpleague/oauth2-client#796, microsoftgraph/console-java-connect-sample#1), "Access token has expired or is not
 * yet valid." (besscroft/diyfile#1).
 */
const UNAUTHENTICATED: Record<TokenProblem | 'empty', string> = {
  empty: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  signature: 'Access token validation failure.',
  audience: 'Access token validation failure. Invalid audience.',
  expired: 'Access token has expired or is not yet valid.',
};

function unauthenticated(problem: TokenProblem | 'empty'): GraphHttpError {
  return new GraphHttpError(401, 'InvalidAuthenticationToken', UNAUTHENTICATED[problem], WWW_AUTHENTICATE);
}

/** The bearer token's claims, or Graph's 401 when there is none or it is not one the simulated tenant issued and still honours. */
export function authenticate(headers: Readonly<Record<string, string>>, signer: AppTokenSigner, now: Date): AppTokenClaims {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
  if (!match?.[1]) throw unauthenticated('empty');
  const verified = signer.verify(match[1], now);
  if (!verified.ok) throw unauthenticated(verified.problem);
  return verified.claims;
}

function denied(requirement: PermissionRequirement, roles: ReadonlySet<string>): GraphHttpError {
  switch (requirement.denial) {
    case 'directory':
      return new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    case 'auditLog': {
      const least = requirement.anyOf[0] ?? [];
      const missing = least.filter((p) => !roles.has(p));
      return new GraphHttpError(
        403,
        'Authentication_MSGraphPermissionMissing',
        `Calling principal does not have required MSGraph permissions ${missing.join(',')}`,
      );
    }
    case 'authenticationMethods':
      return new GraphHttpError(403, 'accessDenied', 'Request Authorization failed');
    case 'conditionalAccess':
      return new GraphHttpError(403, 'AccessDenied', 'You cannot perform the requested operation, required scopes are missing in the token.');
    case 'privilegedAccess': {
      const scopes = requirement.anyOf.map((set) => set.join(',')).join(',');
      const message = JSON.stringify({
        errorCode: 'PermissionScopeNotGranted',
        message: `Authorization failed due to missing permission scope ${scopes}.`,
        instanceAnnotations: [],
      });
      return new GraphHttpError(403, 'UnknownError', message);
    }
    case 'mail':
      return new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
}

/**
 * Checks the token's `roles` against what the route requires for this request (route-permissions.ts) and answers
 * Graph's 403 when they fall short. A route without an entry is a simulator bug, not a permission question.
 */
export function authorize(claims: AppTokenClaims, route: Route, request: SimRequest): void {
  const entry = permissionsFor(route);
  if (!entry) throw new Error(`no permission entry for ${route.method} ${route.path} (src/simulator/route-permissions.ts)`);
  const roles = new Set(claims.roles);
  for (const requirement of requirementsFor(entry, request)) {
    if (!satisfies(roles, requirement.anyOf)) throw denied(requirement, roles);
  }
}
