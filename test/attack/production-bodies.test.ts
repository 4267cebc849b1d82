import { gzipSync } from 'node:zlib';
import { CHANNEL_ISSUER, startChannelOpenId, type ChannelOpenId } from '../helpers/channel-openid';
import { PROD, PROD_SECRETS, startProductionBot, type ProductionBot } from '../helpers/production-bot';

/**
 * Issue 15, defect 5: bad requests were answered with the body parser's stack trace, before authentication, by a
 * production deployment. Here a production bot PROCESS (NODE_ENV=production, real token validation against a local
 * JWKS) gets bodies that are not activities, without a token and with one the channel signed: each is answered 400
 * or 413 with a short JSON body, no stack, no path, and nothing runs. /healthz answers without secrets.
 *
 * Tokens are signed relative to the real clock, which the process runs on (production refuses CLOCK_OFFSET_MS): valid
 * from a minute ago for an hour, the same on any day.
 */

const SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
const STACK = /\bat |node_modules|\/src\/|\.ts:|\.js:|Error:|SyntaxError|Unexpected token|JSON\.parse|body-parser|raw-body/i;

const BAD_BODIES: ReadonlyArray<[string, number, string | Buffer, Record<string, string>?]> = [
  ['JSON cut short', 400, '{"type":'],
  ['a number as the type', 400, '{"type":123}'],
  ['an empty type', 400, '{"type":""}'],
  ['no type', 400, '{"text":"recover adele@contoso.com"}'],
  ['an array', 400, '[{"type":"message"}]'],
  ['a string', 400, '"message"'],
  ['a number', 400, '42'],
  ['null', 400, 'null'],
  ['an empty body', 400, ''],
  ['JSON nested 400,000 deep', 400, `${'['.repeat(400_000)}${']'.repeat(400_000)}`],
  ['an activity sent as text/plain', 400, '{"type":"message","text":"help"}', { 'content-type': 'text/plain' }],
  ['a body over 1 MB', 413, JSON.stringify({ type: 'message', text: 'x'.repeat(1_100_000) })],
  ['a gzip body that inflates past 1 MB', 413, gzipSync(JSON.stringify({ type: 'message', text: 'x'.repeat(2_000_000) })), { 'content-encoding': 'gzip' }],
];

describe('a production bot process answers bad requests short, before and after authentication', () => {
  let channel: ChannelOpenId;
  let bot: ProductionBot;

  beforeAll(async () => {
    channel = await startChannelOpenId();
    bot = await startProductionBot(channel.metadataUrl);
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
    await channel?.close();
  });

  const signed = (): string => {
    const now = Math.floor(Date.now() / 1000);
    return `Bearer ${channel.token({ iss: CHANNEL_ISSUER, aud: PROD.appId, serviceurl: SERVICE_URL, nbf: now - 60, iat: now - 60, exp: now + 3600 })}`;
  };
  const expectShort = async (res: Response, status: number): Promise<void> => {
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text.length).toBeLessThan(80);
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(text).not.toMatch(STACK);
  };

  const cases = BAD_BODIES.flatMap(([name, status, body, headers]) =>
    (['without a token', 'with a token the channel signed'] as const).map((when) => [name, status, when, body, headers ?? {}] as const),
  );
  it.each(cases)('%s: %i %s, a short body, no stack', async (_name, status, when, body, headers) => {
    const before = bot.logLines().length;
    const sent: Record<string, string> = { 'content-type': 'application/json', ...headers };
    if (when !== 'without a token') sent.authorization = signed();
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: sent, body: typeof body === 'string' ? body : new Uint8Array(body) });
    await expectShort(res, status);
    // Refused before the adapter: no refusal of a token, no turn, no error logged, nothing stored.
    expect(bot.logLines().slice(before)).toEqual([]);
    expect(bot.storedFiles()).toEqual([]);
  });

  it('/healthz says it is up and in production mode, and nothing else', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'ok', mode: 'production' });
    for (const value of [...PROD_SECRETS, PROD.appId, PROD.tenantId, bot.dataDir]) expect(text).not.toContain(value);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it.each([
    ['GET', '/api/messages'],
    ['POST', '/api/other'],
    ['GET', '/../../etc/passwd'],
    ['PUT', '/healthz'],
  ])('%s %s: 404, short, no stack', async (method, path) => {
    const res = await fetch(`${bot.url}${path}`, { method, ...(method === 'GET' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } }) });
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text.length).toBeLessThan(200);
    expect(text).not.toMatch(STACK);
  });

  it('is still up after all of it, and never printed a secret', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const output = bot.output();
    for (const secret of PROD_SECRETS) expect(output).not.toContain(secret);
    expect(output).not.toMatch(STACK);
    expect(bot.outsideCalls()).toEqual([]);
  });
});
