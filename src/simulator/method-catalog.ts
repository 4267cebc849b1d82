import type { MethodType } from './seed-schema';
import type { StoredMethod } from './tenant-state';

export interface MethodKind {
  /** `@odata.type` of the entity. */
  readonly odataType: string;
  /** Navigation property under /users/{id}/authentication (a singleton for qrCodePinMethod). */
  readonly navigation: string;
  /** How audit records name the method ("Admin deleted {label} method for user"). */
  readonly label: string;
  readonly betaOnly: boolean;
  readonly singleton: boolean;
}

/** Every method type the simulator knows, with Graph's names for it (spec §1.1). */
export const METHOD_KINDS: Readonly<Record<MethodType, MethodKind>> = {
  password: { odataType: '#microsoft.graph.passwordAuthenticationMethod', navigation: 'passwordMethods', label: 'Password', betaOnly: false, singleton: false },
  email: { odataType: '#microsoft.graph.emailAuthenticationMethod', navigation: 'emailMethods', label: 'Email', betaOnly: false, singleton: false },
  phone: { odataType: '#microsoft.graph.phoneAuthenticationMethod', navigation: 'phoneMethods', label: 'Phone', betaOnly: false, singleton: false },
  fido2: { odataType: '#microsoft.graph.fido2AuthenticationMethod', navigation: 'fido2Methods', label: 'FIDO2 Security Key', betaOnly: false, singleton: false },
  microsoftAuthenticator: {
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    navigation: 'microsoftAuthenticatorMethods',
    label: 'Microsoft Authenticator App',
    betaOnly: false,
    singleton: false,
  },
  windowsHelloForBusiness: {
    odataType: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
    navigation: 'windowsHelloForBusinessMethods',
    label: 'Windows Hello for Business',
    betaOnly: false,
    singleton: false,
  },
  softwareOath: { odataType: '#microsoft.graph.softwareOathAuthenticationMethod', navigation: 'softwareOathMethods', label: 'Software OATH token', betaOnly: false, singleton: false },
  temporaryAccessPass: {
    odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    navigation: 'temporaryAccessPassMethods',
    label: 'temporary access pass',
    betaOnly: false,
    singleton: false,
  },
  platformCredential: {
    odataType: '#microsoft.graph.platformCredentialAuthenticationMethod',
    navigation: 'platformCredentialMethods',
    label: 'Platform Credential',
    betaOnly: false,
    singleton: false,
  },
  externalAuthentication: {
    odataType: '#microsoft.graph.externalAuthenticationMethod',
    navigation: 'externalAuthenticationMethods',
    label: 'External Authentication Method',
    betaOnly: false,
    singleton: false,
  },
  hardwareOath: { odataType: '#microsoft.graph.hardwareOathAuthenticationMethod', navigation: 'hardwareOathMethods', label: 'Hardware OATH token', betaOnly: true, singleton: false },
  qrCodePin: { odataType: '#microsoft.graph.qrCodePinAuthenticationMethod', navigation: 'qrCodePinMethod', label: 'QR code PIN', betaOnly: true, singleton: true },
};

const PHONE_LABELS = { mobile: 'Mobile Phone', alternateMobile: 'Alternate Mobile Phone', office: 'Office Phone' } as const;

/** The label audit records use for this particular method (phones by their type). */
export function methodLabel(m: StoredMethod): string {
  return m.type === 'phone' ? PHONE_LABELS[m.phoneType] : METHOD_KINDS[m.type].label;
}
