import { DEFAULT_DEMO_CLIENT_SECRET, DEFAULT_GRANTED_PERMISSIONS, DEFAULT_VERIFIED_ID_PERMISSIONS, PERMISSION_NAME } from './auth/demo-app';
import { z } from 'zod';

/**
 * The shape of a simulated tenant's seed (src/simulator/seed/demo-tenant.json, or a test's own). Validated at start
 * so that a typo in the demo data fails loudly with a path instead of showing up later as a strange Graph answer.
 */

export const PHONE_METHOD_IDS = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
} as const;

export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID');

export const SeedTimeSchema = z.union([
  z.object({ daysAgo: z.number().int().min(0).max(3650), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'HH:MM:SS') }).strict(),
  z.string().datetime({ offset: true }),
]);

export const DEFAULT_METHOD_VALUES = ['push', 'oath', 'voiceMobile', 'voiceAlternateMobile', 'voiceOffice', 'sms', 'none'] as const;
export const DefaultMethodSchema = z.enum(DEFAULT_METHOD_VALUES);
export type DefaultMethod = z.infer<typeof DefaultMethodSchema>;

const keyStrength = z.enum(['normal', 'weak', 'unknown']).default('normal');

const MethodSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), id: guid, emailAddress: z.string().email() }).strict(),
  z
    .object({
      type: z.literal('phone'),
      id: guid,
      phoneType: z.enum(['mobile', 'alternateMobile', 'office']),
      phoneNumber: z.string().regex(/^\+\d[\d ]{6,20}$/, 'an E.164-style number such as "+1 425 555 0104"'),
      smsSignInState: z.enum(['notAllowedByPolicy', 'notEnabled', 'notSupported', 'notConfigured', 'ready']).default('notEnabled'),
    })
    .strict(),
  z
    .object({
      type: z.literal('fido2'),
      id: z.string().min(1),
      displayName: z.string(),
      model: z.string(),
      aaGuid: guid,
      attestationLevel: z.enum(['attested', 'notAttested']).default('attested'),
      createdDateTime: SeedTimeSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('microsoftAuthenticator'),
      id: z.string().min(1),
      displayName: z.string(),
      deviceTag: z.string().default('SoftwareTokenActivated'),
      phoneAppVersion: z.string(),
      createdDateTime: SeedTimeSchema,
    })
    .strict(),
  z
    .object({ type: z.literal('windowsHelloForBusiness'), id: z.string().min(1), displayName: z.string(), keyStrength, createdDateTime: SeedTimeSchema })
    .strict(),
  z.object({ type: z.literal('softwareOath'), id: z.string().min(1), createdDateTime: SeedTimeSchema }).strict(),
  z
    .object({
      type: z.literal('temporaryAccessPass'),
      id: z.string().min(1),
      createdDateTime: SeedTimeSchema,
      startDateTime: SeedTimeSchema,
      lifetimeInMinutes: z.number().int().min(10).max(43200),
      isUsableOnce: z.boolean(),
      /** SHA-256 of the pass; never the pass itself. Seeded passes have none: nobody knows them. */
      passHash: z.string().nullable().default(null),
      usedDateTime: SeedTimeSchema.nullable().default(null),
    })
    .strict(),
  z
    .object({
      type: z.literal('platformCredential'),
      id: z.string().min(1),
      displayName: z.string(),
      platform: z.enum(['unknown', 'windows', 'macOS', 'iOS', 'android', 'linux']),
      keyStrength,
      createdDateTime: SeedTimeSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('externalAuthentication'),
      id: z.string().min(1),
      displayName: z.string(),
      configurationId: z.string().min(1),
      createdDateTime: SeedTimeSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('hardwareOath'),
      id: z.string().min(1),
      displayName: z.string(),
      serialNumber: z.string(),
      manufacturer: z.string(),
      model: z.string(),
      createdDateTime: SeedTimeSchema,
    })
    .strict(),
  z.object({ type: z.literal('qrCodePin'), id: z.string().min(1), createdDateTime: SeedTimeSchema }).strict(),
]);
export type SeedMethod = z.output<typeof MethodSchema>;
export type MethodType = SeedMethod['type'] | 'password';

