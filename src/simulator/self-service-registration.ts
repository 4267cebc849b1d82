import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { modified, writeAudit, type AuditInput } from './audit-writer';
import { methodErrors } from './errors';
import { methodLabel } from './method-catalog';
import { PHONE_METHOD_IDS } from './seed-schema';
import { methodsOf, type StoredMethod, type TenantState, type UserRecord } from './tenant-state';

export const REGISTRABLE_TYPES = ['fido2', 'microsoftAuthenticator', 'phone', 'email', 'softwareOath', 'windowsHelloForBusiness'] as const;
type RegistrableType = (typeof REGISTRABLE_TYPES)[number];

export const RegisterMethodSchema = z
  .object({
    type: z.enum(REGISTRABLE_TYPES),
    displayName: z.string().min(1).max(256).optional(),
    phoneNumber: z.string().optional(),
    emailAddress: z.string().optional(),
    /** Where the user registers from; the audit record's initiatedBy.user.ipAddress. */
    ipAddress: z.string().min(1).default('198.51.100.23'),
  })
  .strict();
export type RegisterMethodInput = z.output<typeof RegisterMethodSchema>;

type Field = 'displayName' | 'phoneNumber' | 'emailAddress';
const FIELDS: Readonly<Record<RegistrableType, readonly Field[]>> = {
  fido2: ['displayName'],
  microsoftAuthenticator: ['displayName'],
  windowsHelloForBusiness: ['displayName'],
  phone: ['phoneNumber'],
  email: ['emailAddress'],
  softwareOath: [],
};

/** The authentication-methods-policy configurations that allow the type (any one enabled is enough). */
const POLICY: Readonly<Record<RegistrableType, readonly string[]>> = {
  fido2: ['Fido2'],
  microsoftAuthenticator: ['MicrosoftAuthenticator'],
  phone: ['Sms', 'Voice'],
  email: ['Email'],
  softwareOath: ['SoftwareOath'],
  windowsHelloForBusiness: [],
};

const PHONE_NUMBER = /^\+\d[\d ]{6,20}$/;
/** YubiKey 5 NFC, the key the demo hands out. */
const DEMO_KEY = { model: 'YubiKey 5 NFC', aaGuid: 'fa2b99dc-9e39-4257-8f92-4a30d23c4118' } as const;

function check(state: TenantState, user: UserRecord, input: RegisterMethodInput): void {
  for (const field of ['displayName', 'phoneNumber', 'emailAddress'] as const) {
    if (input[field] !== undefined && !FIELDS[input.type].includes(field)) throw methodErrors.badRequest(`${field} does not apply to a ${input.type} method.`);
  }
  const states = state.authenticationMethodsPolicy.methodStates as Readonly<Record<string, string | undefined>>;
  const configs = POLICY[input.type];
  if (configs.length > 0 && configs.every((c) => states[c] === 'disabled'))
    throw methodErrors.badRequest(`The ${input.type} method is disabled by the authentication methods policy.`);
  const methods = methodsOf(state, user.id);
  if (input.type === 'phone') {
    if (input.phoneNumber === undefined || !PHONE_NUMBER.test(input.phoneNumber))
      throw methodErrors.badRequest('phoneNumber is required, in the form "+1 425 555 0100".');
    if (methods.some((m) => m.type === 'phone' && m.phoneType === 'mobile'))
      throw methodErrors.badRequest('The user already has a mobile phone method. Delete it (or update its number) first.');
  }
  if (input.type === 'email') {
    if (input.emailAddress === undefined || !z.string().email().safeParse(input.emailAddress).success)
      throw methodErrors.badRequest('emailAddress is required and must be an email address.');
    if (methods.some((m) => m.type === 'email')) throw methodErrors.badRequest('The user already has an email method. Delete it first.');
  }
}

function build(input: RegisterMethodInput, now: string): StoredMethod {
  switch (input.type) {
    case 'fido2':
      return {
        type: 'fido2',
        id: randomBytes(24).toString('base64url'),
        displayName: input.displayName ?? 'Security key',
        ...DEMO_KEY,
        attestationLevel: 'attested',
        createdDateTime: now,
      };
    case 'microsoftAuthenticator':
      return {
        type: 'microsoftAuthenticator',
        id: randomUUID(),
        displayName: input.displayName ?? 'iPhone 15',
        deviceTag: 'SoftwareTokenActivated',
        phoneAppVersion: '6.8.14',
        createdDateTime: now,
      };
    case 'windowsHelloForBusiness':
      return {
        type: 'windowsHelloForBusiness',
        id: randomBytes(24).toString('base64url'),
        displayName: input.displayName ?? 'DESKTOP-DEMO',
        keyStrength: 'normal',
        createdDateTime: now,
      };
    case 'softwareOath':
      return { type: 'softwareOath', id: randomUUID(), createdDateTime: now };
    case 'phone':
      return { type: 'phone', id: PHONE_METHOD_IDS.mobile, phoneType: 'mobile', phoneNumber: input.phoneNumber ?? '', smsSignInState: 'notEnabled' };
    case 'email':
      return { type: 'email', id: randomUUID(), emailAddress: input.emailAddress ?? '' };
  }
}

/** The record Entra writes: security info registered by the user; Windows Hello comes from device registration. */
function auditOf(user: UserRecord, method: StoredMethod, ipAddress: string): AuditInput {
  const initiatedBy = { user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, ipAddress } };
  const target = { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  if (method.type === 'windowsHelloForBusiness') {
    return {
      activityDisplayName: 'Add Windows Hello for Business credential',
      loggedByService: 'Device Registration Service',
      operationType: 'Add',
      initiatedBy,
      target: { ...target, modifiedProperties: [modified('DeviceName', undefined, method.displayName)] },
      additionalDetails: [
        { key: 'MethodType', value: method.type },
        { key: 'DeviceName', value: method.displayName },
      ],
    };
  }
  const label = methodLabel(method);
  const phone = method.type === 'phone' ? [modified('PhoneType', undefined, method.phoneType)] : [];
  return {
    activityDisplayName: 'User registered security info',
    loggedByService: 'Authentication Methods',
    operationType: 'Add',
    resultReason: `User registered ${label} method`,
    initiatedBy,
    target: { ...target, modifiedProperties: [modified('MethodType', undefined, method.type), ...phone] },
    additionalDetails: [
      { key: 'MethodType', value: method.type },
      { key: 'MethodId', value: method.id },
      { key: 'Method', value: label },
      ...(method.type === 'phone' ? [{ key: 'PhoneType', value: method.phoneType }] : []),
    ],
  };
}

/**
 * The user adds a method at the security-info page (https://mysignins.microsoft.com/security-info). How they got
 * there is not checked: a spent one-time TAP or no usable method at all does not stop them here.
 */
export function registerMethod(state: TenantState, user: UserRecord, input: RegisterMethodInput, now: Date): StoredMethod {
  check(state, user, input);
  const method = build(input, now.toISOString());
  methodsOf(state, user.id).push(method);
  user.registrationUpdatedDateTime = now.toISOString();
  writeAudit({ tenant: state, now, clientRequestId: '' }, auditOf(user, method, input.ipAddress));
  return method;
}
