import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import { isPrivilegedSnapshot, privilegeReasons, type AccountState, type DirectoryRole } from '../domain/target';
import { formatUtc, methodLabel } from './format';
import { riskLines, type RiskLines } from './risk-view';

export interface IntakeView extends RiskLines {
  caseId: string;
  displayName: string;
  userPrincipalName: string;
  objectId: string;
  accountState: string;
  accountStateColor: 'Good' | 'Warning' | 'Attention';
  roles: { name: string }[];
  rolesSummary: string;
  /** Why the target is privileged (roles, eligibility, groups, a read that failed); empty when it is not. */
  privilegedBecause: string;
  privileged: boolean;
  methods: { label: string; detail: string; created: string }[];
  methodsNote: string;
  lastSignIn: string;
  requester: string;
  openedAt: string;
}

function describeAccount(account: AccountState): Pick<IntakeView, 'accountState' | 'accountStateColor'> {
  switch (account.kind) {
    case 'active':
      return { accountState: account.user.accountEnabled === false ? 'Active (sign-in blocked)' : 'Active', accountStateColor: 'Good' };
    case 'softDeleted':
      return { accountState: `Soft-deleted on ${formatUtc(account.deletedDateTime)} (restorable for 30 days)`, accountStateColor: 'Warning' };
    case 'hardDeleted':
      return {
        accountState: `Not found: hard-deleted on ${formatUtc(account.hardDeletedDateTime)}, known only from audit records`,
        accountStateColor: 'Attention',
      };
    default:
      return assertNever(account);
  }
}

function methodsNote(account: AccountState, count: number): string {
  if (account.kind === 'softDeleted') return 'Methods of a deleted user cannot be read until the user is restored.';
  if (account.kind === 'hardDeleted') return 'The account no longer exists: every method must be registered anew after it is recreated.';
  return count === 0 ? 'No authentication methods are registered.' : `${count} method(s) registered.`;
}

/** The intake card's data: everything the agent and approvers need to see before triage. No secrets. */
/** "Helpdesk Administrator", "… (eligible, PIM)", or "… (eligible, PIM for Groups: Tier 1 Admins)". */
function roleLabel(r: DirectoryRole): string {
  if (r.via === 'pimGroup') return `${r.displayName} (eligible, PIM for Groups: ${r.group ?? 'a group'})`;
  return `${r.displayName}${r.assignment === 'eligible' ? ' (eligible, PIM)' : ''}`;
}

export function intakeView(c: RecoveryCase): IntakeView {
  const { account, methods = [], roles } = c.intake;
  const user = account.kind === 'hardDeleted' ? undefined : account.user;
  return {
    caseId: c.id,
    displayName: c.target.displayName,
    userPrincipalName: c.target.userPrincipalName,
    objectId: c.target.id,
    ...describeAccount(account),
    roles: roles.map((r) => ({ name: `${roleLabel(r)}${r.via === 'group' ? ' (through a group)' : ''}` })),
    rolesSummary: roles.length === 0 ? 'None' : roles.map(roleLabel).join(', '),
    privileged: isPrivilegedSnapshot(c.intake),
    privilegedBecause: privilegeReasons(c.intake).join('; '),
    methods: methods.map((m) => ({ label: methodLabel(m.type), detail: m.detail, created: m.createdDateTime ? formatUtc(m.createdDateTime) : '—' })),
    methodsNote: methodsNote(account, methods.length),
    lastSignIn: user?.lastSignInDateTime
      ? `${formatUtc(user.lastSignInDateTime)}${user.lastSuccessfulSignInDateTime ? ` (last successful ${formatUtc(user.lastSuccessfulSignInDateTime)})` : ''}`
      : 'No sign-in data',
    requester: c.requester.name,
    openedAt: formatUtc(c.openedAt),
    ...riskLines(c),
  };
}
