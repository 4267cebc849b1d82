import type { DefaultMethod } from './seed-schema';

/**
 * Which of `methods` the user's default (userPreferredMethodForSecondaryAuthentication) points at, or -1. Shared by
 * seed validation and the deletion rules, so a seed can never name a default the rules would not recognise.
 */
export function methodForDefault(preferred: DefaultMethod, methods: readonly { type: string; phoneType?: string }[]): number {
  const want: Record<DefaultMethod, (m: { type: string; phoneType?: string }) => boolean> = {
    push: (m) => m.type === 'microsoftAuthenticator',
    oath: (m) => m.type === 'softwareOath' || m.type === 'hardwareOath',
    sms: (m) => m.type === 'phone' && m.phoneType === 'mobile',
    voiceMobile: (m) => m.type === 'phone' && m.phoneType === 'mobile',
    voiceAlternateMobile: (m) => m.type === 'phone' && m.phoneType === 'alternateMobile',
    voiceOffice: (m) => m.type === 'phone' && m.phoneType === 'office',
    none: () => false,
  };
  return methods.findIndex(want[preferred]);
}