/**
 * One daily Microsoft Entra Backup and Recovery snapshot of a user's authentication methods (Entra keeps daily
 * backups for 5 days). Only what a restore can bring back matters here; the password is never part of it.
 */
const BackupSnapshotSchema = z.object({ snapshotAt: SeedTimeSchema, methods: z.array(MethodSchema) }).strict();
export type SeedBackupSnapshot = z.output<typeof BackupSnapshotSchema>;

const UserSchema = z
  .object({
    id: guid,
    displayName: z.string().min(1),
    givenName: z.string().nullable().default(null),
    surname: z.string().nullable().default(null),
    userPrincipalName: z.string().email(),
    mail: z.string().email().nullable().default(null),
    mailNickname: z.string().min(1),
    jobTitle: z.string().nullable().default(null),
    department: z.string().nullable().default(null),
    officeLocation: z.string().nullable().default(null),
    mobilePhone: z.string().nullable().default(null),
    businessPhones: z.array(z.string()).default([]),
    /** Graph's `otherMails`: the user's alternate email addresses (the bot tells the user of a recovery there). */
    otherMails: z.array(z.string().email()).default([]),
    preferredLanguage: z.string().nullable().default('en-US'),
    usageLocation: z.string().nullable().default('US'),
    accountEnabled: z.boolean().default(true),
    userType: z.enum(['Member', 'Guest']).default('Member'),
    onPremisesSyncEnabled: z.boolean().nullable().default(null),
    createdDateTime: SeedTimeSchema,
    lastPasswordChangeDateTime: SeedTimeSchema,
    userPreferredMethodForSecondaryAuthentication: DefaultMethodSchema,
    isSystemPreferredAuthenticationMethodEnabled: z.boolean().default(false),
    /** Present for a soft-deleted user (in deleted items); the seed gives the original UPN. */
    deletedDateTime: SeedTimeSchema.optional(),
    methods: z.array(MethodSchema).default([]),
    /** The user's methods as of the last daily backup: one snapshot, or several (at most 5, Entra's retention). */
    backup: z.union([BackupSnapshotSchema, z.array(BackupSnapshotSchema).min(1).max(5)]).optional(),
  })
  .strict();
export type SeedUser = z.output<typeof UserSchema>;

const GroupSchema = z
  .object({
    id: guid,
    displayName: z.string().min(1),
    description: z.string().nullable().default(null),
    mailNickname: z.string().min(1),
    securityEnabled: z.boolean().default(true),
    mailEnabled: z.boolean().default(false),
    isAssignableToRole: z.boolean().default(false),
    createdDateTime: SeedTimeSchema,
    /** User or group object ids: nested groups are how transitive membership is modelled. */
    members: z.array(guid).default([]),
  })
  .strict();

const RoleDefinitionSchema = z
  .object({
    id: guid,
    displayName: z.string().min(1),
    description: z.string(),
    isBuiltIn: z.boolean().default(true),
    allowedResourceActions: z.array(z.string()).default([]),
  })
  .strict();

const RoleAssignmentSchema = z.object({ id: z.string().min(1), principalId: guid, roleDefinitionId: guid, directoryScopeId: z.string().default('/') }).strict();

/** A PIM eligibility (unifiedRoleEligibilitySchedule): the principal may activate the role; it is not active until then. */
const RoleEligibilitySchema = z
  .object({
    id: z.string().min(1),
    principalId: guid,
    roleDefinitionId: guid,
    directoryScopeId: z.string().default('/'),
    createdDateTime: SeedTimeSchema,
    /** When the eligibility ends; null for "permanently eligible". */
    endDateTime: SeedTimeSchema.nullable().default(null),
  })
  .strict();

/**
 * An eligible membership or ownership of a group through PIM for Groups: the principal can activate it at any time
 * (https://learn.microsoft.com/graph/api/resources/privilegedaccessgroupeligibilityscheduleinstance).
 */
