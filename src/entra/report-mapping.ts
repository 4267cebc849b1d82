import type * as Graph from '@microsoft/microsoft-graph-types';
import type { RegistrationDetails, TapPolicy } from '../ports/directory';

/** A user's row of the authentication-methods registration report. */
export function toRegistrationDetails(d: Graph.UserRegistrationDetails): RegistrationDetails {
  const preferred = d.userPreferredMethodForSecondaryAuthentication;
  return {
    isMfaRegistered: d.isMfaRegistered ?? false,
    isMfaCapable: d.isMfaCapable ?? false,
    isSsprRegistered: d.isSsprRegistered ?? false,
    isSsprEnabled: d.isSsprEnabled ?? false,
    isPasswordlessCapable: d.isPasswordlessCapable ?? false,
    methodsRegistered: d.methodsRegistered ?? [],
    ...(preferred ? { userPreferredMethodForSecondaryAuthentication: preferred } : {}),
  };
}

/** The TAP method configuration. Graph always returns the numbers; the fallbacks are the portal's defaults. */
export function toTapPolicy(p: Graph.TemporaryAccessPassAuthenticationMethodConfiguration): TapPolicy {
  return {
    enabled: p.state === 'enabled',
    minimumLifetimeInMinutes: p.minimumLifetimeInMinutes ?? 60,
    maximumLifetimeInMinutes: p.maximumLifetimeInMinutes ?? 480,
    defaultLifetimeInMinutes: p.defaultLifetimeInMinutes ?? 60,
    isUsableOnce: p.isUsableOnce ?? false,
  };
}
