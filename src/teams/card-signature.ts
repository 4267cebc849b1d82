import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Card data is untrusted: a client can send any case id and version. The bot signs what it puts on a card (the tenant,
 * the whole conversation id with its thread's message id, the case id and the case version) and checks the signature on every
 * click, so a tampered id, a card copied into another thread, conversation or tenant, or a made-up version is refused
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

function canonical(f: CardFields): string {
  // v2: the whole conversation id, the thread's message id included (v1 signed the channel only, so a card copied into
  // another thread of the same channel verified). Cards signed as v1 no longer verify: a click on one is
  // refused (CARD.INVALID), and `status <case id>` in the thread shows the case as it is.
  return ['card-v2', f.tenantId.toLowerCase(), f.conversationId, f.caseId, String(f.version)].join('\n');
}
