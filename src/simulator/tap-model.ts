import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { methodErrors } from './errors';
import { digest } from './password-policy';
import { methodsOf, type TapMethod, type TenantState, type UserRecord } from './tenant-state';

/** What a pass may be asked for with (temporaryAccessPassAuthenticationMethod create body). */
export const TapRequestSchema = z
  .object({
    startDateTime: z.string().datetime({ offset: true }).optional(),
    lifetimeInMinutes: z.number().int().optional(),
    isUsableOnce: z.boolean().optional(),
  })
  .strict();
export type TapRequest = z.output<typeof TapRequestSchema>;

/** Characters of a generated pass: no look-alikes (0/O, 1/l/I), a few symbols, like Entra's passes. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*+=?';

function generatePass(length: number): string {
  let pass = '';
  for (let i = 0; i < length; i++) pass += ALPHABET.charAt(randomInt(ALPHABET.length));
  return pass;
}

/**
 * The simulated tenant's one way to issue a Temporary Access Pass, whoever asks (an admin through Graph, or Account
 * Recovery at the end of a user's self-service recovery): validated against the tenant's TAP policy; replaces the user's
 * existing pass (one per user). Only a SHA-256 of the pass is kept, so no read can show it. The caller writes the
 * audit record its path writes.
 */
export function issueTap(tenant: TenantState, user: UserRecord, body: TapRequest, now: Date): { method: TapMethod; pass: string; replaced: TapMethod[] } {
  const policy = tenant.authenticationMethodsPolicy;
  const tap = policy.temporaryAccessPass;
  if (tap.state !== 'enabled' || policy.methodStates.TemporaryAccessPass === 'disabled') {
    throw methodErrors.badRequest('Temporary Access Pass is disabled by the authentication methods policy.');
  }
  const lifetime = body.lifetimeInMinutes ?? tap.defaultLifetimeInMinutes;
  if (lifetime < tap.minimumLifetimeInMinutes || lifetime > tap.maximumLifetimeInMinutes) {
    throw methodErrors.badRequest(
      `Invalid LifetimeInMinutes specified. The valid range between ${tap.minimumLifetimeInMinutes} and ${tap.maximumLifetimeInMinutes}.`,
    );
  }
  if (tap.isUsableOnce && body.isUsableOnce === false) {
    throw methodErrors.badRequest('The Temporary Access Pass policy only allows one-time passes: isUsableOnce must be true.');
  }
  const at = now.toISOString();
  const pass = generatePass(tap.defaultLength);
  const method: TapMethod = {
    type: 'temporaryAccessPass',
    id: randomUUID(),
    createdDateTime: at,
    startDateTime: body.startDateTime ? new Date(body.startDateTime).toISOString() : at,
    lifetimeInMinutes: lifetime,
    isUsableOnce: body.isUsableOnce ?? tap.isUsableOnce,
    passHash: digest(pass),
    usedDateTime: null,
  };
  const list = methodsOf(tenant, user.id);
  const replaced = list.filter((m): m is TapMethod => m.type === 'temporaryAccessPass');
  for (const old of replaced) list.splice(list.indexOf(old), 1);
  list.push(method);
  user.registrationUpdatedDateTime = at;
  return { method, pass, replaced };
}
