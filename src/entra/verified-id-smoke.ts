import type { TokenCredential } from '@azure/identity';
import type { VerifiedIdSettings } from '../verified-id-settings';
import { PRESENT_REQUEST_ROLES, VERIFIED_ID_SCOPE } from './verified-id-client';

/** One row of the smoke report (a SmokeRow of tenant-smoke.ts, which imports this file). */
interface VerifiedIdSmokeRow {
  readonly check: string;
  readonly status: 'OK' | 'MISSING' | 'NOT CHECKED';
  readonly detail: string;
  readonly fix?: string;
}

const CHECK = 'Verified ID Request Service token (VerifiableCredential.Create.PresentRequest)';
const GRANT =
  'Grant VerifiableCredential.Create.PresentRequest on "Verifiable Credentials Service Request" (appId 3db474b9-6a0c-4840-96ac-1fceb342124f) to the bot\u2019s app or managed identity, with admin consent (docs/deploy.md, Verified ID).';

/** The claims of a JWT, read without verifying it: the token is our own, just issued, and only its `roles` are looked at. */
function rolesOf(token: string): string[] | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `npm run smoke`, when Verified ID is configured: an app-only token for the Request Service
 * (`3db474b9-…/.default`, https://learn.microsoft.com/entra/verified-id/get-started-request-api), and whether its
 * `roles` let the bot create presentation requests. Read-only: no presentation request is created (each one costs a
 * Key Vault signature and counts toward the tenant's 2 per second). Nothing here can tell whether Face Check is licensed.
 */
export async function verifiedIdTokenRow(credential: TokenCredential, settings: VerifiedIdSettings | undefined): Promise<VerifiedIdSmokeRow> {
  if (!settings) return { check: CHECK, status: 'NOT CHECKED', detail: 'Verified ID is off (VERIFIED_ID_AUTHORITY unset)' };
  let token: string;
  try {
    const got = await credential.getToken(VERIFIED_ID_SCOPE);
    if (!got?.token) throw new Error('the credential returned no token');
    token = got.token;
  } catch (error) {
    return {
      check: CHECK,
      status: 'MISSING',
      detail: `no token for ${VERIFIED_ID_SCOPE}: ${error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)}`,
      fix: `Set up Verified ID in the tenant (Entra admin center > Verified ID), which adds the Request Service\u2019s service principal; then: ${GRANT}`,
    };
  }
  const roles = rolesOf(token);
  if (!roles) return { check: CHECK, status: 'NOT CHECKED', detail: 'the token carries no roles claim' };
  const held = PRESENT_REQUEST_ROLES.filter((r) => roles.includes(r));
  if (held.length > 0) return { check: CHECK, status: 'OK', detail: `granted: ${held.join(', ')}` };
  return {
    check: CHECK,
    status: 'MISSING',
    detail: `the token's roles (${roles.length > 0 ? roles.join(', ') : 'none'}) include neither ${PRESENT_REQUEST_ROLES.join(' nor ')}`,
    fix: GRANT,
  };
}
