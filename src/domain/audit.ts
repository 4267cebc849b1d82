import type { MethodType } from './target';

/** Who did something, as the directory audit log records it. */
export type AuditActor =
  | { readonly kind: 'user'; readonly id: string; readonly userPrincipalName?: string; readonly displayName?: string; readonly ipAddress?: string }
  | { readonly kind: 'app'; readonly appId: string; readonly displayName?: string; readonly servicePrincipalId?: string }
  | { readonly kind: 'unknown' };

/** One directory audit record, reduced to what triage needs. */
export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly activity: string;
  readonly category?: string;
  readonly loggedByService?: string;
  readonly result: string;
  readonly resultReason?: string;
  readonly actor: AuditActor;
  /** Free text from modifiedProperties and additionalDetails, for recognising the method type. */
  readonly details: readonly string[];
  readonly targetIds: readonly string[];
  /** Last known profile values (from Add/Update user records), used to prefill a recreation. */
  readonly modifiedProperties?: readonly { readonly name: string; readonly newValue?: string }[];
}

export interface SignInEvent {
  readonly at: string;
  readonly success: boolean;
  readonly ipAddress?: string;
  readonly riskLevel?: string;
  readonly appDisplayName?: string;
  readonly conditionalAccessStatus?: string;
  readonly appliedPolicies?: readonly { readonly displayName: string; readonly result: string }[];
}

export type ChangeKind =
  | 'methodAdded'
  | 'methodRemoved'
  | 'methodChanged'
  | 'userCreated'
  | 'userUpdated'
  | 'userDeleted'
  | 'userRestored'
  | 'userHardDeleted'
  | 'passwordReset'
  | 'sessionsRevoked'
  | 'accountDisabled'
  | 'accountEnabled';

/**
 * The activities the guidance names (which do not exist in Entra's audit reference) and the real Entra activity
 * names that mean the same thing (see the Graph spec §5), with what each one changes.
 */
export const RELEVANT_ACTIVITIES: Readonly<Record<string, ChangeKind>> = {
  // The guidance's names, kept so third-party or future logs that use them are understood.
  'Update user authentication methods': 'methodChanged',
  'Delete user authentication method': 'methodRemoved',
  'Add user authentication method': 'methodAdded',
  'Admin adds user authentication method': 'methodAdded',
  // Authentication Methods service.
  'Admin registered security info': 'methodAdded',
  'Admin updated security info': 'methodChanged',
  'Admin deleted security info': 'methodRemoved',
  'User registered security info': 'methodAdded',
  'User updated security info': 'methodChanged',
  'User deleted security info': 'methodRemoved',
  'User changed default security info': 'methodChanged',
  'Admin started password reset': 'passwordReset',
  // Device Registration Service.
  'Add FIDO2 security key': 'methodAdded',
  'Delete FIDO2 security key(s)': 'methodRemoved',
  'Add Windows Hello for Business credential': 'methodAdded',
  'Delete Windows Hello for Business credential': 'methodRemoved',
  'Add passwordless phone sign-in credential': 'methodAdded',
  'Delete passwordless phone sign-in credential': 'methodRemoved',
  'Add platform credential': 'methodAdded',
  'Delete platform credential': 'methodRemoved',
  // Core Directory.
  'Add user': 'userCreated',
  'Update user': 'userUpdated',
  'Delete user': 'userDeleted',
  'Restore user': 'userRestored',
  'Hard Delete user': 'userHardDeleted',
  'Reset password': 'passwordReset',
  'Change user password': 'passwordReset',
  'Set force change user password': 'passwordReset',
  'Reset password (by admin)': 'passwordReset',
  'Disable account': 'accountDisabled',
  'Enable account': 'accountEnabled',
  'Update StsRefreshTokenValidFrom Timestamp': 'sessionsRevoked',
  'Enable Strong Authentication': 'methodChanged',
  'Disable Strong Authentication': 'methodChanged',
  'Add users strong authentication phone app detail': 'methodAdded',
  'Remove users strong authentication phone app detail': 'methodRemoved',
};

export function changeKindOf(activity: string): ChangeKind | undefined {
  return RELEVANT_ACTIVITIES[activity];
}

const METHOD_WORDS: ReadonlyArray<readonly [RegExp, MethodType]> = [
  [/temporary access pass|\btap\b/i, 'temporaryAccessPass'],
  [/fido|passkey|security key/i, 'fido2'],
  [/windows hello/i, 'windowsHelloForBusiness'],
  [/platform credential|platform sso/i, 'platformCredential'],
  [/authenticator|phone app|push|passwordless phone/i, 'microsoftAuthenticator'],
  [/hardware oath|hardware token/i, 'hardwareOath'],
  [/oath|software token|one-time passcode/i, 'softwareOath'],
  [/\bphone\b|mobile|sms|voice/i, 'phone'],
  [/e-?mail/i, 'email'],
  [/certificate/i, 'certificateBased'],
  [/external/i, 'externalAuthentication'],
  [/password/i, 'password'],
];

/** The authentication method a record is about, recognised from its activity, reason and details. */
export function methodTypeOf(event: AuditEvent): MethodType | undefined {
  const text = [event.activity, event.resultReason ?? '', ...event.details].join(' | ');
  for (const [pattern, type] of METHOD_WORDS) if (pattern.test(text)) return type;
  return undefined;
}
