import type { TokenCredential } from '@azure/identity';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Adds `Authorization: Bearer` to requests for the configured Graph origin, and only to those. The SDK's own
 * AuthenticationHandler attaches tokens only to https Graph hosts; this one is told the origin explicitly, so the
 * same code path serves real Graph and the simulated tenant, and a token never leaks to another host.
 */
export class BearerTokenMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scopes: readonly string[],
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin === this.origin) {
      const token = await this.credential.getToken([...this.scopes]);
      if (!token) throw new Error('The Graph credential returned no access token.');
      const headers = new Headers(context.options?.headers);
      headers.set('Authorization', `Bearer ${token.token}`);
      context.options = { ...context.options, headers };
    }
    if (!this.next) throw new Error('BearerTokenMiddleware must not be the last middleware.');
    return this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
