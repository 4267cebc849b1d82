import { GraphError } from '@microsoft/microsoft-graph-client';
import { failureByStatus, GRAPH_OPERATIONS, toDirectoryError, type GraphOperation } from '../../src/entra/graph-errors';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { directoryErrorOf, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

/** A GraphError as the SDK builds it from Graph's answer (or, with status -1, from the client's own failure). */
function graphError(status: number, code: string, options: { message?: string; retryAfter?: string } = {}): GraphError {
  const error = new GraphError(status, options.message ?? 'Graph body text that must not be shown: Lee Gu, 185.220.101.47');
  error.code = code;
  error.requestId = 'a1b2c3d4-0000-4000-8000-000000000001';
  error.headers = new Headers(options.retryAfter ? { 'Retry-After': options.retryAfter } : {});
  return error;
}

const CONSENT = 'with admin consent (Entra admin center > App registrations > API permissions)';

describe('what an admin sees for each mapped Graph error', () => {
  it.each<[number, string, GraphOperation, string, string, { message?: string; retryAfter?: string }?]>([
    [
      403,
      'Authorization_RequestDenied',
      'delete authentication method',
      'DIRECTORY.DENIED',
      `Microsoft Graph refused to let the bot delete authentication method: its app registration needs the application permission UserAuthenticationMethod.ReadWrite.All ${CONSENT}; for a user holding an admin role the app also needs the Privileged Authentication Administrator role. (delete authentication method: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'accessDenied',
      'create Temporary Access Pass',
      'DIRECTORY.DENIED',
      `Microsoft Graph refused to let the bot create Temporary Access Pass: its app registration needs the application permission UserAuthenticationMethod.ReadWrite.All ${CONSENT}; for a user holding an admin role the app also needs the Privileged Authentication Administrator role. (create Temporary Access Pass: HTTP 403 accessDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'set password',
      'DIRECTORY.DENIED',
      `Microsoft Graph refused to let the bot set password: its app registration needs the application permission User-PasswordProfile.ReadWrite.All ${CONSENT}; the app also needs a directory role that may reset this user\u2019s password: User Administrator, or Privileged Authentication Administrator for a user holding an admin role. (set password: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'read audit log',
      'DIRECTORY.DENIED',
      // List directoryAudits: least privileged AuditLog.Read.All and Directory.Read.All (docs-contrib v1.0 includes/permissions/directoryaudit-list-permissions.md).
      `Microsoft Graph refused to let the bot read audit log: its app registration needs the application permissions AuditLog.Read.All and Directory.Read.All ${CONSENT}. (read audit log: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'search audit log for deleted users',
      'DIRECTORY.DENIED',
      `Microsoft Graph refused to let the bot search audit log for deleted users: its app registration needs the application permissions AuditLog.Read.All and Directory.Read.All ${CONSENT}. (search audit log for deleted users: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'read sign-ins',
      'DIRECTORY.DENIED',
      // List signIns: least privileged AuditLog.Read.All alone (docs-contrib v1.0 includes/permissions/signin-list-permissions.md).
      `Microsoft Graph refused to let the bot read sign-ins: its app registration needs the application permission AuditLog.Read.All ${CONSENT}. (read sign-ins: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'revoke sessions',
      'DIRECTORY.DENIED',
      // revokeSignInSessions: application least privileged User.RevokeSessions.All, no higher one listed (docs-contrib v1.0 includes/permissions/user-revokesigninsessions-permissions.md).
      `Microsoft Graph refused to let the bot revoke sessions: its app registration needs the application permission User.RevokeSessions.All ${CONSENT}. (revoke sessions: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'read Temporary Access Pass policy',
      'DIRECTORY.DENIED',
      // Get temporaryAccessPassAuthenticationMethodConfiguration: least privileged Policy.Read.AuthenticationMethod; Policy.Read.All is not listed.
      `Microsoft Graph refused to let the bot read Temporary Access Pass policy: its app registration needs the application permission Policy.Read.AuthenticationMethod ${CONSENT}. (read Temporary Access Pass policy: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authorization_RequestDenied',
      'restore user',
      'DIRECTORY.DENIED',
      `Microsoft Graph refused to let the bot restore user: its app registration needs the application permission User.DeleteRestore.All ${CONSENT}; a user holding an admin role can be restored only by an app with a directory role that may manage it (Privileged Authentication Administrator or Global Administrator). (restore user: HTTP 403 Authorization_RequestDenied)`,
    ],
    [
      403,
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      'read sign-ins',
      'DIRECTORY.LICENSE_MISSING',
      'Microsoft Graph says this tenant has no Microsoft Entra ID P1 or P2 licence, which is needed to read sign-ins. This part of the record cannot be read. (read sign-ins: HTTP 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant)',
    ],
    [
      401,
      'InvalidAuthenticationToken',
      'read user',
      'DIRECTORY.AUTH_FAILED',
      'Microsoft Graph did not accept the bot\u2019s credentials. Check GRAPH_CLIENT_ID, GRAPH_TENANT_ID and the client secret or certificate (expired?), then restart the bot. (read user: HTTP 401 InvalidAuthenticationToken)',
    ],
    [
      404,
      'Request_ResourceNotFound',
      'read user',
      'DIRECTORY.NOT_FOUND',
      'Microsoft Graph could not find the object to read user; it may have been deleted or restored meanwhile. (read user: HTTP 404 Request_ResourceNotFound)',
    ],
    [
      400,
      'Request_BadRequest',
      'create user',
      'DIRECTORY.BAD_REQUEST',
      'Microsoft Graph rejected the request to create user as invalid. (create user: HTTP 400 Request_BadRequest)',
    ],
    [
      409,
      'Directory_ConcurrencyViolation',
      'revoke sessions',
      'DIRECTORY.CONFLICT',
      'Another change to this user is still being applied in Entra. Wait a minute, then try again. (revoke sessions: HTTP 409 Directory_ConcurrencyViolation)',
    ],
    [
      429,
      'TooManyRequests',
      'read audit log',
      'DIRECTORY.THROTTLED',
      'Microsoft Graph is throttling the bot and asked it to wait 7 s. Wait that long, then try again. (read audit log: HTTP 429 TooManyRequests)',
      { retryAfter: '7' },
    ],
    [
      429,
      'activityLimitReached',
      'list authentication methods',
      'DIRECTORY.THROTTLED',
      'Microsoft Graph is throttling the bot. Wait a minute, then try again. (list authentication methods: HTTP 429 activityLimitReached)',
    ],
    [
      503,
      'serviceNotAvailable',
      'restore user',
      'DIRECTORY.UNAVAILABLE',
      'Microsoft Graph is temporarily unavailable. Try again in a few minutes; if it persists, check Microsoft 365 service health. (restore user: HTTP 503 serviceNotAvailable)',
    ],
    [
      500,
      'generalException',
      'list group members',
      'DIRECTORY.UNAVAILABLE',
      'Microsoft Graph is temporarily unavailable. Try again in a few minutes; if it persists, check Microsoft 365 service health. (list group members: HTTP 500 generalException)',
    ],
    [
      504,
      'gatewayTimeout',
      'list directory roles',
      'DIRECTORY.TIMEOUT',
      'Microsoft Graph did not answer in time. Try again in a few minutes. (list directory roles: HTTP 504 gatewayTimeout)',
    ],
    [
      -1,
      'ClientTimeout',
      'list authentication methods',
      'DIRECTORY.TIMEOUT',
      'Microsoft Graph did not answer in time. Try again in a few minutes. (list authentication methods: no answer, ClientTimeout)',
    ],
    [
      -1,
      'ClientConnectionFailed',
      'check group membership',
      'DIRECTORY.UNREACHABLE',
      'The bot could not reach Microsoft Graph: the connection failed. Try again; if it persists, check the bot host\u2019s network, DNS and proxy. (check group membership: no answer, ClientConnectionFailed)',
    ],
    [
      400,
      'badRequest',
      'create Temporary Access Pass',
      'DIRECTORY.TAP_POLICY',
      'The tenant\u2019s authentication methods policy does not allow a Temporary Access Pass here (disabled, the user is not in its target groups, or the lifetime is outside its range). An Authentication Policy Administrator can change it under Entra admin center > Protection > Authentication methods > Temporary Access Pass. (create Temporary Access Pass: HTTP 400 badRequest)',
      { message: 'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].' },
    ],
    [
      400,
      'Request_BadRequest',
      'set password',
      'DIRECTORY.PASSWORD_POLICY',
      'Microsoft Graph refused the password: it does not meet the tenant\u2019s password rules. Generate another one and try again. (set password: HTTP 400 Request_BadRequest)',
      { message: 'The specified password does not comply with password complexity requirements. Please provide a different password.' },
    ],
  ])('HTTP %i %s on "%s" → %s', (...[status, code, operation, stableCode, message, options]) => {
    const error = toDirectoryError(graphError(status, code, options), operation);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.code).toBe(stableCode);
    expect(error.message).toBe(message);
    expect(error.requestId).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(error.message).not.toMatch(/Lee Gu|185\.220/);
  });

  it('maps an unknown code by its status, and names a permission for every operation', () => {
    expect(toDirectoryError(graphError(403, 'SomethingNew'), 'list authentication methods')).toMatchObject({ code: 'DIRECTORY.DENIED', failure: 'denied' });
    expect(toDirectoryError(graphError(502, ''), 'read user')).toMatchObject({ code: 'DIRECTORY.UNAVAILABLE', failure: 'unavailable' });
    expect(toDirectoryError(graphError(418, 'Teapot'), 'read user')).toMatchObject({ code: 'DIRECTORY.BAD_REQUEST', failure: 'badRequest' });
    for (const operation of GRAPH_OPERATIONS) {
      expect(toDirectoryError(graphError(403, 'Authorization_RequestDenied'), operation).message).toMatch(
        /application permissions? [\w.-]+\.(All|Directory|AuthenticationMethod|Send)\b/,
      );
    }
  });

  it('keeps an operation\u2019s own advice for transient failures, never for a permission problem', () => {
    const messages = { unavailable: 'Check the methods before issuing another pass.', denied: 'never used' };
    expect(toDirectoryError(graphError(503, 'serviceNotAvailable'), 'create Temporary Access Pass', messages).message).toMatch(
      /^Check the methods before issuing another pass\. \(/,
    );
    expect(toDirectoryError(graphError(403, 'accessDenied'), 'create Temporary Access Pass', messages).message).toMatch(
      /UserAuthenticationMethod\.ReadWrite\.All/,
    );
  });
});

describe('Graph errors through the real client and the simulated tenant', () => {
  let t: SimulatedDirectory;
  beforeAll(async () => {
    t = await simulatedDirectory();
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => t.sim.faults.clear());

  it('names the permission when Graph denies a method delete, keeps the request id, and changes nothing', async () => {
    const before = t.sim.tenant.methods.get(USERS.lee.id)?.length;
    t.sim.faults.add({ method: 'DELETE', path: /emailMethods/, kind: 'error', status: 403, code: 'Authorization_RequestDenied' });
    // Lee has an email method (and no FIDO2 key: a DELETE of fido2Methods/ without an id is refused before sending).
    const method = t.sim.tenant.methods.get(USERS.lee.id)?.find((m) => m.type === 'email');
    expect(method?.id).toBeDefined();
    const error = await directoryErrorOf(
      t.directory.deleteMethod({ method: 'DELETE', version: 'v1.0', path: `/users/${USERS.lee.id}/authentication/emailMethods/${method?.id ?? ''}` }),
    );
    expect(error).toMatchObject({ code: 'DIRECTORY.DENIED', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(error.message).toMatch(/UserAuthenticationMethod\.ReadWrite\.All.*Privileged Authentication Administrator/);
    expect(t.sim.tenant.methods.get(USERS.lee.id)?.length).toBe(before);
  });

  it('names the permissions of the request that was refused, not of every request of the operation', async () => {
    // restore user: the restore answers 404, then the read of the active user is refused. The advice names what that read
    // needs (User.Read.All), not the restore's User.DeleteRestore.All.
    t.sim.faults.add({ method: 'POST', path: /\/restore$/, kind: 'error', status: 404, code: 'Request_ResourceNotFound' });
    t.sim.faults.add({ method: 'GET', path: /\/users\/[^/]+$/, kind: 'error', status: 403, code: 'Authorization_RequestDenied' });
    const error = await directoryErrorOf(t.directory.restoreUser(USERS.diego.id));
    expect(error.code).toBe('DIRECTORY.DENIED');
    expect(error.message).toMatch(
      /^Microsoft Graph refused to let the bot restore user: its app registration needs the application permission User\.Read\.All with admin consent/,
    );
  });

  it('names the permission of a request refused inside a $batch (the methods, the registration report)', async () => {
    t.sim.faults.add({ method: 'GET', path: /\/authentication\/methods$/, kind: 'error', status: 403, code: 'Authorization_RequestDenied' });
    const methods = await directoryErrorOf(t.directory.methodsAndDetails(USERS.lee.id));
    expect(methods).toMatchObject({ code: 'DIRECTORY.DENIED', failure: 'denied' });
    expect(methods.message).toMatch(/needs the application permission UserAuthenticationMethod\.Read\.All with admin consent/);
    t.sim.faults.clear();
    t.sim.faults.add({ method: 'GET', path: /userRegistrationDetails\/[^/]+$/, kind: 'error', status: 403, code: 'Authorization_RequestDenied' });
    const details = await directoryErrorOf(t.directory.methodsAndDetails(USERS.lee.id));
    expect(details.message).toMatch(
      /refused to let the bot read registration details: .*needs the application permission AuditLog\.Read\.All with admin consent/,
    );
  });

  it('reports a connection that keeps being reset as DIRECTORY.UNREACHABLE after the retries', async () => {
    t.sim.faults.add({ path: /\/authentication\/methods$/, kind: 'reset' });
    const error = await directoryErrorOf(t.directory.listMethods(USERS.lee.id));
    expect(error).toMatchObject({ code: 'DIRECTORY.UNREACHABLE', failure: 'unavailable' });
  });

  it('repeats a password PATCH whose answer was lost with the same body, and after the last says the password may be set but unseen', async () => {
    // The first attempt and the client's two repeats (simulatedDirectory: maxRetries 2), then one more fault left over.
    t.sim.faults.add({ method: 'PATCH', path: /\/users\/[^/]+$/, kind: 'reset', times: 4 });
    const error = await directoryErrorOf(t.directory.setPassword(USERS.lee.id, 'Correct-Horse-Battery-9', true));
    expect(error).toMatchObject({ code: 'DIRECTORY.UNREACHABLE', failure: 'unavailable' });
    expect(error.message).toBe(
      'Microsoft Graph did not confirm the new password, also after repeating the same request. It may have been set anyway, but nobody has seen it: Retry sets and shows another one. (set password: no answer, ClientConnectionFailed)',
    );
    expect(error.message).not.toContain('Correct-Horse');
    expect(t.sim.faults.list()).toEqual([expect.objectContaining({ kind: 'reset', remaining: 1 })]);
  });
});

describe('one status table for single requests and $batch answers (issue 16)', () => {
  it.each([
    [401, 'DIRECTORY.AUTH_FAILED'],
    [403, 'DIRECTORY.DENIED'],
    [404, 'DIRECTORY.NOT_FOUND'],
    [409, 'DIRECTORY.CONFLICT'],
    [429, 'DIRECTORY.THROTTLED'],
    [400, 'DIRECTORY.BAD_REQUEST'],
    [503, 'DIRECTORY.UNAVAILABLE'],
    [504, 'DIRECTORY.TIMEOUT'],
  ])('an inner answer %i is %s, as a single request with that status would be', (status, code) => {
    expect(failureByStatus(status).code).toBe(code);
    const single = toDirectoryError(new GraphError(status, 'refused'), 'delete authentication methods');
    expect(single.code).toBe(code);
  });
});
