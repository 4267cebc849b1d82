import { notifyUser, type NotifyUserDeps } from '../../src/app/notify-user';
import { openCase } from '../../src/app/open-case';
import type { RecoveryCase, ThreadRef } from '../../src/domain/case';
import { DirectoryError } from '../../src/ports/directory';
import { ChatNotSent, type NoticeDirectory, type NoticePerson, type PersonalChat } from '../../src/ports/out-of-band';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { USERS } from '../helpers/demo-ids';
import { CaseWorld, megan, nestor, THREAD, value } from '../fakes/case-world';

const LEE: NoticePerson = { id: USERS.lee.id, displayName: USERS.lee.name, userPrincipalName: USERS.lee.upn };

/** The directory's side of the notice, recorded: a manager per user, otherMails, and every mail sent (or a refusal). */
class FakeNotices implements NoticeDirectory {
  readonly managers = new Map<string, NoticePerson>([[USERS.adele.id, LEE]]);
  readonly otherMails = new Map<string, string[]>([[USERS.adele.id, ['adele.vance@fabrikam.example']]]);
  readonly sent: Array<{ sender: string; to: readonly string[]; subject: string; text: string }> = [];
  refuseSend: DirectoryError | undefined;
  managerOf(userId: string): Promise<NoticePerson | undefined> {
    return Promise.resolve(this.managers.get(userId));
  }
  alternateEmails(userId: string): Promise<readonly string[]> {
    return Promise.resolve(this.otherMails.get(userId) ?? []);
  }
  async sendMail(sender: string, mail: { to: readonly string[]; subject: string; text: string }): Promise<void> {
    await Promise.resolve();
    if (this.refuseSend) throw this.refuseSend;
    this.sent.push({ sender, ...mail });
  }
}

class FakeChat implements PersonalChat {
  readonly sent: Array<{ to: string; text: string; via: ThreadRef }> = [];
  refuse: string | undefined;
  async send(to: NoticePerson, text: string, via: ThreadRef): Promise<void> {
    await Promise.resolve();
    if (this.refuse) throw new ChatNotSent(this.refuse);
    this.sent.push({ to: to.id, text, via });
  }
}