const GroupEligibilitySchema = z
  .object({
    id: z.string().min(1),
    principalId: guid,
    groupId: guid,
    accessId: z.enum(['member', 'owner']).default('member'),
    createdDateTime: SeedTimeSchema,
    /** When the eligibility ends; null for "permanently eligible". */
    endDateTime: SeedTimeSchema.nullable().default(null),
  })
  .strict();

/** A Conditional Access authentication context (c1…c99), as protected actions and policies name it. */
const AuthenticationContextSchema = z
  .object({
    id: z.string().regex(/^c([1-9]|[1-9]\d)$/, 'c1 to c99'),
    displayName: z.string().min(1),
    description: z.string().default(''),
    isAvailable: z.boolean().default(true),
  })
  .strict();

const TapPolicySchema = z
  .object({
    state: z.enum(['enabled', 'disabled']).default('enabled'),
    defaultLifetimeInMinutes: z.number().int().min(10).max(43200).default(60),
    minimumLifetimeInMinutes: z.number().int().min(10).max(43200).default(60),
    maximumLifetimeInMinutes: z.number().int().min(10).max(43200).default(480),
    isUsableOnce: z.boolean().default(false),
    defaultLength: z.number().int().min(8).max(48).default(8),
  })
  .strict()
  .refine((p) => p.minimumLifetimeInMinutes <= p.defaultLifetimeInMinutes && p.defaultLifetimeInMinutes <= p.maximumLifetimeInMinutes, {
    message: 'minimumLifetimeInMinutes <= defaultLifetimeInMinutes <= maximumLifetimeInMinutes',
  });
export type TapPolicy = z.output<typeof TapPolicySchema>;

export const METHOD_CONFIGURATION_IDS = [
  'Fido2',
  'MicrosoftAuthenticator',
  'Sms',
  'Voice',
  'Email',
  'SoftwareOath',
  'HardwareOath',
  'TemporaryAccessPass',
  'X509Certificate',
  'QRCodePin',
] as const;

const AuthMethodsPolicySchema = z
  .object({
    lastModifiedDateTime: SeedTimeSchema,
    methodStates: z.record(z.enum(METHOD_CONFIGURATION_IDS), z.enum(['enabled', 'disabled'])),
    temporaryAccessPass: TapPolicySchema,
    sspr: z.object({ enabled: z.boolean(), requiredMethods: z.union([z.literal(1), z.literal(2)]) }).strict(),
  })
  .strict();

