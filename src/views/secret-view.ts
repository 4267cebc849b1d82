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
  usage: string;
  hasExpiry: boolean;
  expiry: string;
}

/**
 * The secret card's data. The card is returned only in the invoke response to the agent who clicked (never posted,
 * edited into the thread, stored or logged) and has no actions, so nothing it shows can travel back to the bot.
 */
export function secretView(c: RecoveryCase, secret: RevealedSecret): SecretView {
  const base = { caseId: c.id, target: targetLine(c), value: secret.value };
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
