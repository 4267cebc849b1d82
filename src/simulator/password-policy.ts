import { createHash } from 'node:crypto';

/**
 * Entra's cloud password rule: 8 to 256 characters and at least three of lower case, upper case, digits and
 * symbols. (Banned-password lists are not modelled.)
 */
export function isComplexEnough(password: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return classes >= 3;
}

/** A one-way digest, the only trace the simulator keeps of a secret it issued. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
