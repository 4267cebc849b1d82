import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { ALL_VERBS, INCIDENT_VERBS } from '../../src/views/verbs';
import { cardInvoke } from '../helpers/bot-harness';
import { FakeConnector } from '../helpers/bot-over-http';
import { CHANNEL_ISSUER, otherRsaKey, startChannelOpenId, type ChannelOpenId, type Signing } from '../helpers/channel-openid';
import { PROD, PROD_SECRETS, startProductionBot, type LogLine, type ProductionBot } from '../helpers/production-bot';
import { waitFor } from '../helpers/spawn-bot';

/**
 * Issue 15, "production mode with a local OpenID metadata and JWKS server so real token validation runs without a
 * network": the attacker reaches a bot PROCESS in production mode only over HTTP. Every kind of activity the bot handles
 * (messages, every card verb, a conversation update, other invokes) is sent with every forgery of the Bot Framework
 * token an outsider can make; each must get 401 with a short body, run no turn and leave no token in the log. The same
 * activities with a token the channel signed are served by the same process (positive controls), so the 401s cannot
 * come from a process that refuses everything.
 *
 * How "no turn ran" is seen from outside: a turn of any of these activities writes a log line naming the activity id
 * (a refused card, a failed reply) or answers something other than 401 (200 with a card message, 501 for an invoke the
 * bot has no route for); for a forgery the only line naming it is the refusal. Also: the process attempted no call
 * beyond loopback (the network guard logs every attempt), the connector at the activity's serviceUrl got nothing, and
 * DATA_DIR stayed empty.
 *
 * The process runs on the real clock (production refuses CLOCK_OFFSET_MS), so tokens are signed relative to the real
 * Date.now(): valid from a minute ago for an hour, or an hour out of range for the time forgeries. Only these relative
 * times matter, so the outcome is the same on any day.
 */

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const ANOTHER_APP = '99999999-2222-4333-8444-555555555555';
const PERSON = { id: '29:megan', aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Megan Bowen' };
const CONVERSATION = '19:recoveries@thread.tacv2;messageid=1700000000000';
/** The body of every 401: fixed, short, nothing from the JWT library. */
const UNAUTHORIZED = '{"error":"Unauthorized."}';
/** The bot's log line for it (src/http/server.ts). */
const REFUSED = 'refused a request that could not be authenticated';
const LEAK = /\bat |node_modules|\/src\/|\.ts:|Error:|jwt|JsonWebToken|algorithm|signature|\bkid\b|endorse|issuer|audience|expired/i;

let ids = 0;

/** What an activity of one kind looks like, and how the process shows that a signed one was served. */
interface ActivityKind {
  readonly name: string;
  readonly build: (serviceUrl: string) => Partial<Activity>;
  /** The log line a served request of this kind writes, if any (waited for: the pipe may deliver it after the answer). */
  readonly logs?: string;
  /** Checks the answer to a correctly signed request and the log lines naming its id. */
  readonly served: (status: number, body: string, lines: LogLine[]) => void;
}

const base = (serviceUrl: string, id: string): Partial<Activity> => ({
  id,
  channelId: 'msteams',
  serviceUrl,
  from: PERSON,
  recipient: { id: `28:${PROD.appId}`, name: 'Entra Recovery' },
  conversation: { id: CONVERSATION, isGroup: true, conversationType: 'channel', tenantId: PROD.tenantId, name: 'Recoveries' },
  channelData: { tenant: { id: PROD.tenantId } },
});

/** A served message runs its turn, whose reply cannot reach the connector without a network: the turn failure is logged. */
const messageServed = (status: number, _body: string, lines: LogLine[]): void => {
  expect(status).toBe(200);
  expect(lines.map((l) => l.message)).toContain('turn failed');
};

const message = (text: string): ActivityKind => ({
  name: `a "${text.split(' ')[0]}" message`,
  build: (serviceUrl) => ({ ...base(serviceUrl, `message-${++ids}`), type: 'message', text }),
  logs: 'turn failed',
  served: messageServed,
});

/** A click on a card the bot never drew (the signature is made up): the bot answers it in the HTTP body, with no outgoing call. */
const click = (verb: string): ActivityKind => ({
  name: `a ${verb} click`,
  build: (serviceUrl) => ({
    ...cardInvoke(
      verb,
      {
        ...(INCIDENT_VERBS.includes(verb) ? { incidentId: 'IN-00000000' } : { caseId: 'RC-0000000000000000' }),
        version: 1,
        sig: 'made-up-signature',
      },
      { from: PERSON, tenantId: PROD.tenantId },
    ),
    ...base(serviceUrl, `click-${++ids}`),
  }),
  logs: 'refused a card action with invalid data',
  served: (status, body, lines) => {
    expect(status).toBe(200);
    expect(body).toContain('(CARD.INVALID)');
    expect(lines.map((l) => l.message)).toEqual(['refused a card action with invalid data']);
  },
});

const invoke = (name: string): ActivityKind => ({
  name: `a ${name} invoke`,
  build: (serviceUrl) => ({ ...base(serviceUrl, `invoke-${++ids}`), type: 'invoke', name, value: {} }),
  // teams-ai answers an invoke no route handles with 501 (the turn ran and found nothing to do).
  served: (status) => expect(status).toBe(501),
});

const conversationUpdate: ActivityKind = {
  name: 'a conversationUpdate',
  build: (serviceUrl) => ({ ...base(serviceUrl, `update-${++ids}`), type: 'conversationUpdate', membersAdded: [{ id: `28:${PROD.appId}`, name: 'Bot' }] }),
  // The bot does nothing for it: 200, no reply.
  served: (status) => expect(status).toBe(200),
};

const KINDS: readonly ActivityKind[] = [
  message('recover adele.vance@contoso.com'),
  message('help'),
  ...ALL_VERBS.map(click),
  conversationUpdate,
  invoke('composeExtension/query'),
  invoke('task/fetch'),
];

interface World {
  readonly channel: ChannelOpenId;
  readonly connector: FakeConnector;
  /** A key published beside the channel's, endorsed for webchat only. */
  readonly webchatKey: { readonly kid: string; readonly privateKey: KeyObject };
  /** A key nobody published, signing under the channel's published key id. */
  readonly forgerKey: KeyObject;
}

const claims = (w: World, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: CHANNEL_ISSUER,
  aud: PROD.appId,
  serviceurl: w.connector.url,
  ...window(-60, HOUR),
  ...extra,
});

