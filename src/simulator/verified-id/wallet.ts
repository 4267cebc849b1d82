import { createHash } from 'node:crypto';
import { z } from 'zod';
import demoWallet from '../seed/demo-wallet.json';
import { SeedTimeSchema } from '../seed-schema';
import { resolveSeedTime } from '../seed-time';

const did = z.string().regex(/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/, 'a DID');

const CardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9.-]+$/, 'lower-case letters, digits, dots and hyphens'),
    /** Whose Authenticator holds it (a UPN): the admin page groups cards by it. */
    holder: z.string().min(1),
    label: z.string().min(1),
    type: z.array(z.string().min(1)).min(1),
    issuer: did,
    /** Claims as issued, without the photo (added when presented, see `photoClaim`). */
    claims: z.record(z.string(), z.string()),
    /** The claim carrying the photo: `photo` for VerifiedEmployee, `portrait` for an IDV credential (spec §4, §6.2). */
    photoClaim: z.string().min(1),
    issued: SeedTimeSchema,
    /** Quick setup issues VerifiedEmployee cards for at most six months (spec §1.4). */
    validForDays: z.number().int().min(1).max(3650),
    revocationStatus: z.enum(['VALID', 'REVOKED']),
    /** The issuer's linked domain and whether it is verified (what validateLinkedDomain tests). */
    domain: z.object({ url: z.string().url(), verified: z.boolean() }).strict(),
  })
  .strict();

export const WalletSeedSchema = z
  .object({
    $comment: z.string().optional(),
    /** The simulated tenant's Verified ID authority: the only `authority` its Request Service accepts. */
    authority: did,
    linkedDomain: z.string().url(),
    cards: z.array(CardSchema),
  })
  .strict()
  .superRefine((seed, ctx) => {
    const ids = new Set<string>();
    for (const card of seed.cards) {
      if (ids.has(card.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `duplicate card id ${card.id}` });
      ids.add(card.id);
    }
  });

export type WalletSeed = z.infer<typeof WalletSeedSchema>;

/** A card as presented: the seed's, with its times resolved; or one a test describes in full. */
export interface WalletCard {
  readonly id: string;
  readonly holder: string;
  readonly label: string;
  readonly type: readonly string[];
  readonly issuer: string;
  readonly claims: Readonly<Record<string, string>>;
  readonly photoClaim: string;
  readonly issuanceDate: string;
  readonly expirationDate: string;
  readonly revocationStatus: 'VALID' | 'REVOKED';
  readonly domain: { readonly url: string; readonly verified: boolean };
}

export interface Wallet {
  readonly authority: string;
  readonly cards: readonly WalletCard[];
}

/** The demo wallet, validated; a broken file stops the simulator at start. */
export function loadDemoWallet(): WalletSeed {
  const parsed = WalletSeedSchema.safeParse(demoWallet);
  if (!parsed.success) throw new Error(`Invalid wallet seed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** "yyyy-MM-ddTHH:mm:ssZ", the form the callback's dates take (spec §2.2). */
export function credentialDate(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** The wallet with seed times resolved against the simulator's clock, as the tenant's seed is. */
export function walletFrom(seed: WalletSeed, now: Date): Wallet {
  return {
    authority: seed.authority,
    cards: seed.cards.map((c) => {
      const issued = resolveSeedTime(c.issued, now);
      return {
        id: c.id,
        holder: c.holder,
        label: c.label,
        type: c.type,
        issuer: c.issuer,
        claims: c.claims,
        photoClaim: c.photoClaim,
        issuanceDate: credentialDate(issued),
        expirationDate: credentialDate(new Date(Date.parse(issued) + c.validForDays * 86_400_000).toISOString()),
        revocationStatus: c.revocationStatus,
        domain: c.domain,
      };
    }),
  };
}

/**
 * A photo claim as the service delivers it, `UrlEncode(Base64Encode(JPEG))` (spec §3): a JPEG's start and end markers
 * around a few bytes, so it looks like a photo to whatever stores it by mistake, and a test can find it anywhere.
 */
export function photoClaimValue(cardId: string): string {
  const jfif = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
  const body = createHash('sha256').update(`photo of ${cardId}`).digest();
  return encodeURIComponent(Buffer.concat([jfif, body, Buffer.from([0xff, 0xd9])]).toString('base64'));
}

/** The holder's DID in the callback's `subject`: stable per card. */
export function subjectDid(cardId: string): string {
  return `did:ion:EiA${createHash('sha256').update(`subject of ${cardId}`).digest('base64url').slice(0, 40)}`;
}
