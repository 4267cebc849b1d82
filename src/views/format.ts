import type { MethodType } from '../domain/target';
import { formatTime } from '../domain/time-text';

export { formatTime };

/** "2026-11-24 10:05 UTC": the formatter in UTC, for cards not yet given the configured zone. */
export function formatUtc(iso: string | undefined): string {
  return formatTime(iso, 'UTC');
}

const METHOD_LABELS: Record<MethodType, string> = {
  password: 'Password',
  phone: 'Phone (SMS or voice)',
  email: 'Email',
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'FIDO2 security key / passkey',
  windowsHelloForBusiness: 'Windows Hello for Business',
  platformCredential: 'Platform SSO (macOS)',
  softwareOath: 'OATH software token',
  hardwareOath: 'OATH hardware token',
  temporaryAccessPass: 'Temporary Access Pass',
  externalAuthentication: 'External authentication method',
  qrCodePin: 'QR code + PIN',
  certificateBased: 'Certificate-based authentication',
  unknown: 'Other method',
};

export function methodLabel(type: MethodType): string {
  return METHOD_LABELS[type];
}