const HOUR = 3600;
/** A token's validity window, in seconds from now (the real clock, as the process reads it). */
const window = (from: number, to: number): Record<string, number> => {
  const now = nowSeconds();
  return { nbf: now + from, iat: now + Math.min(from, 0), exp: now + to };
};
const bearer = (w: World, extra: Record<string, unknown> = {}, how?: Signing): string => `Bearer ${w.channel.token(claims(w, extra), how)}`;
const byWebchatKey = (w: World): Signing => ({ alg: 'RS256', key: w.webchatKey.privateKey, kid: w.webchatKey.kid });

/** Every forgery: the Authorization header an outsider can make for an activity, and botbuilder's reason for refusing it (logged). */
const FORGERIES: ReadonlyArray<[string, (w: World) => string | undefined, RegExp]> = [
  ['no Authorization header', () => undefined, /Request is not authorized/],
  ['a bearer that is not a JWT', () => 'Bearer not.a.jwt', /No valid identity/],
  ['Basic with the app id and password', () => `Basic ${Buffer.from(`${PROD.appId}:${PROD.appPassword}`).toString('base64')}`, /No valid identity/],
  ['alg none', (w) => bearer(w, {}, { alg: 'none' }), /jwt signature is required/],
  ['HS256 keyed with the app password', (w) => bearer(w, {}, { alg: 'HS256', secret: PROD.appPassword }), /invalid algorithm/],
  ['HS256 keyed with the published public key', (w) => bearer(w, {}, { alg: 'HS256', secret: w.channel.publicPem }), /invalid algorithm/],
  ['RS256 with another key under the published key id', (w) => bearer(w, {}, { alg: 'RS256', key: w.forgerKey }), /invalid signature/],
  ['RS256 under a key id nobody published', (w) => bearer(w, {}, { alg: 'RS256', kid: 'unknown-key-id' }), /Signing Key could not be retrieved/],
  ['an expired token', (w) => bearer(w, window(-2 * HOUR, -HOUR)), /token has expired/],
  ['a token not valid for another hour', (w) => bearer(w, window(HOUR, 2 * HOUR)), /NotBeforeError: jwt not active/],
  ['a token for another bot', (w) => bearer(w, { aud: ANOTHER_APP }), /Invalid AppId passed on token/],
  ['a token from another issuer', (w) => bearer(w, { iss: 'https://api.botframework.attacker.example' }), /No valid identity/],
  ['a serviceurl claim that is not the activity\u2019s serviceUrl', (w) => bearer(w, { serviceurl: 'https://smba.example/emea/' }), /ServiceUrl claim/],
  ['a key the channel endorsed for webchat only', (w) => bearer(w, {}, byWebchatKey(w)), /Could not validate endorsement for key: webchat-only-key/],
];

