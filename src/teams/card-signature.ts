import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Card data is untrusted: a client can send any case id and version. The bot signs what it puts on a card (the tenant,
 * the whole conversation id with its thread's message id, the case id and the case version) and checks the signature on every
 * click, so a tampered id, a card copied into another thread, conversation or tenant, or a made-up version is refused
 * before anything is loaded or decided. Incident cards are signed the same way under their own kind.
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

  /**
   * The signature for `fields`, taken from `verified` when that is a signature `verify` accepted for exactly these fields
   * (verify compares the whole string, so signing them again would give the same one back): a card re-rendered for the
   * click that was just verified costs no second HMAC.
   */
  signReusing(fields: CaseCardFields, verified: VerifiedSignature | undefined): string {
    const v = verified?.fields;
    if (v && v.tenantId === fields.tenantId && v.conversationId === fields.conversationId && v.caseId === fields.caseId && v.version === fields.version)
      return verified.signature;
    return this.sign(fields);
  }

  verify(fields: CardFields, signature: string | undefined): boolean {
    if (!signature) return false;
    const expected = Buffer.from(this.sign(fields), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** A signature that {@link CardSigner.verify} accepted for a case card's fields in this turn. */
export interface VerifiedSignature {
  readonly fields: CaseCardFields;
  readonly signature: string;
}

/** A recovery case's card, or (with `incidentId` instead of `caseId`) a bulk incident's card. */
export type CardFields = CaseCardFields | IncidentCardFields;

export interface CaseCardFields {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly caseId: string;
  readonly version: number;
}

export interface IncidentCardFields {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly incidentId: string;
  readonly version: number;
}

function canonical(f: CardFields): string {
  if ('incidentId' in f) {
    // Its own first line: an incident card's signature never verifies for a case with the same id string (or the
    // reverse), whatever ids the two kinds use.
    return ['incident-card-v1', f.tenantId.toLowerCase(), f.conversationId, f.incidentId, String(f.version)].join('\n');
  }
  // v2: the whole conversation id, the thread's message id included (v1 signed the channel only, so a card copied into
  // another thread of the same channel verified). Cards signed as v1 no longer verify: a click on one is
  // refused (CARD.INVALID), and `status <case id>` in the thread shows the case as it is.
  return ['card-v2', f.tenantId.toLowerCase(), f.conversationId, f.caseId, String(f.version)].join('\n');
}
