import { createHash, createHmac, createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework channel's OpenID metadata and signing keys (login.botframework.com), so that
 * the bot's real token validation runs in a test without a network: the metadata document names a local JWKS holding
 * one RSA key endorsed for `msteams`. `token` signs Teams-like channel tokens with that key, or any other way a forger
 * would try.
 */
export interface ChannelOpenId {
  readonly metadataUrl: string;
  readonly kid: string;
  /** The published public key, as PEM (what a forger can download). */
  readonly publicPem: string;
  token(claims: Record<string, unknown>, how?: Signing): string;
  close(): Promise<void>;
}

export type Signing =
  | { readonly alg: 'RS256'; readonly key?: KeyObject; readonly kid?: string }
  | { readonly alg: 'HS256'; readonly secret: string | Buffer; readonly kid?: string }
  | { readonly alg: 'none'; readonly kid?: string };

export const CHANNEL_ISSUER = 'https://api.botframework.com';

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export function sign(claims: Record<string, unknown>, how: Signing, defaultKey: KeyObject, defaultKid: string): string {
  const header = { alg: how.alg, typ: 'JWT', kid: how.kid ?? defaultKid, x5t: how.kid ?? defaultKid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (how.alg === 'none') return `${input}.`;
  if (how.alg === 'HS256') return `${input}.${createHmac('sha256', how.secret).update(input).digest('base64url')}`;
  const signer = createSign('RSA-SHA256');
  signer.update(input);
  return `${input}.${signer.sign(how.key ?? defaultKey).toString('base64url')}`;
}

const pick = (jwk: { n?: string; e?: string }): { n?: string; e?: string } => ({ n: jwk.n, e: jwk.e });

/** A second RSA key, not published: what a forger signs with. */
export function otherRsaKey(): KeyObject {
  return createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
}

/** Another key the JWKS publishes beside the channel's own, with the channels it is endorsed for. */
export interface PublishedKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
  readonly endorsements: readonly string[];
}

export async function startChannelOpenId(options: { alsoPublish?: readonly PublishedKey[] } = {}): Promise<ChannelOpenId> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify(jwk)).digest('base64url').slice(0, 27);
  let base = '';
  const server: Server = createServer((req, res) => {
    const json = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration')
      return json({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    const own = { kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] };
    const others = (options.alsoPublish ?? []).map((k) => ({
      kty: 'RSA',
      use: 'sig',
      kid: k.kid,
      x5t: k.kid,
      ...pick(k.publicKey.export({ format: 'jwk' })),
      endorsements: k.endorsements,
    }));
    if (req.url === '/v1/.well-known/keys') return json({ keys: [own, ...others] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    kid,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    token: (claims, how = { alg: 'RS256' }) => sign(claims, how, privateKey, kid),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
