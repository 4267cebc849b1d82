import { createGraphClient } from '../../src/entra/graph-client';
import { GraphNotices } from '../../src/entra/graph-notices';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import { USERS } from '../helpers/demo-ids';
import { simulatorCredential } from '../helpers/simulator-token';
import { demoSeedWith, directoryErrorOf, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

/** The out-of-band notice's Graph calls against the simulated tenant over HTTP, through the bot's Graph client. */
describe('GraphNotices', () => {
  let t: SimulatedDirectory;
  let notices: GraphNotices;
  const start = async (seed?: ReturnType<typeof demoSeedWith>): Promise<void> => {
    t = await simulatedDirectory(seed ? { seed } : {});
    notices = new GraphNotices(
      createGraphClient({ baseUrl: t.sim.url, credential: simulatorCredential(t.sim.url, t.now), retry: { baseDelayMs: 10, maxRetries: 1 } }),
    );
  };
  const outbox = async (): Promise<unknown[]> => ((await (await fetch(`${t.sim.url}/_simulator/outbox`)).json()) as { value: unknown[] }).value;
  afterEach(async () => t.close());

  it('reads the manager, and undefined for a user without one (Graph’s 404)', async () => {
    await start();
    expect(await notices.managerOf(USERS.adele.id)).toEqual({ id: USERS.lee.id, displayName: USERS.lee.name, userPrincipalName: USERS.lee.upn });
    expect(await notices.managerOf(USERS.lee.id)).toBeUndefined();
  });

  it('reads the alternate emails (otherMails)', async () => {
    await start();
    expect(await notices.alternateEmails(USERS.adele.id)).toEqual(['adele.vance@fabrikam.example']);
    expect(await notices.alternateEmails(USERS.lee.id)).toEqual([]);
  });

  it('sends plain text mail (202), which the simulated tenant keeps in its outbox', async () => {
    await start();
    await notices.sendMail(USERS.patti.upn, { to: ['adele.vance@fabrikam.example'], subject: 'Recovery requested', text: 'Call security.' });
    expect(await outbox()).toEqual([
      {
        at: expect.any(String),
        from: USERS.patti.upn,
        to: ['adele.vance@fabrikam.example'],
        subject: 'Recovery requested',
        contentType: 'text',
        content: 'Call security.',
      },
    ]);
  });

  it('says what is wrong with a sender without a mailbox, an unknown sender, and a missing Mail.Send grant; nothing is sent', async () => {
    await start();
    const mail = { to: ['adele.vance@fabrikam.example'], subject: 's', text: 't' };
    const noMailbox = await directoryErrorOf(notices.sendMail('ravi.admin@contoso.com', mail));
    expect(noMailbox.message).toBe(
      'the sender ravi.admin@contoso.com (NOTIFY_MAIL_SENDER) has no Exchange Online mailbox (Graph: MailboxNotEnabledForRESTAPI)',
    );
    const unknown = await directoryErrorOf(notices.sendMail('nobody@contoso.com', mail));
    expect(unknown.message).toBe('the sender nobody@contoso.com (NOTIFY_MAIL_SENDER) is not a user of this tenant (Graph: ErrorInvalidUser)');
    expect(await outbox()).toEqual([]);
    await t.close();
    await start(demoSeedWith((seed) => (seed.callerApp.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'Mail.Send'))));
    const denied = await directoryErrorOf(notices.sendMail(USERS.patti.upn, mail));
    expect(denied).toMatchObject({ failure: 'denied', message: expect.stringContaining('Mail.Send') });
  });
});
