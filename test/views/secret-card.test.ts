import { join } from 'node:path';
import { CardRenderer } from '../../src/views/card-renderer';
import { secretView, type RevealedSecret } from '../../src/views/secret-view';
import { textsOf } from '../helpers/card-checks';
import { anyActionsOf, inputIdsOf } from './card-queries';
import * as S from './sample-states';

const TAP: RevealedSecret = { kind: 'temporaryAccessPass', value: 'Zk7#pQ2*wR_9x', expiresAt: '2026-11-25T12:00:00Z', isUsableOnce: true };
const PASSWORD: RevealedSecret = { kind: 'password', value: 'Vq3!mK8_tL*2pZ' };

describe('secret card (returned only in the invoke response to the requesting agent)', () => {
  const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), true);

  it.each([
    ['a TAP', TAP],
    ['a temporary password', PASSWORD],
  ])('for %s has no action, no input, no refresh and no select action', (_label, secret) => {
    const card = cards.render('secret', secretView(S.executing(), secret)).content;
    expect(anyActionsOf(card)).toEqual([]);
    expect(inputIdsOf(card)).toEqual([]);
    expect(card.refresh).toBeUndefined();
    expect(card.actions).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('selectAction');
  });

  it('shows a TAP exactly, without Markdown, with its expiry and the case id', () => {
    const card = cards.render('secret', secretView(S.executing(), TAP)).content;
    const texts = textsOf(card);
    expect(texts).toContain('Temporary Access Pass');
    // A TextRun is never Markdown, so * and _ in the pass are shown as typed.
    expect(JSON.stringify(card)).toContain('{"type":"TextRun","text":"Zk7#pQ2*wR_9x","fontType":"Monospace","size":"ExtraLarge","weight":"Bolder"}');
    expect(texts).toContain('Expires 2026-11-25 12:00 UTC');
    expect(texts.join('\n')).toContain('RC-7K2M9QXA');
    expect(texts).toContain('Copy it now; it is not stored and cannot be shown again.');
  });

  it('shows a long TAP whole, at the largest size that keeps it on one line of a phone (test/e2e/card-fit.test.ts)', () => {
    const value = 'Zk7#pQ2*wR_9xL4!vB8@nT3$mH6%cJ1^dF5&gS0*kP2#qW7y';
    expect([8, 17, 18, 23, 24, 30, 31, 48].map((n) => secretView(S.executing(), { ...TAP, value: value.slice(0, n) }).valueSize)).toEqual([
      'ExtraLarge',
      'ExtraLarge',
      'Large',
      'Large',
      'Medium',
      'Medium',
      'Small',
      'Small',
    ]);
    expect(JSON.stringify(cards.render('secret', secretView(S.executing(), { ...TAP, value })).content)).toContain(`"text":"${value}"`);
  });

  it('shows a temporary password with no expiry line', () => {
    const view = secretView(S.executing(), PASSWORD);
    expect(view).toMatchObject({ what: 'Temporary password', value: 'Vq3!mK8_tL*2pZ', hasExpiry: false });
    expect(textsOf(cards.render('secret', view).content).join('\n')).toContain('must change it at their next sign-in');
  });
});
