import type { NoticeChannel, RecoveryCase } from '../domain/case';
import type { CaseStore } from '../ports/case-store';
import type { Clock } from '../ports/clock';
import { DirectoryError } from '../ports/directory';
import type { Logger } from '../ports/logger';
import { ChatNotSent, type NoticeDirectory, type PersonalChat } from '../ports/out-of-band';
import { noticeText } from '../domain/notice-text';
import { mutateCase } from './mutate-case';

export interface NotifyUserDeps {
  readonly cases: CaseStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notices: NoticeDirectory;
  /** Absent where there is no Teams adapter (tests of the use cases): the chat is then recorded as not sent. */
  readonly chat?: PersonalChat;
  readonly settings: {
    /** NOTIFY_MAIL_SENDER: the mailbox UPN that sends; unset means no email. */
    readonly mailSender?: string;
    /** SECURITY_CONTACT: whom the message tells the user to call. */
    readonly securityContact: string;
  };
}

type Outcome = { readonly outcome: 'sent' | 'not sent'; readonly detail: string };

const notSent = (why: string): Outcome => ({ outcome: 'not sent', detail: why });

/** The manager's 1:1 chat: who it is for, and what stops it. */
async function toManager(deps: NotifyUserDeps, c: RecoveryCase, text: string): Promise<Outcome> {
  const m = c.intake.manager;
  if (m === undefined || m === 'unread') return notSent('the manager could not be read from the directory when the case opened');
  if (m === 'none') return notSent('the directory names no manager for this user');
  if (m.id === c.target.id) return notSent('the directory names the user as their own manager');
  if (!deps.chat) return notSent('no Teams connection to open a 1:1 chat from');
  try {
    await deps.chat.send(m, text, c.thread);
  } catch (e) {
    if (e instanceof ChatNotSent) return notSent(e.reason);
    throw e;
  }
  // The requester being the manager is a flagged risk (RISK.REQUESTER_IS_MANAGER): told anyway, and the record says so.
  const self = m.id === c.requester.aadObjectId ? ' (who is also the requester)' : '';
  return { outcome: 'sent', detail: `1:1 chat to ${m.displayName}${self}` };
}

/** The alternate email: only with a sender configured, to the target's otherMails. */
async function toAlternateEmail(deps: NotifyUserDeps, c: RecoveryCase, message: { subject: string; text: string }): Promise<Outcome> {
  const sender = deps.settings.mailSender;
  if (!sender) return notSent('NOTIFY_MAIL_SENDER is not set');
  if (c.intake.account.kind !== 'active') return notSent(`the account is ${c.intake.account.kind}, so its alternate email cannot be read`);
  try {
    const to = await deps.notices.alternateEmails(c.target.id);
    if (to.length === 0) return notSent('the user has no alternate email (otherMails) in the directory');
    await deps.notices.sendMail(sender, { to, subject: message.subject, text: message.text });
    return { outcome: 'sent', detail: `mail from ${sender} to ${to.join(', ')} (accepted by Microsoft Graph; delivery is Exchange Online's)` };
  } catch (e) {
    if (e instanceof DirectoryError) return notSent(`${e.message}${e.requestId ? ` (Graph request id ${e.requestId})` : ''}`);
    throw e;
  }
}

/**
 * Tells the real user, out of band, that a recovery of their account was requested and by whom: their manager in a
 * 1:1 chat from the bot, and their alternate email when a sender is configured. Once per case across instances and
 * restarts (a create-only claim in the store; an instance that dies between the claim and the sends leaves the journal
 * without the notice lines, which says so), each outcome recorded in the journal as "sent" or "not sent" with why.
 * Never blocks the case: it runs after the case opened, and a failure is a journal line, not an error.
 */
export async function notifyUser(deps: NotifyUserDeps, c: RecoveryCase): Promise<void> {
  if (!(await deps.cases.claimNotice(c.id))) {
    deps.logger.info('out-of-band notice already claimed', { caseId: c.id });
    return;
  }
  const message = noticeText(c, deps.settings.securityContact);
  const outcomes: Array<[NoticeChannel, Outcome]> = [
    ['manager', await toManager(deps, c, message.text)],
    ['email', await toAlternateEmail(deps, c, message)],
  ];
  for (const [channel, o] of outcomes) {
    const recorded = await mutateCase(
      deps.cases,
      c.id,
      () => deps.clock.now(),
      () => ({ type: 'recordNotice', channel, outcome: o.outcome, detail: o.detail }),
    );
    if (!recorded.ok) deps.logger.warn('could not record the out-of-band notice', { caseId: c.id, channel, code: recorded.code });
    deps.logger.info('out-of-band notice', { caseId: c.id, channel, outcome: o.outcome });
  }
}
