import { ALTERNATE_MOBILE_PHONE_ID, MOBILE_PHONE_ID } from '../../src/domain/plan';
import type { AuthMethod } from '../../src/domain/target';
import { GROUPS, USERS } from '../helpers/demo-ids';
import type { InMemoryDirectory } from './in-memory-directory';

/** The provisioning app: changes it makes count as known automation. */
export const PROVISIONING_APP = '7d3e5f10-aaaa-4bbb-8ccc-0000000000e1';

/** Adele's methods: the authenticator is her default (push), so Graph deletes it last; alternate mobile before mobile. */
export const ADELE_METHODS: AuthMethod[] = [
  { id: 'pw-adele', type: 'password', detail: 'password' },
  { id: 'auth-adele', type: 'microsoftAuthenticator', detail: 'iPhone 15', createdDateTime: '2026-01-10T08:00:00Z' },
  { id: MOBILE_PHONE_ID, type: 'phone', detail: '+1 555 •••• 01' },
  { id: ALTERNATE_MOBILE_PHONE_ID, type: 'phone', detail: '+1 555 •••• 02' },
  { id: 'fido-adele', type: 'fido2', detail: 'YubiKey 5 NFC' },
];

const user = (u: { id: string; upn: string; name: string }) => ({
  id: u.id,
  userPrincipalName: u.upn,
  displayName: u.name,
  mailNickname: u.upn.split('@')[0] ?? '',
  accountEnabled: true,
});

/**
 * A small tenant for the use-case tests. Helpdesk: Megan, Nestor. Approvers: Alex, Patti and (nested) the
 * privileged approvers Patti and Isaiah. Targets: Adele (active, five methods), Lee (active, holds a directory role),
 * Diego (soft-deleted), Johanna (hard-deleted a week ago). Grady is in no group.
 */
export function seedSmallTenant(directory: InMemoryDirectory): InMemoryDirectory {
  for (const u of [USERS.megan, USERS.nestor, USERS.alex, USERS.patti, USERS.isaiah, USERS.grady, USERS.johanna]) directory.addUser(user(u));
  directory
    .addUser(user(USERS.adele), {
      methods: ADELE_METHODS,
      details: {
        isMfaRegistered: true,
        isMfaCapable: true,
        isSsprRegistered: true,
        isSsprEnabled: true,
        isPasswordlessCapable: true,
        methodsRegistered: ['microsoftAuthenticatorPush', 'mobilePhone', 'fido2'],
        userPreferredMethodForSecondaryAuthentication: 'push',
      },
      policies: ['Require MFA for all users'],
    })
    .addUser(user(USERS.lee), {
      methods: [{ id: 'fido-lee', type: 'fido2', detail: 'Feitian' }],
      roles: [{ roleDefinitionId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', displayName: 'Authentication Administrator', via: 'direct' }],
    })
    .addUser(user(USERS.diego), {
      methods: [
        { id: 'email-diego', type: 'email', detail: 'd•••@fabrikam.com' },
        { id: 'fido-diego', type: 'fido2', detail: 'YubiKey' },
      ],
    })
    .softDelete(USERS.diego.id, '2026-11-18T09:30:00Z')
    .hardDelete(USERS.johanna.id, '2026-11-11T10:00:00Z')
    .addGroup(GROUPS.helpdesk, [USERS.megan.id, USERS.nestor.id])
    .addGroup(GROUPS.privilegedApprovers, [USERS.patti.id, USERS.isaiah.id])
    .addGroup(GROUPS.approvers, [USERS.alex.id, GROUPS.privilegedApprovers]);
  return directory;
}
