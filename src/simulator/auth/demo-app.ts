/**
 * The demo app registration the bot signs in as: its client secret and the Microsoft Graph application permissions an
 * administrator granted it (admin consent). One place for the default grants: the set docs/deploy.md section 1 tells
 * a customer to grant (generated from the bot's request registry, src/entra/graph-requests.ts PERMISSIONS_TO_GRANT; the
 * simulator does not import the bot, so test/contract/registry-vs-simulator.test.ts checks the two are equal), so that
 * the demo and every test run with exactly what a customer's bot would have.
 */
export const DEFAULT_GRANTED_PERMISSIONS: readonly string[] = Object.freeze([
  'AuditLog.Read.All',
  'Directory.Read.All',
  'GroupMember.Read.All',
  'Mail.Send',
  'Policy.Read.All',
  'Policy.Read.AuthenticationMethod',
  'PrivilegedEligibilitySchedule.Read.AzureADGroup',
  'RoleEligibilitySchedule.Read.Directory',
  'RoleManagement.Read.Directory',
  'User-PasswordProfile.ReadWrite.All',
  'User.DeleteRestore.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'User.RevokeSessions.All',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'VerifiedId-Profile.Read.All',
]);

/**
 * The demo app's grant on the Verified ID Request Service ("Verifiable Credentials Service Request"): the granular
 * permission to create presentation requests, as docs/deploy.md (Verified ID) tells a customer to grant, and as
 * Microsoft's helpdesk sample grants its managed identity (shared/spec/verified-id.md §1.1).
 */
export const DEFAULT_VERIFIED_ID_PERMISSIONS: readonly string[] = Object.freeze(['VerifiableCredential.Create.PresentRequest']);

/**
 * The demo app's client secret. Not a secret at all: the simulated tenant runs on loopback with made-up data; the
 * bot's demo configuration uses the same default (src/config.ts, SIMULATOR_CLIENT_SECRET).
 */
export const DEFAULT_DEMO_CLIENT_SECRET = 'demo-only-client-secret-not-secret';

/** Application permission names as Graph spells them (`User.Read.All`, `User-PasswordProfile.ReadWrite.All`). */
export const PERMISSION_NAME = /^[A-Za-z][A-Za-z-]*(\.[A-Za-z-]+)+$/;