describe('a production bot process refuses every forged Bot Framework token, for every kind of activity', () => {
  let bot: ProductionBot;
  let world: World;
  /** Every Authorization header sent, to prove none reached the log. */
  const sentTokens: string[] = [];
  const forgedIds: string[] = [];

  beforeAll(async () => {
    const webchat = otherRsaKey();
    const webchatKey = { kid: 'webchat-only-key', privateKey: webchat };
    const channel = await startChannelOpenId({ alsoPublish: [{ kid: webchatKey.kid, publicKey: createPublicKey(webchat), endorsements: ['webchat'] }] });
    world = { channel, connector: await FakeConnector.start(), webchatKey, forgerKey: otherRsaKey() };
    bot = await startProductionBot(channel.metadataUrl);
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
    await world?.connector.close();
    await world?.channel.close();
  });

  const post = async (activity: Partial<Activity>, authorization: string | undefined): Promise<{ status: number; body: string }> => {
    if (authorization) sentTokens.push(authorization.split(' ')[1] ?? authorization);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
    return { status: res.status, body: await res.text() };
  };
  const linesAbout = (id: string): LogLine[] => bot.logLines().filter((l) => l.activityId === id);
  /** Waits for the process's log line about an activity (written before the answer, read from the pipe a moment later). */
  const logged = (id: string, message: string, timeoutMs = 5_000): Promise<void> =>
    waitFor(() => Promise.resolve(linesAbout(id).some((l) => l.message === message)), `"${message}" about ${id} in the log`, timeoutMs);

  const cases = KINDS.flatMap((kind) => FORGERIES.map(([forgery, header, reason]) => [kind.name, forgery, kind, header, reason] as const));
  it.each(cases)('%s with %s: 401, a short body, no turn', async (_kind, _forgery, kind, header, reason) => {
    const activity = kind.build(world.connector.url);
    const id = activity.id ?? '';
    forgedIds.push(id);
    const { status, body } = await post(activity, header(world));
    expect(status).toBe(401);
    expect(body).toBe(UNAUTHORIZED);
    expect(body).not.toMatch(LEAK);
    // The refusal is logged (the process writes it before it answers; the pipe may deliver it a moment later).
    await logged(id, REFUSED);
    expect(linesAbout(id).map((l) => l.message)).toEqual([REFUSED]);
    // Each forgery is refused for its own reason (so the table tests what it names), and the reason carries no token.
    expect(linesAbout(id)[0]?.reason).toMatch(reason);
    expect(JSON.stringify(linesAbout(id))).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    // Nothing left the process, nothing reached the thread, nothing was stored (the positive controls run after these).
    expect(bot.outsideCalls()).toEqual([]);
    expect(world.connector.writes).toEqual([]);
    expect(bot.storedFiles()).toEqual([]);
  });

  describe('positive controls: the same process serves the same activities when the channel signed the token', () => {
    it.each(KINDS.map((k) => [k.name, k] as const))(
      '%s is served',
      async (_name, kind) => {
        const activity = kind.build(world.connector.url);
        const id = activity.id ?? '';
        const { status, body } = await post(activity, bearer(world));
        expect(status).not.toBe(401);
        // A message's turn fails to reply and logs it; give the log a moment to arrive.
        if (kind.logs) await logged(id, kind.logs, 15_000);
        kind.served(status, body, linesAbout(id));
        expect(body).not.toMatch(/\bat |node_modules|\/src\/|\.ts:/);
      },
      30_000,
    );

    it('a click the channel signed, from a conversation of another tenant, is refused by the bot\u2019s tenant guard', async () => {
      const foreign = '0f0f0f0f-7777-4888-9999-aaaaaaaaaaaa';
      const built = KINDS[2]!.build(world.connector.url);
      const activity = { ...built, conversation: { ...built.conversation!, tenantId: foreign }, channelData: { tenant: { id: foreign } } };
      const { status, body } = await post(activity, bearer(world));
      expect(status).toBe(200);
      expect(body).toContain('(TENANT.FOREIGN)');
      await logged(activity.id ?? '', 'ignored an activity from another tenant or channel');
      expect(linesAbout(activity.id ?? '').map((l) => l.message)).toEqual(['ignored an activity from another tenant or channel']);
    });

    it('a key endorsed for webchat passes botbuilder when the activity claims webchat; the bot\u2019s own channel guard refuses it', async () => {
      const activity = { ...KINDS[2]!.build(world.connector.url), channelId: 'webchat' };
      const { status, body } = await post(activity, bearer(world, {}, byWebchatKey(world)));
      expect(status).toBe(200);
      expect(body).toContain('(CHANNEL.UNSUPPORTED)');
      await logged(activity.id ?? '', 'ignored an activity from another tenant or channel');
      expect(linesAbout(activity.id ?? '').map((l) => l.message)).toEqual(['ignored an activity from another tenant or channel']);
    });

    it('an activity with no channel id skips botbuilder\u2019s endorsement check; teams-ai refuses it before any handler runs', async () => {
      const activity = { ...KINDS[2]!.build(world.connector.url), channelId: '' };
      const { status, body } = await post(activity, bearer(world, {}, byWebchatKey(world)));
      // teams-ai cannot key its turn state without a channel id and throws; the one turn-error handler answers generically.
      expect(status).toBe(200);
      expect(body).toContain('"code":"BOT.ERROR"');
      expect(body).not.toMatch(/channelId|\bat |node_modules/);
      await logged(activity.id ?? '', 'turn failed');
      expect(linesAbout(activity.id ?? '').map((l) => [l.message, l.detail])).toEqual([['turn failed', 'missing context.activity.channelId']]);
    });
  });

  /**
   * Tokens that botbuilder routes past the channel's keys: one naming the Emulator's issuer, and skill tokens (another
   * bot, or the anonymous skill). Those paths read Entra's public metadata at login.microsoftonline.com (refused here by
   * the network guard, so run after the matrix above): the request is refused either way, and no turn runs.
   */
  const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
  const ENTRA_METADATA = /request to https:\/\/login\.microsoftonline\.com\/common\/v2\.0\/\.well-known\/openid-configuration failed/;
  const OTHER_PATHS: ReadonlyArray<[string, (w: World) => string, RegExp]> = [
    ['a token naming the Emulator\u2019s issuer', (w) => bearer(w, { iss: EMULATOR_ISSUER, ver: '1.0', appid: PROD.appId }), ENTRA_METADATA],
    ['a skill token from another bot', (w) => bearer(w, { iss: EMULATOR_ISSUER, ver: '1.0', appid: ANOTHER_APP }), ENTRA_METADATA],
    ['an anonymous skill token', (w) => bearer(w, { appid: 'AnonymousSkill' }), /SkillValidation.validateIdentity\(\): Invalid identity/],
  ];
  const otherPathCases = KINDS.flatMap((kind) => OTHER_PATHS.map(([token, header, reason]) => [kind.name, token, kind, header, reason] as const));
  it.each(otherPathCases)('%s with %s: 401, no turn', async (_kind, _token, kind, header, reason) => {
    const activity = kind.build(world.connector.url);
    const id = activity.id ?? '';
    forgedIds.push(id);
    const { status, body } = await post(activity, header(world));
    expect(status).toBe(401);
    expect(body).toBe(UNAUTHORIZED);
    await logged(id, REFUSED);
    expect(linesAbout(id).map((l) => l.message)).toEqual([REFUSED]);
    expect(linesAbout(id)[0]?.reason).toMatch(reason);
  });

  it('a served message needs the network to reply: the sign-in is refused at once, the turn failure logged, nothing sent', () => {
    // How the process behaves when an outgoing call is attempted (the messages above): it asks login.microsoftonline.com
    // for a token (to reply through the connector, and for Graph), the network guard refuses the name, the reply fails,
    // the turn error is logged and the request is still answered 200 (help in about 0.1 s; recover in about 5 s, the
    // Graph credential's own retries). Nothing hangs, and no call reaches anything but loopback.
    expect(new Set(bot.outsideCalls())).toEqual(new Set(['login.microsoftonline.com']));
    expect(world.connector.writes).toEqual([]);
  });

  // FOUND, not fixed: for a refused token botbuilder itself prints to stderr, outside the bot's JSON log lines: the
  // jsonwebtoken stack with server paths for an expired token, the published key's PEM for a bad signature
  // (botframework-connector jwtTokenExtractor.js, console.error). Nothing reaches the caller and no secret is printed,
  // but any outsider can make each request add several unstructured lines, which a JSON-lines log shipper mangles.
  it.failing('writes only JSON log lines, even for refused tokens', () => {
    const unstructured = bot
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('{'));
    expect(unstructured).toEqual([]);
  });

  it('logged no token and no secret anywhere, and no forged activity reached a turn', () => {
    const output = bot.output();
    for (const token of sentTokens) expect(output).not.toContain(token);
    // A JWT's parts: header and payload start with eyJ; no such text is in the output at all.
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    for (const secret of PROD_SECRETS) expect(output).not.toContain(secret);
    const refusalsOnly = forgedIds.filter((id) => linesAbout(id).every((l) => l.message === REFUSED));
    expect(refusalsOnly).toEqual(forgedIds);
    expect(forgedIds.length).toBe(KINDS.length * (FORGERIES.length + OTHER_PATHS.length));
  });
});