describe('telling the real user out of band', () => {
  let w: CaseWorld;
  let notices: FakeNotices;
  let chat: FakeChat;
  let deps: NotifyUserDeps;
  beforeEach(() => {
    w = new CaseWorld();
    notices = new FakeNotices();
    chat = new FakeChat();
    deps = {
      cases: w.cases,
      clock: w.clock,
      logger: w.logger,
      notices,
      chat,
      settings: { mailSender: 'recovery-notices@contoso.com', securityContact: 'the security desk on +1 425 555 0199' },
    };
  });
  const open = async (target = USERS.adele.upn, by = megan): Promise<RecoveryCase> =>
    value(await openCase({ ...w.openDeps, notices }, { rawTarget: target, requester: by, thread: THREAD }));
  const lines = async (id: string): Promise<Array<{ event: string; detail?: string }>> =>
    (await w.stored(id)).journal
      .filter((j) => j.event.startsWith('User told out of band'))
      .map((j) => ({ event: j.event, ...(j.detail ? { detail: j.detail } : {}) }));

  it('tells the manager in a 1:1 chat and the alternate email, who asked, when and whom to call; no link; journalled "sent"', async () => {
    const c = await open();
    expect(c.intake.manager).toEqual(LEE);
    await notifyUser(deps, c);
    const text =
      "A recovery of Adele Vance's account (adele@contoso.com) was requested by Megan Bowen at 2026-11-18 12:00 UTC, case RC-00000001. " +
      'A recovery resets how the account signs in. If you did not expect this, call the security desk on +1 425 555 0199 now and quote the case id. ' +
      'Do not reply to this message.';
    expect(chat.sent).toEqual([{ to: USERS.lee.id, text, via: THREAD }]);
    expect(notices.sent).toEqual([
      { sender: 'recovery-notices@contoso.com', to: ['adele.vance@fabrikam.example'], subject: "A recovery of Adele Vance's account was requested", text },
    ]);
    expect(text).not.toMatch(/https?:|www\./);
    expect(await lines(c.id)).toEqual([
      { event: 'User told out of band via the user’s manager (1:1 chat): sent', detail: '1:1 chat to Lee Gu' },
      {
        event: 'User told out of band via the user’s alternate email: sent',
        detail: "mail from recovery-notices@contoso.com to adele.vance@fabrikam.example (accepted by Microsoft Graph; delivery is Exchange Online's)",
      },
    ]);
    // A journal line only: the cards in the thread stay current.
    expect((await w.stored(c.id)).version).toBe(c.version);
  });

  it('sends once when two instances (or a restart) try for the same case', async () => {
    const c = await open();
    const other = { ...deps, cases: new StorageCaseStore(w.storage, 'unit-tier-journal-key-0123456789abcdef', () => w.clock.now().getTime()) };
    await Promise.all([notifyUser(deps, c), notifyUser(other, c), notifyUser(deps, c)]);
    expect(chat.sent).toHaveLength(1);
    expect(notices.sent).toHaveLength(1);
    expect(await lines(c.id)).toHaveLength(2);
  });

  it('records "not sent" with why: no manager, no alternate email, no sender configured, never blocking the case', async () => {
    notices.managers.clear();
    notices.otherMails.clear();
    const c = await open();
    expect(c.intake.manager).toBe('none');
    await notifyUser(deps, c);
    expect(await lines(c.id)).toEqual([
      { event: 'User told out of band via the user’s manager (1:1 chat): not sent', detail: 'the directory names no manager for this user' },
      { event: 'User told out of band via the user’s alternate email: not sent', detail: 'the user has no alternate email (otherMails) in the directory' },
    ]);
    const quiet = new CaseWorld();
    const d = value(await openCase({ ...quiet.openDeps, notices }, { rawTarget: USERS.lee.upn, requester: megan, thread: THREAD }));
    await notifyUser({ ...deps, cases: quiet.cases, settings: { securityContact: 'security' } }, d);
    expect((await quiet.stored(d.id)).notices?.email).toEqual({ outcome: 'not sent', detail: 'NOTIFY_MAIL_SENDER is not set', at: expect.any(String) });
  });

  it('records Teams’ refusal (bot not installed for the manager) and a sender without a mailbox as Graph said it', async () => {
    chat.refuse = 'Teams refused a 1:1 chat with Lee Gu (HTTP 403): the bot is probably not installed for them.';
    notices.refuseSend = new DirectoryError(
      'notFound',
      'the sender recovery-notices@contoso.com (NOTIFY_MAIL_SENDER) has no Exchange Online mailbox (Graph: MailboxNotEnabledForRESTAPI)',
      'req-1',
    );
    const c = await open();
    await notifyUser(deps, c);
    expect((await w.stored(c.id)).notices).toEqual({
      manager: { outcome: 'not sent', detail: chat.refuse, at: expect.any(String) },
      email: {
        outcome: 'not sent',
        detail:
          'the sender recovery-notices@contoso.com (NOTIFY_MAIL_SENDER) has no Exchange Online mailbox (Graph: MailboxNotEnabledForRESTAPI) (Graph request id req-1)',
        at: expect.any(String),
      },
    });
  });

  it('a requester who is the target’s manager: flagged at intake, and still told (the record says so)', async () => {
    notices.managers.set(USERS.adele.id, { id: USERS.nestor.id, displayName: USERS.nestor.name, userPrincipalName: USERS.nestor.upn });
    const c = await open(USERS.adele.upn, nestor);
    expect(c.risks?.map((r) => r.code)).toEqual(['RISK.REQUESTER_IS_MANAGER']);
    await notifyUser(deps, c);
    expect((await w.stored(c.id)).notices?.manager).toMatchObject({ outcome: 'sent', detail: '1:1 chat to Nestor Wilke (who is also the requester)' });
  });

  it('a manager read that fails opens the case anyway, and the notice says the manager could not be read', async () => {
    notices.managerOf = () => Promise.reject(new DirectoryError('denied', 'no User.Read.All'));
    const c = await open();
    expect(c.intake.manager).toBe('unread');
    await notifyUser(deps, c);
    expect((await w.stored(c.id)).notices?.manager?.detail).toBe('the manager could not be read from the directory when the case opened');
  });
});
