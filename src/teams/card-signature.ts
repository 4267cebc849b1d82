import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Card data is untrusted: a client can send any case id and version. The bot signs what it puts on a card (the tenant,
 * the conversation without its thread suffix, the case id and the case version) and checks the signature on every
 * click, so a tampered id, a card copied into another conversation or tenant, or a made-up version is refused
 * before anything is loaded or decided.
 */
export class CardSigner {
  private readonly key: Buffer;

  constructor(key: string) {
    if (Buffer.byteLength(key, 'utf8') < 32) throw new Error('The card signing key must be at least 32 bytes.');
    this.key = Buffer.from(key, 'utf8');
  }

  sign(fields: CardFields): string {
    return createHmac('sha256', this.key).update(canonical(fields)).digest('base64url');
  }

  verify(fields: CardFields, signature: string | undefined): boolean {
    if (!signature) return false;
    const expected = Buffer.from(this.sign(fields), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

export interface CardFields {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly caseId: string;
  readonly version: number;
}

export function conversationRoot(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

function canonical(f: CardFields): string {
  return ['card-v1', f.tenantId.toLowerCase(), conversationRoot(f.conversationId), f.caseId, String(f.version)].join('\n');
}
