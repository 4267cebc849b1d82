/** Crockford base32 without I, L, O, U: readable aloud, typeable, unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Formats random bytes (from the shell) as a case id such as `RC-7K2M9QXA`. */
export function formatCaseId(randomBytes: Uint8Array): string {
  if (randomBytes.length < 8) throw new Error('formatCaseId needs 8 random bytes');
  let id = 'RC-';
  for (let i = 0; i < 8; i++) id += ALPHABET[(randomBytes[i] ?? 0) % 32];
  return id;
}
