import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%&*+-=?@';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/**
 * A temporary password that meets Entra's complexity rule (all four character classes) with room to spare:
 * 16 characters from a cryptographic source, without look-alike characters, so it can be read out on a call.
 */
export function generatePassword(length = 16): string {
  const pick = (set: string): string => set[randomInt(set.length)] ?? '';
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
