import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpApp } from '../../src/http/server';
import type { TurnContext } from 'botbuilder';
import { BotAdapter, CONNECTOR_CACHE_ENTRIES } from '../../src/teams/bot-adapter';
import { CHANNEL_ISSUER, otherRsaKey, startChannelOpenId, type ChannelOpenId } from '../helpers/channel-openid';
import { RecordingLogger } from '../fakes/recording-logger';
import { TEST_NOW } from '../helpers/test-clock';

/**
 * Issue 15, defects 5 and 6: forged Bot Framework tokens were answered 500 with the JWT library's message, and bad
 * bodies with a stack trace. The bot's real token validation runs here against a local OpenID metadata and JWKS (no
 * network): a token signed with the published key is served; every forgery gets 401 with a short body; a body that is
 * not an activity gets 400, a huge one 413; no answer carries a stack or a path; no turn runs for any of them.
 */

const APP_ID = '11111111-2222-4333-8444-555555555555';
const APP_PASSWORD = 'a-test-app-password-not-real';
const TENANT = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

describe('HTTP edges in production mode: token validation and bad requests', () => {
  let channel: ChannelOpenId;
  let server: Server;
  let base: string;
  const turns: string[] = [];
  /** The connector client each turn was given, by activity id. */
  const connectors = new Map<string, unknown>();
  const userTokenClients = new Map<string, unknown>();
  let adapter: BotAdapter;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    // The date is pinned (only Date is faked: timers, sockets and promises run for real), so that the tokens and the
    // Bot Framework's own validation (jsonwebtoken reads Date.now) see the same instant on any day.
    jest.useFakeTimers({
      now: TEST_NOW,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    channel = await startChannelOpenId();
    adapter = new BotAdapter({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      ToBotFromChannelOpenIdMetadataUrl: channel.metadataUrl,
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
    });
    const run = (context: TurnContext): Promise<void> => {
      turns.push(context.activity.id ?? '');
      connectors.set(context.activity.id ?? '', context.turnState.get(adapter.ConnectorClientKey));
      userTokenClients.set(context.activity.id ?? '', context.turnState.get(adapter.UserTokenClientKey));
      return Promise.resolve();
    };
    const app = createHttpApp({ adapter, run, mode: 'production', logger });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await channel.close();
    jest.useRealTimers();
  });

  let n = 0;
  const activity = (serviceUrl = SERVICE_URL) => ({
    type: 'message',
    id: `a${++n}`,
    text: 'help',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:x', aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' },
    conversation: { id: '19:x@thread.tacv2', tenantId: TENANT },
    recipient: { id: `28:${APP_ID}`, name: 'bot' },
  });
  const now = (): number => Math.floor(TEST_NOW.getTime() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: CHANNEL_ISSUER,
    aud: APP_ID,
    serviceurl: SERVICE_URL,
    nbf: now() - 60,
    iat: now() - 60,
    exp: now() + 3600,
    ...extra,
  });
  const post = (body: string, authorization?: string) =>
    fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
  const expectShort = async (res: Response, status: number): Promise<void> => {
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text.length).toBeLessThan(120);
    expect(text).not.toMatch(/\bat |node_modules|\/src\/|\.ts:|Error:|jwt|JsonWebToken|invalid algorithm|signature/i);
  };

  it('serves a request whose token the channel signed', async () => {
    const a = activity();
    const res = await post(JSON.stringify(a), `Bearer ${channel.token(claims())}`);
    expect(res.status).toBe(200);
    expect(turns).toContain(a.id);
  });

  it('reuses one connector client across turns per service URL, made only after the token is verified', async () => {
    const first = activity();
    const second = activity();
    const third = activity();
    for (const a of [first, second, third]) expect((await post(JSON.stringify(a), `Bearer ${channel.token(claims())}`)).status).toBe(200);
    expect(connectors.get(first.id)).toBeDefined();
    expect(connectors.get(second.id)).toBe(connectors.get(first.id));
    expect(connectors.get(third.id)).toBe(connectors.get(first.id));
    // Another region's service URL, in a token for it: another client.
    const elsewhere = 'https://smba.trafficmanager.net/amer/';
    const other = activity(elsewhere);
    expect((await post(JSON.stringify(other), `Bearer ${channel.token(claims({ serviceurl: elsewhere }))}`)).status).toBe(200);
    expect(connectors.get(other.id)).toBeDefined();
    expect(connectors.get(other.id)).not.toBe(connectors.get(first.id));
    const held = adapter.connectorCount();
    // Refused tokens make no client, whatever service URL they name.
    for (let i = 0; i < 3; i++) {
      const url = `https://attacker${i}.example/`;
      const refused = await post(
        JSON.stringify(activity(url)),
        `Bearer ${channel.token(claims({ serviceurl: url, aud: '99999999-2222-4333-8444-555555555555' }))}`,
      );
      expect(refused.status).toBe(401);
    }
    expect(adapter.connectorCount()).toBe(held);
  });

  it('reuses one user-token client across turns for the bot\u2019s app id, and makes none for a refused token', async () => {
    const first = activity();
    const second = activity();
    for (const a of [first, second]) expect((await post(JSON.stringify(a), `Bearer ${channel.token(claims())}`)).status).toBe(200);
    expect(userTokenClients.get(first.id)).toBeDefined();
    expect(userTokenClients.get(second.id)).toBe(userTokenClients.get(first.id));
    const held = adapter.userTokenClientCount();
    expect(held).toBe(1);
    const refused = await post(JSON.stringify(activity()), `Bearer ${channel.token(claims({ aud: '99999999-2222-4333-8444-555555555555' }))}`);
    expect(refused.status).toBe(401);
    expect(adapter.userTokenClientCount()).toBe(held);
  });

  it('keeps at most CONNECTOR_CACHE_ENTRIES connector clients', async () => {
    for (let i = 0; i < CONNECTOR_CACHE_ENTRIES + 4; i++) {
      const url = `https://smba.trafficmanager.net/region${i}/`;
      expect((await post(JSON.stringify(activity(url)), `Bearer ${channel.token(claims({ serviceurl: url }))}`)).status).toBe(200);
    }
    expect(adapter.connectorCount()).toBe(CONNECTOR_CACHE_ENTRIES);
  });

  const forgeries: Array<[string, () => string | undefined]> = [
    ['no Authorization header', () => undefined],
    ['a bearer that is not a JWT', () => 'Bearer not.a.jwt'],
    ['alg none', () => `Bearer ${channel.token(claims(), { alg: 'none' })}`],
    ['HS256 keyed with the app password', () => `Bearer ${channel.token(claims(), { alg: 'HS256', secret: APP_PASSWORD })}`],
    ['HS256 keyed with the published public key', () => `Bearer ${channel.token(claims(), { alg: 'HS256', secret: channel.publicPem })}`],
    ['RS256 signed with another key under the published key id', () => `Bearer ${channel.token(claims(), { alg: 'RS256', key: otherRsaKey() })}`],
    ['RS256 under a key id nobody published', () => `Bearer ${channel.token(claims(), { alg: 'RS256', kid: 'unknown-key-id' })}`],
    ['an expired token', () => `Bearer ${channel.token(claims({ nbf: now() - 7200, iat: now() - 7200, exp: now() - 3600 }))}`],
    ['a token for another bot', () => `Bearer ${channel.token(claims({ aud: '99999999-2222-4333-8444-555555555555' }))}`],
    ['a token from another issuer', () => `Bearer ${channel.token(claims({ iss: 'https://sts.windows.net/attacker/' }))}`],
    ['a token for another service URL', () => `Bearer ${channel.token(claims({ serviceurl: 'https://attacker.example/' }))}`],
  ];
  it.each(forgeries)('answers %s with 401 and runs no turn', async (_name, authorization) => {
    const a = activity();
    await expectShort(await post(JSON.stringify(a), authorization()), 401);
    expect(turns).not.toContain(a.id);
  });

  const badBodies: Array<[string, number, string]> = [
    ['JSON cut short', 400, '{"type":'],
    ['a number as the type', 400, '{"type":123}'],
    ['no type', 400, '{"text":"recover adele@contoso.com"}'],
    ['an array', 400, '[{"type":"message"}]'],
    ['a string', 400, '"message"'],
    ['a body over 1 MB', 413, JSON.stringify({ type: 'message', text: 'x'.repeat(1_100_000) })],
  ];
  it.each(badBodies)('answers %s with %i: a short body, no stack, no turn', async (_name, status, body) => {
    const before = turns.length;
    await expectShort(await post(body, `Bearer ${channel.token(claims())}`), status);
    expect(turns.length).toBe(before);
  });

  it('logs why a request was refused, without the token', () => {
    const refused = logger.lines.filter((l) => l.message === 'refused a request that could not be authenticated');
    expect(refused.length).toBeGreaterThanOrEqual(forgeries.length);
    expect(JSON.stringify(refused)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
