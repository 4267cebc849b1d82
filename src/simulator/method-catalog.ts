import type { MethodType } from './seed-schema';
import type { StoredMethod } from './tenant-state';

export interface MethodKind {
  /** `@odata.type` of the entity. */
  readonly odataType: string;
  /** Navigation property under /users/{id}/authentication (a singleton for qrCodePinMethod). */
  readonly navigation: string;
  /** How audit records name the method ("Admin deleted {label} method for user"). */
  readonly label: string;
  /** The navigation property exists in beta only. */
  readonly betaOnly: boolean;
  /**
   * The entity type exists in v1.0 metadata, so v1.0 `/authentication/methods` can return it. hardwareOath is beta only
   * (type and navigation); qrCodePin has a v1.0 type but a beta-only navigation property. Source: msgraph-metadata
   * schemas/v1.0-Prod.csdl (derived types of authenticationMethod) and schemas/type-mappings/beta-entity-types.json.
   */
  readonly inV1: boolean;
  readonly singleton: boolean;
}

/** Every method type the simulator knows, with Graph's names for it (spec §1.1). */
export const METHOD_KINDS: Readonly<Record<MethodType, MethodKind>> = {
  password: {
    odataType: '#microsoft.graph.passwordAuthenticationMethod',
    navigation: 'passwordMethods',
    label: 'Password',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  email: { odataType: '#microsoft.graph.emailAuthenticationMethod', navigation: 'emailMethods', label: 'Email', betaOnly: false, inV1: true, singleton: false },
  phone: { odataType: '#microsoft.graph.phoneAuthenticationMethod', navigation: 'phoneMethods', label: 'Phone', betaOnly: false, inV1: true, singleton: false },
  fido2: {
    odataType: '#microsoft.graph.fido2AuthenticationMethod',
    navigation: 'fido2Methods',
    label: 'FIDO2 Security Key',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  microsoftAuthenticator: {
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    navigation: 'microsoftAuthenticatorMethods',
    label: 'Microsoft Authenticator App',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  windowsHelloForBusiness: {
    odataType: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
    navigation: 'windowsHelloForBusinessMethods',
    label: 'Windows Hello for Business',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  softwareOath: {
    odataType: '#microsoft.graph.softwareOathAuthenticationMethod',
    navigation: 'softwareOathMethods',
    label: 'Software OATH token',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  temporaryAccessPass: {
    odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    navigation: 'temporaryAccessPassMethods',
    label: 'temporary access pass',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  platformCredential: {
    odataType: '#microsoft.graph.platformCredentialAuthenticationMethod',
    navigation: 'platformCredentialMethods',
    label: 'Platform Credential',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  externalAuthentication: {
    odataType: '#microsoft.graph.externalAuthenticationMethod',
    navigation: 'externalAuthenticationMethods',
    label: 'External Authentication Method',
    betaOnly: false,
    inV1: true,
    singleton: false,
  },
  hardwareOath: {
    odataType: '#microsoft.graph.hardwareOathAuthenticationMethod',
    navigation: 'hardwareOathMethods',
    label: 'Hardware OATH token',
    betaOnly: true,
    inV1: false,
    singleton: false,
  },
  qrCodePin: {
    odataType: '#microsoft.graph.qrCodePinAuthenticationMethod',
    navigation: 'qrCodePinMethod',
    label: 'QR code PIN',
    betaOnly: true,
    inV1: true,
    singleton: true,
  },
};

const PHONE_LABELS = { mobile: 'Mobile Phone', alternateMobile: 'Alternate Mobile Phone', office: 'Office Phone' } as const;

/** The label audit records use for this particular method (phones by their type). */
export function methodLabel(m: StoredMethod): string {
  return m.type === 'phone' ? PHONE_LABELS[m.phoneType] : METHOD_KINDS[m.type].label;
}