const idList = z.array(z.string()).default([]);
const CaPolicySchema = z
  .object({
    id: guid,
    displayName: z.string().min(1),
    state: z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
    createdDateTime: SeedTimeSchema,
    modifiedDateTime: SeedTimeSchema.nullable().default(null),
    conditions: z
      .object({
        users: z
          .object({ includeUsers: idList, excludeUsers: idList, includeGroups: idList, excludeGroups: idList, includeRoles: idList, excludeRoles: idList })
          .strict(),
        applications: z
          .object({ includeApplications: idList, excludeApplications: idList, includeUserActions: idList, includeAuthenticationContextClassReferences: idList })
          .strict(),
        clientAppTypes: z.array(z.enum(['all', 'browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'easSupported', 'other'])),
        locations: z.object({ includeLocations: idList, excludeLocations: idList }).strict().nullable().default(null),
        signInRiskLevels: idList,
        userRiskLevels: idList,
      })
      .strict(),
    grantControls: z
      .object({
        operator: z.enum(['OR', 'AND']),
        builtInControls: z.array(
          z.enum(['block', 'mfa', 'compliantDevice', 'domainJoinedDevice', 'approvedApplication', 'compliantApplication', 'passwordChange']),
        ),
        authenticationStrength: z.object({ id: z.string(), displayName: z.string() }).strict().nullable().default(null),
      })
      .strict(),
  })
  .strict();

const AuditUserSchema = z
  .object({ id: guid, displayName: z.string().nullable(), userPrincipalName: z.string().nullable(), ipAddress: z.string().nullable().default(null) })
  .strict();
const AuditAppSchema = z
  .object({
    appId: guid.nullable(),
    displayName: z.string().nullable(),
    servicePrincipalId: guid.nullable(),
    servicePrincipalName: z.string().nullable().default(null),
  })
  .strict();

const AuditSchema = z
  .object({
    id: z.string().min(1),
    activityDateTime: SeedTimeSchema,
    activityDisplayName: z.string().min(1),
    category: z.string().min(1),
    loggedByService: z.string().min(1),
    operationType: z.string().min(1),
    result: z.enum(['success', 'failure', 'timeout']).default('success'),
    resultReason: z.string().default(''),
    correlationId: guid,
    initiatedBy: z.union([z.object({ user: AuditUserSchema }).strict(), z.object({ app: AuditAppSchema }).strict()]),
    targetResources: z.array(
      z
        .object({
          id: z.string(),
          displayName: z.string().nullable().default(null),
          type: z.string(),
          userPrincipalName: z.string().nullable().default(null),
          groupType: z.string().nullable().default(null),
          modifiedProperties: z
            .array(z.object({ displayName: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable() }).strict())
            .default([]),
        })
        .strict(),
    ),
    additionalDetails: z.array(z.object({ key: z.string(), value: z.string() }).strict()).default([]),
  })
  .strict();
export type SeedAudit = z.output<typeof AuditSchema>;

export const SIGN_IN_METHODS = [
  'password',
  'fido2',
  'windowsHelloForBusiness',
  'microsoftAuthenticator',
  'sms',
  'voice',
  'softwareOath',
  'hardwareOath',
  'temporaryAccessPass',
  'platformCredential',
  'externalAuthentication',
  'qrCodePin',
] as const;
export const SignInMethodSchema = z.enum(SIGN_IN_METHODS);
export type SignInMethod = z.infer<typeof SignInMethodSchema>;

export const LocationSchema = z.object({ city: z.string(), state: z.string(), countryOrRegion: z.string() }).strict();

const SignInSchema = z
  .object({
    id: guid,
    createdDateTime: SeedTimeSchema,
    userId: guid,
    method: SignInMethodSchema,
    appDisplayName: z.string().default('Office 365 Exchange Online'),
    appId: guid.default('00000002-0000-0ff1-ce00-000000000000'),
    ipAddress: z.string(),
    location: LocationSchema,
    clientAppUsed: z.string().default('Browser'),
    isInteractive: z.boolean().default(true),
    errorCode: z.number().int().default(0),
    failureReason: z.string().nullable().default(null),
    riskLevelDuringSignIn: z.enum(['none', 'low', 'medium', 'high', 'hidden']).default('none'),
    riskState: z.enum(['none', 'confirmedSafe', 'remediated', 'dismissed', 'atRisk', 'confirmedCompromised']).default('none'),
    riskEventTypes: z.array(z.string()).default([]),
    operatingSystem: z.string().default('Windows 10'),
    browser: z.string().default('Edge 124.0.0'),
    correlationId: guid,
  })
  .strict();
export type SeedSignIn = z.output<typeof SignInSchema>;

/**
 * The bot's app registration and its service principal: the client secret the token endpoint checks, and the Graph
 * application permissions granted with admin consent, which become the `roles` of the app tokens it issues
 * (src/simulator/auth). Both default to the demo app's (auth/demo-app.ts).
 */
const AppIdentitySchema = z
  .object({
    appId: guid,
    displayName: z.string().min(1),
    servicePrincipalId: guid,
    clientSecret: z.string().min(1).default(DEFAULT_DEMO_CLIENT_SECRET),
    grantedPermissions: z.array(z.string().regex(PERMISSION_NAME, 'a Graph permission name such as User.Read.All')).default([...DEFAULT_GRANTED_PERMISSIONS]),
    /** Application permissions on the Verified ID Request Service (src/simulator/verified-id): the roles of its tokens. */
    verifiedIdPermissions: z
      .array(z.string().regex(PERMISSION_NAME, 'a permission name such as VerifiableCredential.Create.PresentRequest'))
      .default([...DEFAULT_VERIFIED_ID_PERMISSIONS]),
  })
  .strict();

/**
 * A Verified ID profile (Entra ID > Account recovery > Profiles): Graph's verifiedIdProfile (msgraph-metadata v1.0-Prod.csdl,
 * https://learn.microsoft.com/graph/api/resources/verifiedidprofile), plus who may use it. Graph keeps that outside
 * the profile, in the Verified ID authentication-method configuration's targets (`includeGroups`/`excludeGroups` here:
 * group ids, or `all_users`), which the simulated tenant serves as VerifiableCredentials.
 */
const VerifiedIdProfileSchema = z
  .object({
    id: guid,
    name: z.string().min(1),
    description: z.string().default(''),
    state: z.enum(['enabled', 'disabled']),
    priority: z.number().int().nullable().default(0),
    verifierDid: z.string().startsWith('did:'),
    lastModifiedDateTime: SeedTimeSchema,
    verifiedIdProfileConfiguration: z
      .object({
        type: z.string().min(1),
        acceptedIssuer: z.string().startsWith('did:'),
        claimBindingSource: z.literal('directory').default('directory'),
        claimBindings: z.array(
          z.object({ sourceAttribute: z.string().min(1), verifiedIdClaim: z.string().min(1), matchConfidenceLevel: z.enum(['exact', 'relaxed']) }).strict(),
        ),
        claimValidation: z.object({ isEnabled: z.boolean(), customExtensionId: z.string() }).strict().default({ isEnabled: false, customExtensionId: '' }),
      })
      .strict(),
    // The reference: isEnabled "must be true", sourcePhotoClaimName "must be portrait" (spec §6.2); a seed may break them to test the checks.
    faceCheckConfiguration: z.object({ isEnabled: z.boolean(), sourcePhotoClaimName: z.string().default('portrait') }).strict(),
    verifiedIdUsageConfigurations: z.array(z.object({ purpose: z.enum(['recovery', 'onboarding', 'all']), isEnabledForTestOnly: z.boolean() }).strict()).min(1),
    includeGroups: z.array(z.union([guid, z.literal('all_users')])).default([]),
    excludeGroups: z.array(guid).default([]),
  })
  .strict();

/** The seed's shape; cross-references (ids, memberships, defaults) are checked in seed-checks.ts. */
export const TenantSeedShape = z
  .object({
    tenant: z.object({ id: guid, displayName: z.string(), verifiedDomain: z.string() }).strict(),
    callerApp: AppIdentitySchema,
    users: z.array(UserSchema),
    groups: z.array(GroupSchema).default([]),
    roleDefinitions: z.array(RoleDefinitionSchema).default([]),
    roleAssignments: z.array(RoleAssignmentSchema).default([]),
    roleEligibilitySchedules: z.array(RoleEligibilitySchema).default([]),
    /** PIM for Groups: eligible memberships and ownerships of groups. */
    groupEligibilitySchedules: z.array(GroupEligibilitySchema).default([]),
    authenticationContexts: z.array(AuthenticationContextSchema).default([]),
    /** Directory permissions made protected actions: permission name (e.g. microsoft.directory/deletedItems/delete) → authentication context id. */
    protectedActions: z.record(z.string().regex(/^microsoft\.directory\/[\w./]+$/, 'a microsoft.directory permission'), z.string()).default({}),
    authenticationMethodsPolicy: AuthMethodsPolicySchema,
    conditionalAccessPolicies: z.array(CaPolicySchema).default([]),
    audits: z.array(AuditSchema).default([]),
    signIns: z.array(SignInSchema).default([]),
    /** Who manages whom (Graph's `manager` reference), user id → manager's user id, in one place. */
    managers: z.record(guid, guid).default({}),
    /** Account Recovery profiles (Verified ID), with the groups that may use each. */
    verifiedIdProfiles: z.array(VerifiedIdProfileSchema).default([]),
  })
  .strict();

/** What a seed author writes (defaults may be omitted). */
export type TenantSeed = z.input<typeof TenantSeedShape>;
/** A validated seed, every default filled in. */
export type ParsedSeed = z.output<typeof TenantSeedShape>;
