import { methodErrors } from './errors';
import { methodForDefault } from './default-method';
import type { DefaultMethod } from './seed-schema';
import type { StoredMethod, UserRecord } from './tenant-state';

/** The concrete method the user's default (userPreferredMethodForSecondaryAuthentication) points at, if any. */
export function defaultMethodOf(user: UserRecord, methods: readonly StoredMethod[]): StoredMethod | undefined {
  const index = methodForDefault(user.userPreferredMethodForSecondaryAuthentication, methods);
  return index < 0 ? undefined : methods[index];
}

/** True when the default value has a registered method to point at ('none' always does). */
export function defaultIsAvailable(preferred: DefaultMethod, methods: readonly StoredMethod[]): boolean {
  return preferred === 'none' || methodForDefault(preferred, methods) >= 0;
}

/**
 * Graph's ordering rules for deleting methods (spec §1.2): `mobile` not while `alternateMobile` exists, and the
 * default method not while any other deletable method exists. Passwords never reach here (no DELETE route).
 */
export function assertDeletable(user: UserRecord, methods: readonly StoredMethod[], target: StoredMethod): void {
  if (target.type === 'phone' && target.phoneType === 'mobile' && methods.some((m) => m.type === 'phone' && m.phoneType === 'alternateMobile')) {
    throw methodErrors.badRequest(
      "A user can't have an alternateMobile number without a mobile number. Delete the alternateMobile phone method first, or update the mobile number instead.",
    );
  }
  if (defaultMethodOf(user, methods) === target && methods.some((m) => m !== target && m.type !== 'password')) {
    throw methodErrors.badRequest('Cannot delete default method with other methods configured. Please change default method before deletion.');
  }
}

/** The strongest registered second factor, which Entra picks when system-preferred MFA is on. */
export function systemPreferredMethod(methods: readonly StoredMethod[]): DefaultMethod {
  const has = (pred: (m: StoredMethod) => boolean): boolean => methods.some(pred);
  if (has((m) => m.type === 'microsoftAuthenticator')) return 'push';
  if (has((m) => m.type === 'softwareOath' || m.type === 'hardwareOath')) return 'oath';
  if (has((m) => m.type === 'phone' && m.phoneType === 'mobile')) return 'sms';
  if (has((m) => m.type === 'phone' && m.phoneType === 'alternateMobile')) return 'voiceAlternateMobile';
  if (has((m) => m.type === 'phone' && m.phoneType === 'office')) return 'voiceOffice';
  return 'none';
}
