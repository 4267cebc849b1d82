import type { ThreadRef } from '../domain/case';

/** A person the notice goes to, as the directory names them. */
export interface NoticePerson {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
}

/**
 * What telling the real user out of band needs of the directory (Microsoft Graph): the target's manager, its
 * alternate email addresses, and sending mail from the configured mailbox. Graph failures throw DirectoryError.
 */
export interface NoticeDirectory {
  /** The manager, or undefined when the user has none (Graph answers 404). */
  managerOf(userId: string): Promise<NoticePerson | undefined>;
  /** The user's `otherMails`. */
  alternateEmails(userId: string): Promise<readonly string[]>;
  /** Sends a plain-text mail as `sender` (a mailbox UPN); resolves once Graph accepted it (202, which is not delivery). */
  sendMail(sender: string, mail: { readonly to: readonly string[]; readonly subject: string; readonly text: string }): Promise<void>;
}

/** Why a 1:1 chat could not be sent, in words for the journal (never a token or a raw error body). */
export class ChatNotSent extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ChatNotSent';
  }
}

/**
 * A proactive 1:1 chat from the bot to a person by Entra object id, on the Teams service the case's thread came from.
 * Throws ChatNotSent when Teams refuses (in production: the bot is not installed for that person).
 */
export interface PersonalChat {
  send(to: NoticePerson, text: string, via: ThreadRef): Promise<void>;
}
