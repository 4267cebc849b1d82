/**
 * The demo app registration the bot signs in as: its client secret and the Microsoft Graph application permissions an
 * administrator granted it (admin consent). One place for the default grants: the set docs/deploy.md section 1 tells
 * a customer to grant, so that the demo and every test run with exactly what a customer's bot would have.
 */
export const DEFAULT_GRANTED_PERMISSIONS: readonly string[] = Object.freeze([
  'User.Read.All',
  'GroupMember.Read.All',
  'AuditLog.Read.All',
  'Directory.Read.All',
  'RoleManagement.Read.Directory',
  'Policy.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'User-PasswordProfile.ReadWrite.All',
  'User.RevokeSessions.All',
  'RoleEligibilitySchedule.Read.Directory',
  'User.DeleteRestore.All',
  'User.ReadWrite.All',
]);

/**
 * The demo app's client secret. Not a secret at all: the simulated tenant runs on loopback with made-up data; the
 * bot's demo configuration uses the same default (src/config.ts, SIMULATOR_CLIENT_SECRET).
 */
export const DEFAULT_DEMO_CLIENT_SECRET = 'demo-only-client-secret-not-secret';

/** Application permission names as Graph spells them (`User.Read.All`, `User-PasswordProfile.ReadWrite.All`). */
export const PERMISSION_NAME = /^[A-Za-z][A-Za-z-]*(\.[A-Za-z-]+)+$/;
