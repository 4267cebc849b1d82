import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { AuthenticateRequestResult, ConnectorFactory } from 'botframework-connector';

type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/**
 * Connector clients kept across turns: one per (bot app id, service URL, audience). Teams uses a handful of service URLs
 * per region; the bound only matters when inbound authentication is off (the demo), where anyone can name any URL.
 */
export const CONNECTOR_CACHE_ENTRIES = 16;

/**
 * The Bot Framework adapter with one activity handed in at a time: the HTTP layer (src/http/server.ts) parses the body
 * and answers every failure itself, short and without a stack, instead of CloudAdapter.process, which answers a token
 * it cannot verify with 500 and the JWT library's message, and prints the error to stderr.
 *
 * botbuilder 4.23's CloudAdapterBase.processActivity builds a new ConnectorClient (an HTTP pipeline and credentials) on
 * every turn, though its ConnectorFactoryImpl makes the same client from the same (app id, service URL, audience): the
 * rest of what it is built from is fixed per adapter. This adapter authenticates the request with the very call
 * processActivity would make, and only after that succeeds hands processActivity the result with a factory that reuses
 * the client made for the same key (as botbuilder's older BotFrameworkAdapter did with its connectorClients map). Reusing
 * the client also reuses its credentials, whose token cache would otherwise start empty on every turn.
 */
export class BotAdapter extends TeamsAdapter {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();

  /** Authenticates the request's Authorization header for this activity (throws when it cannot), then runs `logic`. */
  async handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    return this.processActivity(this.reusingConnectors(authenticated), activity, logic);
  }

  /** How many connector clients are kept (for tests). */
  connectorCount(): number {
    return this.connectors.size;
  }

  private reusingConnectors(authenticated: AuthenticateRequestResult): AuthenticateRequestResult {
    const made = authenticated.connectorFactory;
    if (!made) return authenticated;
    // The app id the factory was made for, as botbuilder derives it (ParameterizedBotFrameworkAuthentication getAppId):
    // the token's audience claim, else its appid claim; both are in the key, so the key names the factory's app id.
    const claims = authenticated.claimsIdentity;
    const appId = [claims.getClaimValue('aud'), claims.getClaimValue('appid')];
    const reusing: ConnectorFactory = {
      create: (serviceUrl: string, audience?: string) => this.connector(made, JSON.stringify([...appId, serviceUrl, audience ?? null]), serviceUrl, audience),
    };
    return { ...authenticated, connectorFactory: reusing };
  }

  private connector(made: ConnectorFactory, key: string, serviceUrl: string, audience: string | undefined): Promise<ConnectorClient> {
    const held = this.connectors.get(key);
    if (held) {
      this.connectors.delete(key);
      this.connectors.set(key, held);
      return held;
    }
    const client = made.create(serviceUrl, audience);
    this.connectors.set(key, client);
    // A failed creation is not kept: the next turn tries again.
    client.catch(() => {
      if (this.connectors.get(key) === client) this.connectors.delete(key);
    });
    for (const oldest of this.connectors.keys()) {
      if (this.connectors.size <= CONNECTOR_CACHE_ENTRIES) break;
      this.connectors.delete(oldest);
    }
    return client;
  }
}
