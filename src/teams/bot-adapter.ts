import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { AuthenticateRequestResult, ClaimsIdentity, ConnectorFactory, UserTokenClient } from 'botframework-connector';

type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/** User-token clients kept: one per bot app id (a deployment has one; anonymous in the demo). */
export const USER_TOKEN_CLIENT_ENTRIES = 4;

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
 *
 * It also builds a UserTokenClient on every turn (one more HTTP pipeline, ~0.1 ms of CPU per click measured by
 * `npm run bench`'s profile), from nothing but the app id botbuilder reads from the claims (the token's audience, else
 * its appid claim; ParameterizedBotFrameworkAuthentication.createUserTokenClient): the rest is fixed per adapter. So the
 * adapter keeps one per app id; this bot uses no user tokens, and the client holds no user's data.
 */
export class BotAdapter extends TeamsAdapter {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(...args: ConstructorParameters<typeof TeamsAdapter>) {
    super(...args);
    // The adapter's own authentication object: its createUserTokenClient, which processActivity calls on every turn,
    // answers from the clients already made for the same app id.
    const authentication = this.botFrameworkAuthentication;
    const create = authentication.createUserTokenClient.bind(authentication);
    authentication.createUserTokenClient = (claims: ClaimsIdentity) =>
      this.kept(this.userTokenClients, JSON.stringify(appIdOf(claims) ?? null), () => create(claims), USER_TOKEN_CLIENT_ENTRIES);
  }

  /** How many user-token clients are kept (for tests). */
  userTokenClientCount(): number {
    return this.userTokenClients.size;
  }

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
    return this.kept(this.connectors, key, () => made.create(serviceUrl, audience), CONNECTOR_CACHE_ENTRIES);
  }

  /** The value kept under `key`, else `make()` kept there (a failure is not kept); least recently used out past `limit`. */
  private kept<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>, limit: number): Promise<T> {
    const held = map.get(key);
    if (held) {
      map.delete(key);
      map.set(key, held);
      return held;
    }
    const made = make();
    map.set(key, made);
    // A failed creation is not kept: the next turn tries again.
    made.catch(() => {
      if (map.get(key) === made) map.delete(key);
    });
    for (const oldest of map.keys()) {
      if (map.size <= limit) break;
      map.delete(oldest);
    }
    return made;
  }
}

/** The app id botbuilder makes clients for: the token's audience claim, else its appid claim (getAppId in botframework-connector). */
function appIdOf(claims: ClaimsIdentity): string | undefined {
  return claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? undefined;
}
