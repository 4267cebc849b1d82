import type { ApiVersion } from './http-types';
import type { JsonObject } from './json';
import { METHOD_KINDS } from './method-catalog';
import type { AuthMethodsPolicyRecord, StoredMethod, TapMethod } from './tenant-state';

export type TapUsabilityReason = 'EnabledByPolicy' | 'DisabledByPolicy' | 'Expired' | 'NotYetValid' | 'OneTimeUsed';

/** Whether a Temporary Access Pass can be used right now, and Graph's reason. */
export function tapUsability(m: TapMethod, now: Date, policy: AuthMethodsPolicyRecord): { isUsable: boolean; methodUsabilityReason: TapUsabilityReason } {
  const start = Date.parse(m.startDateTime);
  const end = start + m.lifetimeInMinutes * 60_000;
  let reason: TapUsabilityReason = 'EnabledByPolicy';
  if (policy.temporaryAccessPass.state !== 'enabled' || policy.methodStates.TemporaryAccessPass === 'disabled') reason = 'DisabledByPolicy';
  else if (m.isUsableOnce && m.usedDateTime !== null) reason = 'OneTimeUsed';
  else if (now.getTime() < start) reason = 'NotYetValid';
  else if (now.getTime() >= end) reason = 'Expired';
  return { isUsable: reason === 'EnabledByPolicy', methodUsabilityReason: reason };
}

/**
 * The Graph representation of a stored method. Every entity carries `@odata.type`, also in typed collections, so a
 * client can always tell the types apart. Secrets (password, TAP, OATH secret) are always null, as Graph returns them.
 * Every type has authenticationMethod's `createdDateTime` (null where the tenant does not know it: phone and email
 * methods carry none). Properties follow each version's metadata (msgraph-metadata schemas/v1.0-Prod.csdl; beta from
 * schemas/type-mappings/beta-entity-types.json): beta's temporaryAccessPassAuthenticationMethod has no `isUsable` or
 * `methodUsabilityReason`.
 */
export function methodView(m: StoredMethod, now: Date, policy: AuthMethodsPolicyRecord, version: ApiVersion = 'v1.0'): JsonObject {
  // beta's authenticationMethod also has lastUsedDateTime; the simulated tenant does not track use, so it is null.
  const head: JsonObject = { '@odata.type': METHOD_KINDS[m.type].odataType, id: m.id, ...(version === 'beta' ? { lastUsedDateTime: null } : {}) };
  switch (m.type) {
    case 'password':
      return { ...head, password: null, createdDateTime: m.createdDateTime };
    case 'email':
      return { ...head, emailAddress: m.emailAddress, createdDateTime: null };
    case 'phone':
      return { ...head, phoneNumber: m.phoneNumber, phoneType: m.phoneType, smsSignInState: m.smsSignInState, createdDateTime: null };
    case 'fido2':
      // A FIDO2 security key's passkey lives on the key: "deviceBound" (passkeyType, fido2AuthenticationMethod resource).
      // publicKeyCredential is write-only: "only used for write requests ... isn't returned on read operations".
      return {
        ...head,
        displayName: m.displayName,
        createdDateTime: m.createdDateTime,
        aaGuid: m.aaGuid,
        model: m.model,
        attestationCertificates: [],
        attestationLevel: m.attestationLevel,
        passkeyType: 'deviceBound',
      };
    case 'microsoftAuthenticator':
      return { ...head, displayName: m.displayName, deviceTag: m.deviceTag, phoneAppVersion: m.phoneAppVersion, createdDateTime: m.createdDateTime };
    case 'windowsHelloForBusiness':
      return { ...head, displayName: m.displayName, createdDateTime: m.createdDateTime, keyStrength: m.keyStrength };
    case 'softwareOath':
      return { ...head, secretKey: null, createdDateTime: m.createdDateTime };
    case 'temporaryAccessPass':
      return {
        ...head,
        temporaryAccessPass: null,
        createdDateTime: m.createdDateTime,
        startDateTime: m.startDateTime,
        lifetimeInMinutes: m.lifetimeInMinutes,
        isUsableOnce: m.isUsableOnce,
        ...(version === 'v1.0' ? tapUsability(m, now, policy) : {}),
      };
    case 'platformCredential':
      return { ...head, displayName: m.displayName, createdDateTime: m.createdDateTime, keyStrength: m.keyStrength, platform: m.platform };
    case 'externalAuthentication':
      return { ...head, displayName: m.displayName, configurationId: m.configurationId, createdDateTime: m.createdDateTime };
    case 'hardwareOath':
      // The token's name and serial number are on its `device` (a navigation property Graph returns inline, as the list
      // example shows: https://learn.microsoft.com/graph/api/authentication-list-hardwareoathmethods?view=graph-rest-beta);
      // hardwareOathAuthenticationMethod itself has no displayName.
      return {
        ...head,
        createdDateTime: m.createdDateTime,
        device: { id: m.id, displayName: m.displayName, serialNumber: m.serialNumber, manufacturer: m.manufacturer, model: m.model },
      };
    case 'qrCodePin':
      return { ...head, createdDateTime: m.createdDateTime };
  }
}
