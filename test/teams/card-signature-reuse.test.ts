import { join } from 'node:path';
import { CardSigner, type CaseCardFields } from '../../src/teams/card-signature';
import { renderCaseCard } from '../../src/teams/case-cards';
import { CardRenderer } from '../../src/views/card-renderer';
import { sampleCase } from '../helpers/sample-cases';

const KEY = 'card-signature-reuse-test-key-0123456789abcdef';

/** A signer that counts the HMACs it computes. */
class CountingSigner extends CardSigner {
  signed = 0;
  override sign(fields: Parameters<CardSigner['sign']>[0]): string {
    this.signed++;
    return super.sign(fields);
  }
}

const c = sampleCase();
const fields: CaseCardFields = { tenantId: c.thread.tenantId, conversationId: c.thread.conversationId, caseId: c.id, version: c.version };

describe('one signature computation per card', () => {
  it('reuses a verified signature for exactly the fields it was verified for', () => {
    const signer = new CountingSigner(KEY);
    const signature = signer.sign(fields);
    expect(signer.verify(fields, signature)).toBe(true);
    signer.signed = 0;
    expect(signer.signReusing(fields, { fields, signature })).toBe(signature);
    expect(signer.signed).toBe(0);
  });

  it.each([
    ['another tenant', { tenantId: 'other-tenant' }],
    ['another conversation', { conversationId: `${fields.conversationId}-other` }],
    ['another case', { caseId: 'RC-OTHER001' }],
    ['another version', { version: fields.version + 1 }],
  ])('signs afresh for %s', (_label, change) => {
    const signer = new CountingSigner(KEY);
    const verified = { fields, signature: signer.sign(fields) };
    const other = { ...fields, ...change };
    signer.signed = 0;
    expect(signer.signReusing(other, verified)).toBe(new CardSigner(KEY).sign(other));
    expect(signer.signed).toBe(1);
  });

  it('draws the refreshed card of an unchanged case with the click’s own signature, computing none', () => {
    const signer = new CountingSigner(KEY);
    const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), false);
    const signature = signer.sign(fields);
    signer.signed = 0;
    const card = renderCaseCard({ cards, signer, verified: { fields, signature } }, 'approval', c);
    expect(signer.signed).toBe(0);
    expect(JSON.stringify(card.content)).toContain(`"sig":"${signature}"`);
    // Without a verified signature the card is signed once, to the same value.
    const again = renderCaseCard({ cards, signer }, 'approval', c);
    expect(signer.signed).toBe(1);
    expect(again.content).toEqual(card.content);
  });
});
