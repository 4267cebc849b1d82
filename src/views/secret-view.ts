import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import { targetLine } from './case-text';
import { formatUtc } from './format';

/** A secret the bot just created. It exists only for the invoke response to the requesting agent. */
export type RevealedSecret =
  | { readonly kind: 'temporaryAccessPass'; readonly value: string; readonly expiresAt: string; readonly isUsableOnce: boolean }
  | { readonly kind: 'password'; readonly value: string };

export interface SecretView {
  caseId: string;
  what: string;
  target: string;
  value: string;
  /** The value's text size: as large as fits on one line of a phone (see secretSize). */
  valueSize: SecretSize;
  usage: string;
  hasExpiry: boolean;
  expiry: string;
}

export type SecretSize = 'ExtraLarge' | 'Large' | 'Medium' | 'Small';

/**
 * The largest monospace size at which a value of this length stays on one line of a phone-width card, so no character
 * of a secret is ever cut off at the card's edge (a RichTextBlock does not break inside a word; a TextBlock would, but
 * it reads Markdown, which would eat the * and _ of a pass). The lengths are for a 320-pixel card: 256 pixels inside
 * the card's and the emphasis box's padding, at 0.6 em per monospace character. A tenant's TAP is 8 to 48 characters
 * (https://learn.microsoft.com/en-us/graph/api/resources/temporaryAccessPassAuthenticationMethodConfiguration, defaultLength);
 * beyond 35 the Small size fits a chat or channel card but not a phone (test/e2e/card-fit.test.ts lists it).
 */
export function secretSize(length: number): SecretSize {
  if (length <= 17) return 'ExtraLarge';
  if (length <= 23) return 'Large';
  if (length <= 30) return 'Medium';
  return 'Small';
}

/**
 * The secret card's data. The card is returned only in the invoke response to the agent who clicked (never posted,
 * edited into the thread, stored or logged) and has no actions, so nothing it shows can travel back to the bot.
 */
export function secretView(c: RecoveryCase, secret: RevealedSecret): SecretView {
  const base = { caseId: c.id, target: targetLine(c), value: secret.value, valueSize: secretSize(secret.value.length) };
  switch (secret.kind) {
    case 'temporaryAccessPass':
      return {
        ...base,
        what: 'Temporary Access Pass',
        usage: `${secret.isUsableOnce ? 'Usable once' : 'Usable more than once until it expires'}. Give it to the verified user only; they sign in with it and register new methods.`,
        hasExpiry: true,
        expiry: `Expires ${formatUtc(secret.expiresAt)}`,
      };
    case 'password':
      return {
        ...base,
        what: 'Temporary password',
        usage: 'Give it to the verified user only. They must change it at their next sign-in.',
        hasExpiry: false,
        expiry: '',
      };
    default:
      return assertNever(secret);
  }
}
