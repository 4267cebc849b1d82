import type { MethodType } from '../domain/target';

/** "2026-11-24 10:05 UTC": unambiguous for a team spread over time zones, and what the audit log shows. */
export function formatUtc(iso: string | undefined): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'unknown';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
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
