import type * as Graph from '@microsoft/microsoft-graph-types';
import type { AuthMethod, MethodType } from '../domain/target';

const TYPES: Record<string, MethodType> = {
  '#microsoft.graph.passwordAuthenticationMethod': 'password',
  '#microsoft.graph.phoneAuthenticationMethod': 'phone',
  '#microsoft.graph.emailAuthenticationMethod': 'email',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticator',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusiness',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredential',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOath',
  '#microsoft.graph.hardwareOathAuthenticationMethod': 'hardwareOath',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPass',
  '#microsoft.graph.externalAuthenticationMethod': 'externalAuthentication',
  '#microsoft.graph.qrCodePinAuthenticationMethod': 'qrCodePin',
  '#microsoft.graph.x509CertificateAuthenticationMethod': 'certificateBased',
};

type AnyMethod = Graph.AuthenticationMethod & {
  '@odata.type'?: string;
  phoneNumber?: string | null;
  phoneType?: string | null;
  emailAddress?: string | null;
  displayName?: string | null;
  model?: string | null;
  deviceTag?: string | null;
  platform?: string | null;
  isUsable?: boolean | null;
  lifetimeInMinutes?: number | null;
  startDateTime?: string | null;
  createdDateTime?: string | null;
  /** A hardware OATH method's token: its name is here, not on the method (authentication-list-hardwareoathmethods, beta). */
  device?: { displayName?: string | null } | null;
};

/** Shows only the last digits of a phone number: the thread is read by the whole team. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4 ? '••••' : `+•• ••• ••• ${digits.slice(-4)}`;
}

/** Shows the first letter of the local part and the domain of an address. */
export function maskEmail(address: string): string {
  const at = address.indexOf('@');
  return at <= 0 ? '•••' : `${address[0] ?? ''}•••${address.slice(at)}`;
}

function detailOf(type: MethodType, m: AnyMethod): string {
  switch (type) {
    case 'phone':
      return `${m.phoneType ?? 'phone'} ${m.phoneNumber ? maskPhone(m.phoneNumber) : ''}`.trim();
    case 'email':
      return m.emailAddress ? maskEmail(m.emailAddress) : 'email';
    case 'fido2':
      return m.displayName ?? m.model ?? 'security key';
    case 'microsoftAuthenticator':
      return m.displayName ?? m.deviceTag ?? 'Authenticator app';
    case 'windowsHelloForBusiness':
    case 'platformCredential':
      return m.displayName ?? m.platform ?? 'device';
    case 'temporaryAccessPass':
      return `${m.isUsable ? 'usable' : 'not usable'}${m.lifetimeInMinutes ? `, ${m.lifetimeInMinutes} min` : ''}`;
    case 'password':
      return 'password';
    case 'softwareOath':
      return 'software OATH token';
    case 'hardwareOath':
      return m.device?.displayName ?? 'hardware OATH token';
    case 'externalAuthentication':
      return m.displayName ?? 'external method';
    case 'qrCodePin':
      return 'QR code + PIN';
    case 'certificateBased':
      return 'certificate';
    case 'unknown':
      return m['@odata.type'] ?? 'unknown method';
  }
}

export function toAuthMethod(m: AnyMethod): AuthMethod {
  const type = TYPES[m['@odata.type'] ?? ''] ?? 'unknown';
  const base = { id: m.id ?? '', type, detail: detailOf(type, m) };
  return m.createdDateTime ? { ...base, createdDateTime: m.createdDateTime } : base;
}

export type { AnyMethod };
