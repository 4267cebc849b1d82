import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Microsoft Graph's resource: the audience of every token the simulated tenant issues. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/**
 * The Verified ID Request Service's resource ("Verifiable Credentials Service Request"): the audience of a token asked
 * for with scope `3db474b9-6a0c-4840-96ac-1fceb342124f/.default` (shared/spec/verified-id.md §1.1). Entra's exact `aud`
 * string for it (app id or an app id URI) was not found documented; the simulator uses the app id, and the bot never reads it.
 */
export const VERIFIED_ID_AUDIENCE = '3db474b9-6a0c-4840-96ac-1fceb342124f';
/** Lifetime of an app token. Entra's default for access tokens is 60–90 minutes; one hour keeps tests simple. */
export const TOKEN_LIFETIME_SECONDS = 3599;

/**
 * The claims of an app-only access token for Graph, as Entra issues them (v1.0 tokens, which Graph receives):
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference. `roles` are the application
 * permissions granted to the app when the token was issued; `wids` the directory role templates its service principal
 * holds. `azp` belongs to v2.0 tokens; Graph tokens carry `appid`, and both are set so either reader finds the app.
 */
export interface AppTokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly app_displayname: string;
  readonly appid: string;
  readonly azp: string;
  readonly appidacr: '1';
  readonly idtyp: 'app';
  readonly oid: string;
  readonly sub: string;
  readonly tid: string;
  readonly roles: readonly string[];
  readonly wids: readonly string[];
  readonly uti: string;
  readonly ver: '1.0';
}

export interface AppIdentity {
  readonly tenantId: string;
  readonly appId: string;
  readonly displayName: string;
  readonly servicePrincipalId: string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Why a bearer token was refused; the request pipeline turns each into Graph's 401 wording. */
export type TokenProblem = 'malformed' | 'signature' | 'audience' | 'expired';

export type VerifiedToken = { readonly ok: true; readonly claims: AppTokenClaims } | { readonly ok: false; readonly problem: TokenProblem };

/**
 * Signs and checks the simulated tenant's access tokens. Entra signs with RS256 keys it publishes; the simulator signs
 * with HS256 and a key drawn at start that never leaves the process, which gives the property that matters here: a
 * token's roles cannot be forged or edited, so a test cannot grant itself a permission by writing a token by hand.
 */
export class AppTokenSigner {
  private readonly key = randomBytes(32);
  private readonly kid = randomUUID();

  issue(
    app: AppIdentity,
    roles: readonly string[],
    wids: readonly string[],
    now: Date,
    audience: string = GRAPH_AUDIENCE,
  ): { token: string; claims: AppTokenClaims } {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: AppTokenClaims = {
      aud: audience,
      iss: `https://sts.windows.net/${app.tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
      app_displayname: app.displayName,
      appid: app.appId,
      azp: app.appId,
      appidacr: '1',
      idtyp: 'app',
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      tid: app.tenantId,
      roles: [...roles],
      wids: [...wids],
      uti: base64url(randomBytes(16)),
      ver: '1.0',
    };
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    return { token: `${header}.${payload}.${this.sign(`${header}.${payload}`)}`, claims };
  }

  /** Checks shape, signature, audience and lifetime (nbf ≤ now < exp), in the order Graph reports them. */
  verify(token: string, now: Date, audience: string = GRAPH_AUDIENCE): VerifiedToken {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, problem: 'malformed' };
    const [header = '', payload = '', signature = ''] = parts;
    let claims: AppTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AppTokenClaims;
      JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, problem: 'malformed' };
    }
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const got = Buffer.from(signature);
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) return { ok: false, problem: 'signature' };
    if (claims.aud !== audience) return { ok: false, problem: 'audience' };
    const seconds = now.getTime() / 1000;
    if (!(claims.nbf <= seconds && seconds < claims.exp)) return { ok: false, problem: 'expired' };
    return { ok: true, claims };
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}
