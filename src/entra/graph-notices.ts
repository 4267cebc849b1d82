import type { Client } from '@microsoft/microsoft-graph-client';
import type { NoticeDirectory, NoticePerson } from '../ports/out-of-band';
import { DirectoryError } from '../ports/directory';
import { codeOf, isNotFound, requestIdOf, toDirectoryError } from './graph-errors';
import { graphRequest } from './graph-path';
import { REQUESTS } from './graph-requests';

interface GraphPerson {
  id?: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

/**
 * The out-of-band notice's reads and sendMail on Microsoft Graph (registry entries users.manager.get,
 * users.get selecting otherMails, users.sendMail).
 */
export class GraphNotices implements NoticeDirectory {
  constructor(private readonly client: Client) {}

  /** https://learn.microsoft.com/graph/api/user-list-manager: a user without a manager answers 404 Request_ResourceNotFound. */
  async managerOf(userId: string): Promise<NoticePerson | undefined> {
    try {
      const m = (await graphRequest(
        this.client,
        REQUESTS.usersManagerGet,
        { userId },
        { $select: ['id', 'displayName', 'userPrincipalName'] },
      ).get()) as GraphPerson;
      if (!m.id) return undefined;
      return { id: m.id, displayName: m.displayName ?? m.id, userPrincipalName: m.userPrincipalName ?? '' };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toDirectoryError(e, 'read manager');
    }
  }

  async alternateEmails(userId: string): Promise<readonly string[]> {
    try {
      const u = (await graphRequest(this.client, REQUESTS.usersGet, { userKey: userId }, { $select: ['id', 'otherMails'] }).get()) as {
        otherMails?: string[] | null;
      };
      return (u.otherMails ?? []).filter((m) => typeof m === 'string' && m.includes('@'));
    } catch (e) {
      throw toDirectoryError(e, 'read user');
    }
  }

  /**
   * https://learn.microsoft.com/graph/api/user-sendmail: 202 Accepted, no body. Plain text (no HTML, no link to phish
   * with), not saved to the sender's Sent Items (the case journal is the record).
   */
  async sendMail(sender: string, mail: { readonly to: readonly string[]; readonly subject: string; readonly text: string }): Promise<void> {
    try {
      await graphRequest(this.client, REQUESTS.usersSendMail, { sender }).post({
        message: {
          subject: mail.subject,
          body: { contentType: 'Text', content: mail.text },
          toRecipients: mail.to.map((address) => ({ emailAddress: { address } })),
        },
        saveToSentItems: false,
      });
    } catch (e) {
      const code = codeOf(e);
      // Exchange's answers for a sender that cannot send, said so that whoever reads the journal knows what to fix.
      if (code === 'MailboxNotEnabledForRESTAPI' || code === 'ErrorInvalidUser') {
        const why = code === 'ErrorInvalidUser' ? 'is not a user of this tenant' : 'has no Exchange Online mailbox';
        throw new DirectoryError('notFound', `the sender ${sender} (NOTIFY_MAIL_SENDER) ${why} (Graph: ${code})`, requestIdOf(e));
      }
      throw toDirectoryError(e, 'send mail');
    }
  }
}
