import type { AccessToken, TokenCredential } from '@azure/identity';

/** Where and as whom the demo bot asks the simulated tenant's token endpoint for an app token. */
export interface SimulatedCredentialOptions {
  /** The simulated tenant's origin, which serves the token endpoint as login.microsoftonline.com does. */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The bot's clock (ms since epoch), which the simulated tenant shares in tests; default Date.now. */
  readonly now?: () => number;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** A cached token is renewed this long before it expires, as azure-identity does (its refresh window is 5 minutes). */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

interface TokenAnswer {
  readonly access_token?: string;
  readonly expires_in?: number;
  readonly error?: string;
  readonly error_codes?: readonly number[];
}

/**
 * The demo's app-only credential: the client credentials grant against the simulated tenant's token endpoint
 * (`POST {authorityHost}/{tenant}/oauth2/v2.0/token`), so the demo bot holds a token whose `roles` are the
 * permissions the demo app was granted, exactly as ClientSecretCredential does against Entra. The token is kept until
 * shortly before it expires; a change of the app's grants is seen with the next token. Only ever built from
 * `{ kind: 'simulated' }`, which config.ts allows in demo mode alone.
 */
export class SimulatedTenantCredential implements TokenCredential {
  /** By scope: Graph's, and the Verified ID Request Service's (src/entra/verified-id-client.ts). */
  private readonly cached = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();
  private readonly now: () => number;

  constructor(private readonly options: SimulatedCredentialOptions) {
    this.now = options.now ?? Date.now;
  }

  /** One `.default` scope, as a client credentials grant takes; none given means Graph's, as before. */
  getToken(scopes?: string | string[]): Promise<AccessToken> {
    const scope = (Array.isArray(scopes) ? scopes[0] : scopes) ?? GRAPH_SCOPE;
    const cached = this.cached.get(scope);
    if (cached && cached.expiresOnTimestamp - REFRESH_BEFORE_EXPIRY_MS > this.now()) return Promise.resolve(cached);
    let pending = this.pending.get(scope);
    if (!pending) {
      pending = this.acquire(scope).finally(() => this.pending.delete(scope));
      this.pending.set(scope, pending);
    }
    return pending;
  }

  private async acquire(scope: string): Promise<AccessToken> {
    const { authorityHost, tenantId, clientId, clientSecret } = this.options;
    const url = `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope });
    const issuedAt = this.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const answer = (await res.json().catch(() => ({}))) as TokenAnswer;
    if (!res.ok || typeof answer.access_token !== 'string' || typeof answer.expires_in !== 'number') {
      // The error code, never the description: it can quote the app's identifiers and is not for a channel.
      throw new Error(
        `The simulated tenant refused the token request (HTTP ${res.status} ${answer.error ?? 'no error code'}, AADSTS${answer.error_codes?.[0] ?? '?'}).`,
      );
    }
    const token = { token: answer.access_token, expiresOnTimestamp: issuedAt + answer.expires_in * 1000 };
    this.cached.set(scope, token);
    return token;
  }
}
