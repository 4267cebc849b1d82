import { incidentCounts, type IncidentCase } from '../domain/incident';
import { shorten } from './card-budget';
import { formatUtc } from './format';

/** How many affected users the card lists; the rest are in `incident export <id>`. */
const SAMPLE = 10;

export interface IncidentView {
  id: string;
  title: string;
  status: string;
  actor: string;
  window: string;
  requester: string;
  facts: { title: string; value: string }[];
  sample: { text: string }[];
  moreUsers: string;
  hasMoreUsers: boolean;
  whatItDoes: string;
  notReversed: string;
  hasNotReversed: boolean;
  approvals: string;
  progress: string;
  hasProgress: boolean;
  failed: { text: string }[];
  hasFailed: boolean;
  next: string;
  /** Signs the buttons' data; the Teams layer puts the signature in `sig`. */
  incidentId: string;
  version: number;
  /** Approve and Deny (approvers; the server checks who). */
  canDecide: boolean;
  /** Start the approved run (the requester; the server checks). */
  canStart: boolean;
  /** Run the failed users again (the requester; the server checks). */
  canRetry: boolean;
  retryTitle: string;
}

const STATE_TEXT: Record<IncidentCase['state'], string> = {
  awaitingApproval: 'Waiting for approval',
  approved: 'Approved: the requester starts the run',
  executing: 'Restoring users',
  completed: 'Run finished',
  denied: 'Denied: nothing was changed',
};

function nextStep(c: IncidentCase, failed: number): string {
  switch (c.state) {
    case 'awaitingApproval':
      return `Approvers (${c.approvals.length} of ${c.requiredApprovals}): "incident approve ${c.id}" or "incident deny ${c.id}" followed by the reason.`;
    case 'approved':
      return `${c.requester.name}: "incident start ${c.id}".`;
    case 'executing':
      return 'The card is updated every few seconds while the run goes on.';
    case 'completed':
      return failed > 0
        ? `${c.requester.name}: "incident retry ${c.id}" runs the ${failed} failed user(s) again. The full list: "incident export ${c.id}".`
        : `Every restorable user is back. The full list: "incident export ${c.id}".`;
    case 'denied':
      return 'Nothing was changed.';
  }
}

/**
 * The incident card: the plan (counts, a sample, what is and is not reversed), approvals, progress and results, and
 * the buttons of the state it is in (none with `buttons: false`, for a copy answered to a typed command, so that only
 * the incident's own card in the thread carries them). Who may press which is checked on the server, as for cases.
 */
export function incidentView(c: IncidentCase, progress?: { answered: number; total: number }, buttons = true): IncidentView {
  const n = incidentCounts(c);
  const failedUsers = c.users.filter((u) => c.results[u.id]?.status === 'failed');
  const other = c.otherChanges.reduce((sum, o) => sum + o.count, 0);
  return {
    id: c.id,
    title: `Incident ${c.id}: users deleted by ${shorten(c.actor.value, 120)}`,
    status: STATE_TEXT[c.state],
    actor: shorten(c.actor.value, 200),
    window: `${formatUtc(c.window.from)} – ${formatUtc(c.window.to)}`,
    requester: c.requester.name,
    facts: [
      { title: 'Deleted by the actor', value: String(n.affected) },
      { title: 'Restorable (in deleted items)', value: String(n.restorable) },
      { title: 'Already active', value: String(n.alreadyActive) },
      { title: 'Permanently deleted', value: String(n.gone) },
      { title: 'Restored', value: String(n.restored) },
      { title: 'Failed', value: String(n.failed) },
      { title: 'Not run yet', value: String(n.pending) },
    ],
    sample: c.users.slice(0, SAMPLE).map((u) => ({
      text: `${shorten(u.displayName || u.id, 80)} (${shorten(u.userPrincipalName, 120)}): ${u.state === 'softDeleted' ? (c.results[u.id]?.status ?? 'to restore') : u.state === 'active' ? 'already active' : 'permanently deleted'}`,
    })),
    moreUsers: `…and ${Math.max(0, c.users.length - SAMPLE)} more.`,
    hasMoreUsers: c.users.length > SAMPLE,
    whatItDoes:
      'The bot restores each restorable user from deleted items (POST /directory/deletedItems/{id}/restore), which brings back the account with its methods, groups and licences, in batches of 20 as fast as Graph throttling allows. It does not reverse anything else.',
    notReversed: `Not reversed, for a person to review: ${c.otherChanges.map((o) => `${o.count}× ${shorten(o.activity, 60)}`).join(', ')} (${other} change(s)).`,
    hasNotReversed: other > 0,
    approvals:
      c.approvals.length === 0
        ? `No approval yet; ${c.requiredApprovals} needed.`
        : `Approved by ${c.approvals.map((a) => (a.comment ? `${a.by.name} ("${shorten(a.comment, 200)}")` : a.by.name)).join(', ')} (${c.approvals.length} of ${c.requiredApprovals}).`,
    progress: progress ? `Run ${c.runs}: ${progress.answered} of ${progress.total} users answered by Graph.` : '',
    hasProgress: progress !== undefined,
    failed: failedUsers
      .slice(0, SAMPLE)
      .map((u) => ({ text: `${shorten(u.userPrincipalName || u.id, 120)}: ${shorten(c.results[u.id]?.error ?? 'failed', 160)}` })),
    hasFailed: failedUsers.length > 0,
    next: nextStep(c, failedUsers.length),
    incidentId: c.id,
    version: c.version ?? 0,
    canDecide: buttons && c.state === 'awaitingApproval',
    canStart: buttons && c.state === 'approved',
    canRetry: buttons && c.state === 'completed' && failedUsers.length > 0,
    retryTitle: `Retry the ${failedUsers.length} failed user(s)`,
  };
}

/** Every affected user and outcome, as CSV, for the export. */
export function incidentCsv(c: IncidentCase): string {
  const cell = (v: string): string => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);
  const rows = c.users.map((u) => {
    const r = c.results[u.id];
    return [u.id, u.displayName, u.userPrincipalName, u.deletedAt, u.state, r?.status ?? '', r?.at ?? '', r?.requestId ?? '', r?.error ?? '']
      .map(cell)
      .join(',');
  });
  return ['objectId,displayName,userPrincipalName,deletedAt,stateWhenPlanned,outcome,outcomeAt,graphRequestId,error', ...rows].join('\n');
}
